package ai.onestep.ckpt;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** {@link CheckpointFiles} on the local file system. */
public final class LocalFiles implements CheckpointFiles {
    private final Path root;

    public LocalFiles(Path root) {
        this.root = root;
    }

    private Path p(String path) {
        return root.resolve(path);
    }

    @Override
    public OutputStream create(String path) throws IOException {
        Files.createDirectories(p(path).getParent());
        return new BufferedOutputStream(Files.newOutputStream(p(path)), 1 << 16);
    }

    @Override
    public InputStream open(String path) throws IOException {
        return new BufferedInputStream(Files.newInputStream(p(path)), 1 << 16);
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(p(path));
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(p(from), p(to), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public List<String> list(String dir) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(p(dir))) {
            return out;
        }
        try (Stream<Path> s = Files.list(p(dir))) {
            s.forEach(x -> out.add(x.getFileName().toString()));
        }
        return out;
    }

    @Override
    public void deleteRecursively(String path) throws IOException {
        if (!Files.exists(p(path))) {
            return;
        }
        try (Stream<Path> s = Files.walk(p(path))) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    @Override
    public void mkdirs(String path) throws IOException {
        Files.createDirectories(p(path));
    }

    @Override
    public String describe(String path) {
        return p(path).toString();
    }
}
