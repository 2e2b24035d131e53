package ai.onestep.data.shard;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A committed shard directory: its manifest and the paths of its shards. */
public record ShardSet(Path dir, Manifest manifest) {
    /** Opens a shard set, refusing a directory without a manifest (missing or never committed) with one clear line. */
    public static ShardSet open(String uri, Configuration conf) throws IOException {
        Path dir = new Path(uri);
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir)) {
            throw new IllegalArgumentException("shard directory does not exist: " + uri);
        }
        Path m = new Path(dir, Manifest.FILE);
        byte[] json;
        try (FSDataInputStream in = fs.open(m)) {
            json = in.readAllBytes();
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("not a shard set (no " + Manifest.FILE + "; an unfinished prep job?): " + uri);
        }
        return new ShardSet(fs.makeQualified(dir), Manifest.fromJson(json, m.toString()));
    }

    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (Manifest.Shard s : manifest.shards()) {
            out.add(new Path(dir, s.file()));
        }
        return out;
    }

    /** The first {@code n} rows in shard order (all of them when the set is smaller). */
    public List<Row> firstRows(int n, Configuration conf) throws IOException {
        List<Row> out = new ArrayList<>();
        for (Path f : files()) {
            try (ShardReader r = new ShardReader(f, conf)) {
                for (Row row = r.next(); row != null && out.size() < n; row = r.next()) {
                    out.add(row);
                }
            }
            if (out.size() >= n) {
                break;
            }
        }
        return out;
    }
}
