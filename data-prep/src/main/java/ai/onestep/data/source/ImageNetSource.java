package ai.onestep.data.source;

import ai.onestep.image.ImageDecoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * ILSVRC-2012. Training layout: {@code train/<wnid>/*.JPEG}, label = index of the wnid in sorted order (the order
 * guided-diffusion's loader and torchvision's ImageFolder use). Validation layout: a flat folder of images plus a
 * label file whose lines name an image (file name or stem) and its wnid — either "name wnid" or the Kaggle
 * {@code LOC_val_solution.csv} form "ImageId,wnid x y x y ...". The wnid-to-index mapping goes to the manifest.
 */
public record ImageNetSource(String input, String labelFile) implements ImageSource {
    private static final Pattern WNID = Pattern.compile("n\\d{8}");

    @Override
    public String name() {
        return "imagenet";
    }

    @Override
    public Listing list(Configuration conf) throws IOException {
        Files.require(input, conf, true);
        Path root = new Path(input);
        root = root.getFileSystem(conf).makeQualified(root);
        return labelFile == null ? train(root, conf) : validation(root, conf);
    }

    private Listing train(Path root, Configuration conf) throws IOException {
        List<String> classes = new ArrayList<>();
        List<Item> items = new ArrayList<>();
        for (FileStatus d : Files.subdirectories(root, conf)) {
            String wnid = d.getPath().getName();
            if (!WNID.matcher(wnid).matches()) {
                throw new IllegalArgumentException("not an ImageNet training layout: folder '" + wnid + "' under "
                        + input + " is not a WordNet id like n01440764 (for a validation folder pass --labels FILE)");
            }
            classes.add(wnid);
        }
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("not an ImageNet training layout: no <wnid>/ folders under " + input);
        }
        for (FileStatus f : Files.recursive(root, conf)) {
            String key = Files.relative(root, f.getPath());
            int slash = key.indexOf('/');
            if (slash < 0) {
                continue;
            }
            items.add(new Item(key, classes.indexOf(key.substring(0, slash)), f.getPath().toString()));
        }
        return new Listing(items, classes, 3);
    }

    private Listing validation(Path root, Configuration conf) throws IOException {
        Map<String, String> wnidOf = new HashMap<>();
        Path lf = new Path(labelFile);
        Files.require(labelFile, conf, false);
        try (FSDataInputStream in = lf.getFileSystem(conf).open(lf);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String[] parts = line.trim().split("[,\\s]+");
                if (parts.length < 2 || (n == 1 && parts[0].equalsIgnoreCase("ImageId"))) {
                    continue;
                }
                if (!WNID.matcher(parts[1]).matches()) {
                    throw new IllegalArgumentException("label file " + labelFile + " line " + n
                            + ": expected '<image> <wnid>', got '" + line.trim() + "'");
                }
                wnidOf.put(stem(parts[0]), parts[1]);
            }
        }
        List<String> classes = new ArrayList<>(new TreeSet<>(wnidOf.values()));
        List<Item> items = new ArrayList<>();
        for (FileStatus f : Files.recursive(root, conf)) {
            String key = Files.relative(root, f.getPath());
            String wnid = wnidOf.get(stem(f.getPath().getName()));
            items.add(new Item(key, wnid == null ? -1 : classes.indexOf(wnid), f.getPath().toString()));
        }
        return new Listing(items, classes, 3);
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    @Override
    public ItemReader open(Configuration conf, ImageDecoder decoder) {
        return new FileItemReader(conf, decoder);
    }

    @Override
    public String describe() {
        return labelFile == null ? "ImageNet training layout " + input + "/<wnid>/*"
                : "ImageNet validation images in " + input + " labelled by " + labelFile;
    }
}
