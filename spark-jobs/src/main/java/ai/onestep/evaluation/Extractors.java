package ai.onestep.evaluation;

import ai.onestep.eval.DigitScorer;
import ai.onestep.eval.features.ClassifierFeatures;
import ai.onestep.eval.features.FeatureExtractor;
import ai.onestep.eval.features.InceptionFeatures;
import ai.onestep.eval.features.OnnxFeatures;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Feature extractors by resolved spec, opened once per JVM (driver or executor) and reused:
 * {@code classifier:URI} (a OneStep classifier .npz), {@code inception:URI} (TensorFlow's frozen
 * {@code classify_image_graph_def.pb}, imported with SameDiff) or {@code onnx:URI} (any ONNX feature extractor).
 */
public final class Extractors {
    private static final ConcurrentHashMap<String, FeatureExtractor> OPEN = new ConcurrentHashMap<>();

    private Extractors() {
    }

    public static FeatureExtractor open(String spec) {
        return OPEN.computeIfAbsent(spec, Extractors::load);
    }

    private static FeatureExtractor load(String spec) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String uri = colon < 0 ? null : spec.substring(colon + 1);
        if (uri == null || uri.isEmpty()) {
            throw new IllegalArgumentException("features " + spec + ": give classifier:FILE.npz, inception:FILE.pb or onnx:FILE.onnx");
        }
        try {
            byte[] bytes = read(uri);
            return switch (kind) {
                case "classifier" -> {
                    DigitScorer c = DigitScorer.read(new java.io.ByteArrayInputStream(bytes));
                    yield new ClassifierFeatures(c, "classifier-" + c.hiddenSize() + " (" + c.inputSize() + " inputs, "
                            + c.classes() + " classes)");
                }
                case "inception" -> InceptionFeatures.fromGraphDef(bytes);
                case "onnx" -> OnnxFeatures.fromModel(bytes);
                default -> throw new IllegalArgumentException("features must be classifier:FILE.npz, inception:FILE.pb or "
                        + "onnx:FILE.onnx"
                        + " (got " + spec + ")");
            };
        } catch (IOException e) {
            // a file that cannot be read or is not the expected graph: the user's input, one line
            throw new IllegalArgumentException("features " + spec + ": " + e.getMessage(), e);
        }
    }

    static byte[] read(String uri) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(new Configuration());
        if (!fs.exists(p)) {
            throw new IllegalArgumentException("no such file: " + uri);
        }
        try (FSDataInputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }
}
