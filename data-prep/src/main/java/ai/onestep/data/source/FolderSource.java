package ai.onestep.data.source;

import ai.onestep.image.ImageDecoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Any folder tree of images (JPEG, PNG, WebP, BMP, GIF; the format is sniffed, so every file is tried and non-images
 * are counted as skipped). With {@code classFolders}, the first-level sub-folder is the class (sorted names, index =
 * label) and files directly under the root are unlabelled; otherwise every label is -1.
 */
public record FolderSource(String input, boolean classFolders) implements ImageSource {
    @Override
    public String name() {
        return "folder";
    }

    @Override
    public Listing list(Configuration conf) throws IOException {
        Files.require(input, conf, true);
        Path root = new Path(input);
        root = root.getFileSystem(conf).makeQualified(root);
        List<String> classes = new ArrayList<>();
        if (classFolders) {
            for (FileStatus d : Files.subdirectories(root, conf)) {
                classes.add(d.getPath().getName());
            }
        }
        List<Item> items = new ArrayList<>();
        for (FileStatus f : Files.recursive(root, conf)) {
            String key = Files.relative(root, f.getPath());
            int slash = key.indexOf('/');
            int label = classFolders && slash > 0 ? classes.indexOf(key.substring(0, slash)) : -1;
            items.add(new Item(key, label, f.getPath().toString()));
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("input holds no files: " + input);
        }
        return new Listing(items, classes, 3);
    }

    @Override
    public ItemReader open(Configuration conf, ImageDecoder decoder) {
        return new FileItemReader(conf, decoder);
    }

    @Override
    public String describe() {
        return "every file under " + input + (classFolders ? " (class = first-level folder)" : " (unlabelled)");
    }
}
