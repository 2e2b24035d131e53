package ai.onestep.eval.features;

import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;
import org.tensorflow.framework.AttrValue;
import org.tensorflow.framework.GraphDef;
import org.tensorflow.framework.NodeDef;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TensorFlow import path on a generated graph with the node names and wiring of Inception-v3's
 * classify_image_graph_def.pb (the real file is not available offline): JPEG decoding feeding ExpandDims, an in-graph
 * ResizeBilinear and (x - 128) / 128, a convolution named mixed_6/conv, pool_3, and a batch-of-one softmax path.
 * The features must equal a direct computation of that small network.
 */
class InceptionFeaturesTest {
    static final int SIDE = 6;
    static final int CH = 9; // > 7: the spatial features keep the first 7
    static final int CLASSES = 4;

    @Test
    void importedGraphGivesPoolSpatialAndSoftmaxOfTheDirectComputation() throws IOException {
        Rng rng = Rng.of(3);
        float[] conv = floats(rng, 3 * CH, 0.05);           // 1x1 conv, HWIO [1, 1, 3, CH]
        float[] w = floats(rng, CH * CLASSES, 0.3);        // softmax/weights [CH, CLASSES]
        float[] b = floats(rng, CLASSES, 0.1);
        InceptionFeatures f = InceptionFeatures.fromGraphDef(graph(conv, w, b).toByteArray());
        INDArray images = Tensors.gaussian(Rng.of(5), DataType.FLOAT, 3, 1, SIDE, SIDE).muli(0.5);
        Features out = f.extract(images);
        assertEquals(3, out.count());
        assertEquals(CH, out.pool()[0].length);
        assertEquals(SIDE * SIDE * 7, out.spatial()[0].length);
        assertEquals(CLASSES, out.probs()[0].length);
        for (int n = 0; n < 3; n++) {
            double[] pool = new double[CH];
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    double v = Math.min(255, Math.max(0, Math.round((images.getDouble(n, 0, y, x) + 1) * 127.5)));
                    double in = (v - 128) / 128.0; // gray repeated to R, G, B
                    for (int k = 0; k < CH; k++) {
                        double a = Math.max(0, in * (conv[k] + conv[CH + k] + conv[2 * CH + k]));
                        pool[k] += a / (SIDE * SIDE);
                        if (k < 7) {
                            assertEquals(a, out.spatial()[n][(y * SIDE + x) * 7 + k], 1e-4, "spatial " + y + "," + x + "," + k);
                        }
                    }
                }
            }
            double[] logits = new double[CLASSES];
            double z = 0;
            for (int c = 0; c < CLASSES; c++) {
                logits[c] = b[c];
                for (int k = 0; k < CH; k++) {
                    assertEquals(pool[k], out.pool()[n][k], 1e-4, "pool " + k);
                    logits[c] += pool[k] * w[k * CLASSES + c];
                }
                z += Math.exp(logits[c]);
            }
            for (int c = 0; c < CLASSES; c++) {
                assertEquals(Math.exp(logits[c]) / z, out.probs()[n][c], 1e-4, "softmax " + c);
            }
        }
    }

    @Test
    void aGraphThatIsNotInceptionIsRefusedByName() {
        GraphDef other = GraphDef.newBuilder().addNode(NodeDef.newBuilder().setName("x").setOp("Placeholder")
                .putAttr("dtype", type(org.tensorflow.framework.DataType.DT_FLOAT))).build();
        IOException e = assertThrows(IOException.class, () -> InceptionFeatures.fromGraphDef(other.toByteArray()));
        assertTrue(e.getMessage().contains("classify_image_graph_def.pb"), e.getMessage());
        assertThrows(IOException.class, () -> InceptionFeatures.fromGraphDef("not a graph".getBytes()));
    }

    /** A miniature of classify_image_graph_def.pb's wiring (same names where the importer looks). */
    static GraphDef graph(float[] conv, float[] w, float[] b) {
        org.tensorflow.framework.DataType f32 = org.tensorflow.framework.DataType.DT_FLOAT;
        GraphDef.Builder g = GraphDef.newBuilder();
        g.addNode(NodeDef.newBuilder().setName("DecodeJpeg/contents").setOp("Const")
                .putAttr("dtype", type(org.tensorflow.framework.DataType.DT_STRING))
                .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
                        .setDtype(org.tensorflow.framework.DataType.DT_STRING).addStringVal(ByteString.copyFromUtf8("")))
                        .build()));
        g.addNode(NodeDef.newBuilder().setName("DecodeJpeg").setOp("DecodeJpeg").addInput("DecodeJpeg/contents"));
        g.addNode(NodeDef.newBuilder().setName("Cast").setOp("Cast").addInput("DecodeJpeg")
                .putAttr("SrcT", type(org.tensorflow.framework.DataType.DT_UINT8)).putAttr("DstT", type(f32)));
        g.addNode(constInt("ExpandDims/dim", new int[]{0}, new long[]{}));
        g.addNode(NodeDef.newBuilder().setName("ExpandDims").setOp("ExpandDims").addInput("Cast").addInput("ExpandDims/dim")
                .putAttr("T", type(f32)).putAttr("Tdim", type(org.tensorflow.framework.DataType.DT_INT32)));
        g.addNode(constInt("ResizeBilinear/size", new int[]{SIDE, SIDE}, new long[]{2}));
        g.addNode(NodeDef.newBuilder().setName("ResizeBilinear").setOp("ResizeBilinear").addInput("ExpandDims")
                .addInput("ResizeBilinear/size").putAttr("T", type(f32))
                .putAttr("align_corners", AttrValue.newBuilder().setB(false).build()));
        g.addNode(constFloat("Sub/y", new float[]{128}, new long[]{}));
        g.addNode(NodeDef.newBuilder().setName("Sub").setOp("Sub").addInput("ResizeBilinear").addInput("Sub/y").putAttr("T", type(f32)));
        g.addNode(constFloat("Mul/y", new float[]{1 / 128f}, new long[]{}));
        g.addNode(NodeDef.newBuilder().setName("Mul").setOp("Mul").addInput("Sub").addInput("Mul/y").putAttr("T", type(f32)));
        g.addNode(constFloat("mixed_6/conv/conv2d_params", conv, new long[]{1, 1, 3, CH}));
        g.addNode(NodeDef.newBuilder().setName("mixed_6/conv/Conv2D").setOp("Conv2D").addInput("Mul")
                .addInput("mixed_6/conv/conv2d_params").putAttr("T", type(f32))
                .putAttr("strides", ints(1, 1, 1, 1)).putAttr("padding", str("SAME"))
                .putAttr("data_format", str("NHWC")).putAttr("use_cudnn_on_gpu", AttrValue.newBuilder().setB(true).build()));
        g.addNode(NodeDef.newBuilder().setName("mixed_6/conv").setOp("Relu").addInput("mixed_6/conv/Conv2D").putAttr("T", type(f32)));
        g.addNode(NodeDef.newBuilder().setName("pool_3").setOp("AvgPool").addInput("mixed_6/conv").putAttr("T", type(f32))
                .putAttr("ksize", ints(1, SIDE, SIDE, 1)).putAttr("strides", ints(1, 1, 1, 1))
                .putAttr("padding", str("VALID")).putAttr("data_format", str("NHWC")));
        g.addNode(constInt("pool_3/_reshape/shape", new int[]{1, CH}, new long[]{2}));
        g.addNode(NodeDef.newBuilder().setName("pool_3/_reshape").setOp("Reshape").addInput("pool_3")
                .addInput("pool_3/_reshape/shape").putAttr("T", type(f32)));
        g.addNode(constFloat("softmax/weights", w, new long[]{CH, CLASSES}));
        g.addNode(constFloat("softmax/biases", b, new long[]{CLASSES}));
        g.addNode(NodeDef.newBuilder().setName("softmax/logits/MatMul").setOp("MatMul").addInput("pool_3/_reshape")
                .addInput("softmax/weights").putAttr("T", type(f32)));
        g.addNode(NodeDef.newBuilder().setName("softmax/logits").setOp("BiasAdd").addInput("softmax/logits/MatMul")
                .addInput("softmax/biases").putAttr("T", type(f32)));
        g.addNode(NodeDef.newBuilder().setName("softmax").setOp("Softmax").addInput("softmax/logits").putAttr("T", type(f32)));
        return g.build();
    }

    static float[] floats(Rng rng, int n, double scale) {
        float[] g = rng.gaussian(n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (g[i] * scale);
        }
        return out;
    }

    static AttrValue type(org.tensorflow.framework.DataType t) {
        return AttrValue.newBuilder().setType(t).build();
    }

    static AttrValue str(String s) {
        return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(s)).build();
    }

    static AttrValue ints(long... v) {
        AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
        for (long x : v) {
            l.addI(x);
        }
        return AttrValue.newBuilder().setList(l).build();
    }

    static TensorShapeProto shape(long[] dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return s.build();
    }

    static NodeDef constFloat(String name, float[] v, long[] dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setDtype(org.tensorflow.framework.DataType.DT_FLOAT).setTensorShape(shape(dims));
        for (float x : v) {
            t.addFloatVal(x);
        }
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(org.tensorflow.framework.DataType.DT_FLOAT))
                .putAttr("value", AttrValue.newBuilder().setTensor(t).build()).build();
    }

    static NodeDef constInt(String name, int[] v, long[] dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setDtype(org.tensorflow.framework.DataType.DT_INT32).setTensorShape(shape(dims));
        for (int x : v) {
            t.addIntVal(x);
        }
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(org.tensorflow.framework.DataType.DT_INT32))
                .putAttr("value", AttrValue.newBuilder().setTensor(t).build()).build();
    }
}
