package ai.onestep.distributed;

import ai.onestep.ckpt.CheckpointFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Fault injection for the cluster tests: with {@code -Donestep.crash.checkpoint=<step>} the driver process halts
 * (as kill -9 would) halfway through writing that step's checkpoint, after its model file and before its checksums
 * and commit. Without the property this is the identity.
 */
final class CrashPoint {
    private CrashPoint() {
    }

    static CheckpointFiles wrap(CheckpointFiles files, long step) {
        String at = System.getProperty("onestep.crash.checkpoint");
        if (at == null || Long.parseLong(at) != step) {
            return files;
        }
        return new CheckpointFiles() {
            @Override
            public OutputStream create(String path) throws IOException {
                if (path.endsWith("/target.npz") || path.endsWith("/optimizer.npz") || path.contains("/ema-")) {
                    Runtime.getRuntime().halt(137);
                }
                return files.create(path);
            }

            @Override
            public InputStream open(String path) throws IOException {
                return files.open(path);
            }

            @Override
            public boolean exists(String path) throws IOException {
                return files.exists(path);
            }

            @Override
            public void rename(String from, String to) throws IOException {
                files.rename(from, to);
            }

            @Override
            public List<String> list(String dir) throws IOException {
                return files.list(dir);
            }

            @Override
            public void deleteRecursively(String path) throws IOException {
                files.deleteRecursively(path);
            }

            @Override
            public void mkdirs(String path) throws IOException {
                files.mkdirs(path);
            }

            @Override
            public String describe(String path) {
                return files.describe(path);
            }
        };
    }
}
