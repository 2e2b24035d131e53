package ai.onestep.eval.features;

import ai.onestep.util.Check;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.imports.graphmapper.tf.TFGraphMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.tensorflow.framework.AttrValue;
import org.tensorflow.framework.GraphDef;
import org.tensorflow.framework.NodeDef;
import org.tensorflow.framework.TensorShapeProto;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Inception-v3 features from TensorFlow's frozen {@code classify_image_graph_def.pb}, the graph the FID reference
 * code and OpenAI's guided-diffusion evaluator (which the Consistency Models paper used) load. The user supplies the
 * file. As those evaluators do, images go in as float 0..255 NHWC at the tensor {@code ExpandDims:0} (the JPEG
 * decoding before it is cut off and replaced by a placeholder), the graph resizes them to 299x299 itself, and:
 * <ul>
 * <li>pool: {@code pool_3:0}, 2048 values (FID, precision/recall, KID);</li>
 * <li>spatial: the first 7 channels of {@code mixed_6/conv:0}, 17 x 17 x 7 = 2023 values, flattened in NHWC order
 * (sFID);</li>
 * <li>probs: softmax(pool_3 . softmax/weights + softmax/biases), computed here because the graph's own softmax path
 * reshapes to a batch of one (Inception Score).</li>
 * </ul>
 */
public final class InceptionFeatures implements FeatureExtractor {
    static final String INPUT = "ExpandDims";
    static final String POOL = "pool_3";
    static final String SPATIAL = "mixed_6/conv";
    static final int SPATIAL_CHANNELS = 7;
    /** Nodes feeding the input placeholder (JPEG decoding) and the batch-of-one softmax path: not imported. */
    private static final Set<String> CUT = Set.of("DecodeJpeg/contents", "DecodeJpeg", "Cast", "ExpandDims",
            "ExpandDims/dim", "pool_3/_reshape", "pool_3/_reshape/shape", "softmax/logits/MatMul", "softmax/logits",
            "softmax", "softmax/weights", "softmax/biases");

    private final SameDiff graph;
    private final INDArray softmaxWeights;
    private final INDArray softmaxBiases;

    private InceptionFeatures(SameDiff graph, INDArray softmaxWeights, INDArray softmaxBiases) {
        this.graph = graph;
        this.softmaxWeights = softmaxWeights;
        this.softmaxBiases = softmaxBiases;
    }

    /** Imports the frozen graph (the bytes of classify_image_graph_def.pb). */
    public static InceptionFeatures fromGraphDef(byte[] bytes) throws IOException {
        GraphDef def;
        try {
            def = GraphDef.parseFrom(bytes);
        } catch (org.nd4j.shade.protobuf.InvalidProtocolBufferException e) {
            throw new IOException("not a TensorFlow GraphDef (.pb): " + e.getMessage(), e);
        }
        Map<String, NodeDef> byName = new java.util.HashMap<>();
        def.getNodeList().forEach(n -> byName.put(n.getName(), n));
        for (String required : new String[]{INPUT, POOL, SPATIAL, "softmax/weights", "softmax/biases"}) {
            if (!byName.containsKey(required)) {
                throw new IOException("the graph has no node '" + required + "': not Inception-v3's "
                        + "classify_image_graph_def.pb");
            }
        }
        INDArray w = TFGraphMapper.getNDArrayFromTensor(byName.get("softmax/weights")).castTo(DataType.FLOAT);
        INDArray b = TFGraphMapper.getNDArrayFromTensor(byName.get("softmax/biases")).castTo(DataType.FLOAT)
                .reshape(1, -1);
        GraphDef.Builder cut = def.toBuilder().clearNode();
        cut.addNode(NodeDef.newBuilder().setName(INPUT).setOp("Placeholder")
                .putAttr("dtype", AttrValue.newBuilder().setType(org.tensorflow.framework.DataType.DT_FLOAT).build())
                .putAttr("shape", AttrValue.newBuilder().setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(-1))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(-1))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(-1))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(3))).build()));
        for (NodeDef n : def.getNodeList()) {
            if (!CUT.contains(n.getName())) {
                cut.addNode(n);
            }
        }
        return new InceptionFeatures(SameDiff.importFrozenTF(cut.build()), w, b);
    }

    @Override
    public String name() {
        return "inception-v3 (pool_3 2048, mixed_6/conv[:7] spatial, softmax " + softmaxWeights.size(1) + ")";
    }

    @Override
    public Features extract(INDArray images) {
        Check.that(images.rank() == 4, "Inception features need images (N, C, H, W)");
        long c = images.size(1);
        Check.that(c == 1 || c == 3, "Inception features need 1 or 3 channels (got " + c + ")");
        // as saved uint8 samples: round((x + 1) * 127.5) clipped to 0..255, NHWC, gray repeated to RGB
        INDArray u8 = Transforms.round(images.castTo(DataType.FLOAT).add(1).muli(127.5), false);
        u8 = Transforms.max(Transforms.min(u8, 255, false), 0, false);
        INDArray nhwc = u8.permute(0, 2, 3, 1).dup('c');
        if (c == 1) {
            nhwc = Nd4j.concat(3, nhwc, nhwc, nhwc);
        }
        Map<String, INDArray> out = graph.output(Map.of(INPUT, nhwc), POOL, SPATIAL);
        INDArray pool = out.get(POOL).reshape(images.size(0), -1);
        INDArray spatial = out.get(SPATIAL).get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, SPATIAL_CHANNELS)).dup('c').reshape(images.size(0), -1);
        INDArray probs = Transforms.softmax(pool.mmul(softmaxWeights).addiRowVector(softmaxBiases), false);
        return new Features(pool.toFloatMatrix(), spatial.toFloatMatrix(), probs.toFloatMatrix());
    }
}
