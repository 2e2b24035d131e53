package ai.onestep.eval.features;

import ai.onestep.util.Check;
import onnx.Onnx;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.samediff.frameworkimport.onnx.importer.OnnxFrameworkImporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Features from any ONNX graph (a user's own extractor exported from PyTorch or TensorFlow), imported with SameDiff's
 * ONNX importer. The graph has one input, float NCHW; images go in as the samplers produce them, in [-1, 1] (put any
 * other normalisation into the exported graph). The first graph output, flattened per image, is the pooled feature
 * vector (FID, precision/recall, KID); a second output, when present, must be class probabilities (Inception Score,
 * confident fraction). There are no spatial features (sFID needs the Inception extractor).
 */
public final class OnnxFeatures implements FeatureExtractor {
    private final SameDiff graph;
    private final String input;
    private final long[] inputShape;
    private final String pool;
    private final String probs;
    private final String name;

    private OnnxFeatures(SameDiff graph, String input, long[] inputShape, String pool, String probs, String name) {
        this.graph = graph;
        this.input = input;
        this.inputShape = inputShape;
        this.pool = pool;
        this.probs = probs;
        this.name = name;
    }

    /** Imports an ONNX model (the bytes of a .onnx file). */
    public static OnnxFeatures fromModel(byte[] bytes) throws IOException {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(bytes);
        } catch (org.nd4j.shade.protobuf.InvalidProtocolBufferException e) {
            throw new IOException("not an ONNX model (.onnx): " + e.getMessage(), e);
        }
        Onnx.GraphProto g = model.getGraph();
        List<Onnx.ValueInfoProto> inputs = new ArrayList<>();
        java.util.Set<String> initializers = new java.util.HashSet<>();
        g.getInitializerList().forEach(t -> initializers.add(t.getName()));
        for (Onnx.ValueInfoProto v : g.getInputList()) {
            if (!initializers.contains(v.getName())) {
                inputs.add(v);
            }
        }
        if (g.getNodeCount() == 0 || inputs.size() != 1 || g.getOutputCount() < 1) {
            throw new IOException("not a feature-extractor ONNX graph: it needs nodes, exactly one image input and at "
                    + "least one output (has " + g.getNodeCount() + " nodes, " + inputs.size() + " inputs, "
                    + g.getOutputCount() + " outputs)");
        }
        Onnx.ValueInfoProto in = inputs.get(0);
        List<Onnx.TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
        if (dims.size() != 4) {
            throw new IOException("the ONNX graph's input " + in.getName() + " must be NCHW images (rank 4), not rank "
                    + dims.size());
        }
        long[] shape = new long[4];
        for (int i = 0; i < 4; i++) {
            shape[i] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : -1;
        }
        Path tmp = Files.createTempFile("onestep-features", ".onnx");
        SameDiff sd;
        try {
            Files.write(tmp, bytes);
            sd = new OnnxFrameworkImporter().runImport(tmp.toString(), Collections.emptyMap(), false);
        } catch (RuntimeException e) {
            throw new IOException("cannot import the ONNX graph: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
        fixMatMulScaling(g, sd);
        String pool = g.getOutput(0).getName();
        String probs = g.getOutputCount() > 1 ? g.getOutput(1).getName() : null;
        String label = "onnx " + (g.getName().isEmpty() ? "graph" : g.getName()) + " " + pool
                + (probs == null ? "" : " + " + probs);
        return new OnnxFeatures(sd, in.getName(), shape, pool, probs, label);
    }

    /**
     * SameDiff 1.0.0-M2.1 imports ONNX MatMul as its matmul op with alpha = 0 and beta = 1 (the rule set leaves alpha
     * unset), so every product comes out as zeros; ONNX MatMul has no scaling, so alpha = 1, beta = 0 is what it means.
     */
    static void fixMatMulScaling(Onnx.GraphProto g, SameDiff sd) {
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (!n.getOpType().equals("MatMul") || n.getOutputCount() == 0) {
                continue;
            }
            DifferentialFunction f = sd.getVariableOutputOp(n.getOutput(0));
            if (f instanceof DynamicCustomOp op) {
                while (op.numTArguments() > 0) {
                    op.removeTArgument(op.getTArgument(0));
                }
                op.addTArgument(1.0, 0.0);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Features extract(INDArray images) {
        Check.that(images.rank() == 4, "images must be (N, C, H, W), got rank " + images.rank());
        for (int i = 1; i < 4; i++) {
            if (inputShape[i] > 0 && images.size(i) != inputShape[i]) {
                throw new IllegalArgumentException("images are " + images.size(1) + "x" + images.size(2) + "x"
                        + images.size(3) + " (C x H x W); the ONNX graph takes " + inputShape[1] + "x" + inputShape[2]
                        + "x" + inputShape[3]);
            }
        }
        List<String> outs = probs == null ? List.of(pool) : List.of(pool, probs);
        Map<String, INDArray> out = graph.output(Map.of(input, images.castTo(DataType.FLOAT)), outs);
        long n = images.size(0);
        return new Features(rows(out.get(pool), n), null, probs == null ? null : rows(out.get(probs), n));
    }

    private static float[][] rows(INDArray a, long n) {
        INDArray m = a.reshape(n, a.length() / n);
        float[][] r = new float[(int) n][];
        for (int i = 0; i < n; i++) {
            r[i] = m.getRow(i).toFloatVector();
        }
        return r;
    }
}
