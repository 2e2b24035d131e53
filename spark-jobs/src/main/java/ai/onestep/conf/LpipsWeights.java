package ai.onestep.conf;

import ai.onestep.loss.Lpips;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/** LPIPS weights at a Hadoop URI (or a local path), so executors on any node read the same file. */
final class LpipsWeights {
    private LpipsWeights() {
    }

    static Lpips load(String location, Configuration hadoop) {
        Path path = new Path(location);
        try (InputStream in = path.getFileSystem(hadoop).open(path)) {
            return Lpips.read(in, location);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("LPIPS needs VGG16 and LPIPS linear weights as one .npz file; "
                    + "not found: " + location + " (README, Training: method.lpipsWeights)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("LPIPS weights " + location + " cannot be read: " + e.getMessage(), e);
        }
    }
}
