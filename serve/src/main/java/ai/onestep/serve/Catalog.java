package ai.onestep.serve;

import ai.onestep.ckpt.Weights;
import ai.onestep.conf.TrainConfig;
import ai.onestep.files.HadoopFiles;
import ai.onestep.run.RunCheckpoint;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.nn.Network;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checkpoints a server offers: the children of one directory (any Hadoop FileSystem URI) that are checkpoint or run
 * directories, addressed by name only. Loaded models are cached (at most {@code maxLoaded}; the least recently used
 * idle one is closed first) together with one denoiser graph per EMA rate used.
 */
final class Catalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
    /** A listed name: letters, digits, dot, dash, underscore; not starting with a dot. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    /** A loaded checkpoint and its denoisers; used by one request at a time (the {@link Gate} sees to that). */
    static final class Model {
        final RunCheckpoint checkpoint;
        private final Map<Weights, GraphDenoiser> denoisers = new HashMap<>();
        private int users;
        private long lastUsed;

        private Model(RunCheckpoint checkpoint) {
            this.checkpoint = checkpoint;
        }

        /** The denoiser for the requested weights (an unknown EMA rate is refused). */
        GraphDenoiser denoiser(Weights requested) {
            Weights w;
            try {
                w = checkpoint.resolve(requested);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            return denoisers.computeIfAbsent(w, checkpoint::denoiser);
        }

        Network network() {
            return checkpoint.network();
        }

        private void close() {
            denoisers.values().forEach(GraphDenoiser::close);
            denoisers.clear();
        }
    }

    /** A model lent to one request; closing hands it back. */
    interface Lease extends AutoCloseable {
        Model model();

        @Override
        void close();
    }

    private final String root;
    private final Configuration conf;
    private final int maxLoaded;
    private final Map<String, Model> loaded = new LinkedHashMap<>();
    private final Map<String, String> loadedDir = new HashMap<>();
    private long clock;

    Catalog(String root, Configuration conf, int maxLoaded) {
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.conf = conf;
        this.maxLoaded = maxLoaded;
    }

    String root() {
        return root;
    }

    /** Every child of the root holding a readable checkpoint, by name; unreadable ones are logged and left out. */
    List<CheckpointInfo> list() throws IOException {
        Path dir = new Path(root);
        FileSystem fs = dir.getFileSystem(conf);
        FileStatus[] children;
        try {
            children = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("checkpoints directory does not exist: " + root);
        }
        List<CheckpointInfo> out = new ArrayList<>();
        for (FileStatus c : children) {
            String name = c.getPath().getName();
            if (!c.isDirectory() || !NAME.matcher(name).matches()) {
                continue;
            }
            describe(name).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(CheckpointInfo::name));
        return out;
    }

    /** The listed checkpoint of that name; a name that is not a plain listed name is refused (400), an unknown one 404. */
    CheckpointInfo info(String name) throws IOException {
        requireName(name);
        return describe(name).orElseThrow(() -> new ApiException(404, "no checkpoint named " + name + " in the list"));
    }

    /** Borrows the loaded model (loading it, or reloading when the run has written a newer checkpoint). */
    synchronized Lease lease(String name) throws IOException {
        requireName(name);
        RunCheckpoint.Info peek = peek(name).orElseThrow(() -> new ApiException(404, "no checkpoint named " + name));
        Model m = loaded.get(name);
        if (m != null && !peek.dir().equals(loadedDir.get(name)) && m.users == 0) {
            m.close();
            loaded.remove(name);
            m = null;
        }
        if (m == null) {
            evictIdle();
            m = new Model(RunCheckpoint.load(new HadoopFiles(child(name), conf)));
            loaded.put(name, m);
            loadedDir.put(name, peek.dir());
            LOG.info("serve: loaded {} ({})", name, m.checkpoint.dir());
        }
        Model lent = m;
        lent.users++;
        lent.lastUsed = ++clock;
        return new Lease() {
            private boolean open = true;

            @Override
            public Model model() {
                return lent;
            }

            @Override
            public void close() {
                synchronized (Catalog.this) {
                    if (open) {
                        open = false;
                        lent.users--;
                    }
                }
            }
        };
    }

    private void evictIdle() {
        while (loaded.size() >= maxLoaded) {
            String victim = loaded.entrySet().stream().filter(e -> e.getValue().users == 0)
                    .min(Comparator.comparingLong(e -> e.getValue().lastUsed)).map(Map.Entry::getKey).orElse(null);
            if (victim == null) {
                return; // all in use: go over the cap for now rather than fail a request
            }
            loaded.remove(victim).close();
            loadedDir.remove(victim);
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isEmpty()) {
            throw ApiException.badRequest("no checkpoint named in the request");
        }
        if (!NAME.matcher(name).matches()) {
            throw new RefusedName(name);
        }
    }

    private String child(String name) {
        return root + "/" + name;
    }

    private Optional<RunCheckpoint.Info> peek(String name) throws IOException {
        Path p = new Path(child(name));
        if (!p.getFileSystem(conf).exists(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunCheckpoint.peek(new HadoopFiles(child(name), conf)));
        } catch (IllegalArgumentException | IOException e) {
            LOG.warn("serve: {} is not a readable checkpoint: {}", child(name), e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<CheckpointInfo> describe(String name) throws IOException {
        return peek(name).map(i -> info(name, i));
    }

    private static CheckpointInfo info(String name, RunCheckpoint.Info i) {
        TrainConfig cfg = i.config();
        Network net = cfg.network();
        long[] shape = net.sampleShape();
        boolean image = shape.length == 3;
        String dir = i.dir();
        String last = dir.substring(dir.lastIndexOf('/') + 1);
        long step = last.matches("step-\\d+") ? Long.parseLong(last.substring(5)) : -1;
        return new CheckpointInfo(name, cfg.methodSettings().kindName(), image ? (int) shape[0] : 0, image ? (int) shape[1] : 0,
                image ? 0 : (int) shape[0], net.numClasses(), cfg.emaRates(), step);
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(Model::close);
        loaded.clear();
    }

    /** A checkpoint name that is not a plain listed name (a path, "..", a hidden file): 400, and the server logs it. */
    static final class RefusedName extends ApiException {
        RefusedName(String name) {
            super(400, "checkpoint names are plain listed names, not paths: " + printable(name));
        }
    }

    static String printable(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
