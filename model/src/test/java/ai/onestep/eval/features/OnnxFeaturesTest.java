package ai.onestep.eval.features;

import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ONNX import path on a graph the test writes itself (Flatten, MatMul + Add features, a Relu, MatMul + Add +
 * Softmax probabilities): the extractor's outputs must equal a direct computation of that network.
 */
class OnnxFeaturesTest {
    static final int SIDE = 4;
    static final int FEATURES = 5;
    static final int CLASSES = 3;

    @Test
    void importedGraphGivesFeaturesAndProbabilitiesOfTheDirectComputation() throws IOException {
        Rng rng = Rng.of(11);
        float[] w1 = floats(rng, SIDE * SIDE * FEATURES, 0.3);
        float[] b1 = floats(rng, FEATURES, 0.1);
        float[] w2 = floats(rng, FEATURES * CLASSES, 0.5);
        float[] b2 = floats(rng, CLASSES, 0.1);
        OnnxFeatures f = OnnxFeatures.fromModel(model(w1, b1, w2, b2, true).toByteArray());
        INDArray images = Tensors.gaussian(Rng.of(4), DataType.FLOAT, 3, 1, SIDE, SIDE).muli(0.5);
        Features out = f.extract(images);
        assertEquals(3, out.count());
        assertNull(out.spatial());
        for (int n = 0; n < 3; n++) {
            double[] feat = new double[FEATURES];
            for (int k = 0; k < FEATURES; k++) {
                feat[k] = b1[k];
                for (int i = 0; i < SIDE * SIDE; i++) {
                    feat[k] += images.getDouble(n, 0, i / SIDE, i % SIDE) * w1[i * FEATURES + k];
                }
                assertEquals(feat[k], out.pool()[n][k], 1e-5, "feature " + k + " of image " + n);
            }
            double[] logits = new double[CLASSES];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                logits[c] = b2[c];
                for (int k = 0; k < FEATURES; k++) {
                    logits[c] += Math.max(0, feat[k]) * w2[k * CLASSES + c];
                }
                max = Math.max(max, logits[c]);
            }
            double z = 0;
            for (double l : logits) {
                z += Math.exp(l - max);
            }
            for (int c = 0; c < CLASSES; c++) {
                assertEquals(Math.exp(logits[c] - max) / z, out.probs()[n][c], 1e-5, "probability " + c);
            }
        }
        assertTrue(f.name().contains("features") && f.name().contains("probs"), f.name());
    }

    @Test
    void aGraphWithOnlyFeaturesHasNoProbabilities() throws IOException {
        Rng rng = Rng.of(12);
        OnnxFeatures f = OnnxFeatures.fromModel(model(floats(rng, SIDE * SIDE * FEATURES, 0.3), floats(rng, FEATURES, 0.1),
                floats(rng, FEATURES * CLASSES, 0.5), floats(rng, CLASSES, 0.1), false).toByteArray());
        Features out = f.extract(Tensors.gaussian(Rng.of(4), DataType.FLOAT, 2, 1, SIDE, SIDE));
        assertEquals(FEATURES, out.pool()[0].length);
        assertNull(out.probs());
    }

    @Test
    void badInputIsRefusedWithOneClearMessage() throws IOException {
        IOException notOnnx = assertThrows(IOException.class,
                () -> OnnxFeatures.fromModel("these bytes are not a protobuf".getBytes()));
        assertTrue(notOnnx.getMessage().contains("ONNX"), notOnnx.getMessage());
        IOException empty = assertThrows(IOException.class,
                () -> OnnxFeatures.fromModel(Onnx.ModelProto.newBuilder().setIrVersion(7).build().toByteArray()));
        assertTrue(empty.getMessage().contains("not a feature-extractor ONNX graph"), empty.getMessage());
        Rng rng = Rng.of(13);
        OnnxFeatures f = OnnxFeatures.fromModel(model(floats(rng, SIDE * SIDE * FEATURES, 0.3), floats(rng, FEATURES, 0.1),
                floats(rng, FEATURES * CLASSES, 0.5), floats(rng, CLASSES, 0.1), true).toByteArray());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> f.extract(Tensors.gaussian(Rng.of(1), DataType.FLOAT, 2, 1, SIDE + 1, SIDE + 1)));
        assertTrue(size.getMessage().contains("the ONNX graph takes 1x4x4"), size.getMessage());
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> f.extract(Tensors.gaussian(Rng.of(1), DataType.FLOAT, 2, 3, SIDE, SIDE)));
        assertTrue(channels.getMessage().contains("3x4x4"), channels.getMessage());
    }

    /** images [N, 1, 4, 4] -> Flatten -> MatMul W1 + B1 = features -> Relu -> MatMul W2 + B2 -> Softmax = probs. */
    static Onnx.ModelProto model(float[] w1, float[] b1, float[] w2, float[] b2, boolean withProbs) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("tiny")
                .addInitializer(tensor("W1", w1, SIDE * SIDE, FEATURES))
                .addInitializer(tensor("B1", b1, FEATURES))
                .addNode(node("Flatten", "flatten", new String[]{"images"}, "flat")
                        .addAttribute(Onnx.AttributeProto.newBuilder().setName("axis").setI(1)
                                .setType(Onnx.AttributeProto.AttributeType.INT)))
                .addNode(node("MatMul", "mm1", new String[]{"flat", "W1"}, "h"))
                .addNode(node("Add", "add1", new String[]{"h", "B1"}, "features"))
                .addInput(info("images", -1, 1, SIDE, SIDE))
                .addOutput(info("features", -1, FEATURES));
        if (withProbs) {
            g.addInitializer(tensor("W2", w2, FEATURES, CLASSES))
                    .addInitializer(tensor("B2", b2, CLASSES))
                    .addNode(node("Relu", "relu", new String[]{"features"}, "r"))
                    .addNode(node("MatMul", "mm2", new String[]{"r", "W2"}, "l"))
                    .addNode(node("Add", "add2", new String[]{"l", "B2"}, "logits"))
                    .addNode(node("Softmax", "softmax", new String[]{"logits"}, "probs")
                            .addAttribute(Onnx.AttributeProto.newBuilder().setName("axis").setI(1)
                                    .setType(Onnx.AttributeProto.AttributeType.INT)))
                    .addOutput(info("probs", -1, CLASSES));
        }
        return Onnx.ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
    }

    private static Onnx.NodeProto.Builder node(String op, String name, String[] inputs, String output) {
        Onnx.NodeProto.Builder b = Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String i : inputs) {
            b.addInput(i);
        }
        return b;
    }

    private static Onnx.TensorProto tensor(String name, float[] values, long... dims) {
        Onnx.TensorProto.Builder b = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber());
        for (long d : dims) {
            b.addDims(d);
        }
        for (float v : values) {
            b.addFloatData(v);
        }
        return b.build();
    }

    private static Onnx.ValueInfoProto info(String name, long... dims) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(d < 0 ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setShape(s)))
                .build();
    }

    private static float[] floats(Rng rng, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.gaussian() * scale);
        }
        return v;
    }
}
