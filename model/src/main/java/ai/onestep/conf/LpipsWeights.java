package ai.onestep.conf;

import ai.onestep.loss.Lpips;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/** LPIPS weights at a location every executor can open (a Hadoop URI in the Spark jobs). */
final class LpipsWeights {
    private LpipsWeights() {
    }

    static Lpips load(String location, Locations locations) {
        try (InputStream in = locations.open(location)) {
            return Lpips.read(in, location);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("LPIPS needs VGG16 and LPIPS linear weights as one .npz file; "
                    + "not found: " + location + " (README, Training: method.lpipsWeights)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("LPIPS weights " + location + " cannot be read: " + e.getMessage(), e);
        }
    }
}
