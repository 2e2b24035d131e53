package ai.onestep.data.source;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Listing helpers over the Hadoop FileSystem API: every input is a URI (file://, hdfs://, s3a://). */
final class Files {
    private Files() {
    }

    static FileSystem fs(String uri, Configuration conf) throws IOException {
        return new Path(uri).getFileSystem(conf);
    }

    static FileStatus require(String uri, Configuration conf, boolean directory) throws IOException {
        Path p = new Path(uri);
        FileStatus st;
        try {
            st = p.getFileSystem(conf).getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("input does not exist: " + uri);
        }
        if (directory && !st.isDirectory()) {
            throw new IllegalArgumentException("input is not a directory: " + uri);
        }
        return st;
    }

    /** Regular files under dir, recursively, sorted by path; hidden files (".", "_") are ignored. */
    static List<FileStatus> recursive(Path dir, Configuration conf) throws IOException {
        List<FileStatus> out = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = dir.getFileSystem(conf).listFiles(dir, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            if (f.isFile() && !hidden(f.getPath(), dir)) {
                out.add(f);
            }
        }
        out.sort(Comparator.comparing(f -> f.getPath().toString()));
        return out;
    }

    static List<FileStatus> subdirectories(Path dir, Configuration conf) throws IOException {
        List<FileStatus> out = new ArrayList<>();
        for (FileStatus f : dir.getFileSystem(conf).listStatus(dir)) {
            if (f.isDirectory() && !hidden(f.getPath(), dir)) {
                out.add(f);
            }
        }
        out.sort(Comparator.comparing(f -> f.getPath().getName()));
        return out;
    }

    private static boolean hidden(Path p, Path root) {
        for (Path q = p; q != null && !q.equals(root) && q.depth() > root.depth(); q = q.getParent()) {
            String n = q.getName();
            if (n.startsWith(".") || n.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /** The path of f relative to root, with '/' separators: the item key. */
    static String relative(Path root, Path f) {
        String r = root.toUri().getPath();
        String s = f.toUri().getPath();
        String rel = s.startsWith(r) ? s.substring(r.length()) : s;
        return rel.startsWith("/") ? rel.substring(1) : rel;
    }
}
