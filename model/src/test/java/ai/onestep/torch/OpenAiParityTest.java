package ai.onestep.torch;

import ai.onestep.ckpt.Npy;
import ai.onestep.conf.MethodSettings;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.nn.Network;
import ai.onestep.precond.ConsistencyPrecond;
import ai.onestep.precond.Denoiser;
import ai.onestep.precond.EdmPrecond;
import ai.onestep.precond.Precond;
import ai.onestep.sampler.ConsistencySampler;
import ai.onestep.sampler.SamplerNoise;
import ai.onestep.schedule.Karras;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A state dict of the original UNetModel (openai/consistency_models, random weights in every tensor), imported and
 * run, against what the original code computed from it ({@link ai.onestep.testing.OpenAiUnet}): the raw network
 * output, both denoisers and the one-step and three-step samples with the recorded noise.
 */
class OpenAiParityTest {
    private static Map<String, Npy.Array> io;
    private static StateDictImport.Imported imported;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        try (InputStream in = java.nio.file.Files.newInputStream(fixture("imagenet64-like-io.npz"))) {
            io = Npy.readNpz(in);
        }
        imported = importFixture("imagenet64-like.pt");
    }

    static Path fixture(String name) {
        return ai.onestep.testing.OpenAiUnet.file(name);
    }

    static StateDictImport.Imported importFixture(String name) throws IOException, URISyntaxException {
        Map<String, TorchTensor> dict = TorchFile.readStateDict(fixture(name));
        return StateDictImport.of(dict, new StateDictImport.Options(name, MethodSettings.Kind.CT, 32, 16));
    }

    private static INDArray array(String name) {
        Npy.Array a = io.get(name);
        return Nd4j.createFromArray(a.floats()).reshape(a.shape());
    }

    private static double[] sigmas() {
        return io.get("sigma").asDoubles();
    }

    private static int[] labels() {
        double[] y = io.get("y").asDoubles();
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = (int) y[i];
        }
        return out;
    }

    private static GraphDenoiser denoiser(StateDictImport.Imported imp, Precond precond) {
        Network net = imp.config().network();
        return GraphDenoiser.forInference(net, precond, DataType.FLOAT).bind(imp.checkpoint().model());
    }

    /** The raw network F(c_in x, c_noise, y) as a denoiser: c_skip = 0, c_out = 1, EDM's c_in and c_noise. */
    private static Precond raw() {
        EdmPrecond edm = EdmPrecond.standard();
        return new Precond() {
            @Override
            public Scalings at(double sigma) {
                Scalings s = edm.at(sigma);
                return new Scalings(0, 1, s.cIn(), s.cNoise());
            }

            @Override
            public double sigmaData() {
                return edm.sigmaData();
            }
        };
    }

    private static double maxAbs(INDArray a, INDArray b) {
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    @Test
    void theArchitectureIsReadFromTheShapes() {
        var net = (ai.onestep.nn.UNet) imported.config().network();
        var c = net.config();
        assertEquals(32, c.modelChannels());
        assertEquals(java.util.List.of(1, 2, 2), c.channelMult());
        assertEquals(2, c.numResBlocks());
        assertEquals(java.util.List.of(16, 8), c.attentionResolutions());
        assertEquals(1000, c.numClasses());
        assertTrue(c.scaleShiftNorm() && c.resblockUpdown() && c.attentionConv2d());
        assertEquals(2134595, imported.checkpoint().model().length());
    }

    @Test
    void rawOutputAndDenoisersMatchTheOriginal() {
        INDArray xt = array("x_t");
        try (GraphDenoiser f = denoiser(imported, raw());
             GraphDenoiser cm = denoiser(imported, ConsistencyPrecond.standard());
             GraphDenoiser edm = denoiser(imported, EdmPrecond.standard())) {
            double raw = maxAbs(f.denoise(xt, sigmas(), labels()), array("net_out"));
            double consistency = maxAbs(cm.denoise(xt, sigmas(), labels()), array("denoised_consistency"));
            double edmDiff = maxAbs(edm.denoise(xt, sigmas(), labels()), array("denoised_edm"));
            System.out.printf("parity: raw %.2e, consistency %.2e, edm %.2e%n", raw, consistency, edmDiff);
            assertTrue(raw < 1e-4, "raw output off by " + raw);
            assertTrue(consistency < 1e-4, "consistency denoiser off by " + consistency);
            assertTrue(edmDiff < 1e-4, "EDM denoiser off by " + edmDiff);
            assertTrue(Transforms.abs(array("net_out")).maxNumber().doubleValue() > 0.1, "a non-trivial reference");
        }
    }

    private static SamplerNoise recorded() {
        return SamplerNoise.recorded(Map.of("x_T", array("sample_noise_T"), "z_1", array("sample_noise_1"),
                "z_2", array("sample_noise_2")), 0);
    }

    @Test
    void oneStepAndMultistepSamplesMatchTheOriginal() {
        long[] shape = array("sample_noise_T").shape();
        try (GraphDenoiser cm = denoiser(imported, ConsistencyPrecond.standard())) {
            Denoiser f = cm.clamped();
            INDArray one = ConsistencySampler.oneStep(80, 0.002).sample(f, recorded(), shape, labels());
            INDArray three = ConsistencySampler.fromGrid(Karras.standard().sigmas(40), new int[]{0, 22, 39}, 0.002)
                    .sample(f, recorded(), shape, labels());
            double oneDiff = maxAbs(one, array("sample_one_step"));
            double threeDiff = maxAbs(three, array("sample_two_step_ts_0_22_39"));
            System.out.printf("parity: one step %.2e, ts 0,22,39 %.2e%n", oneDiff, threeDiff);
            assertTrue(oneDiff < 1e-3, "one-step sample off by " + oneDiff);
            assertTrue(threeDiff < 1e-3, "multistep sample off by " + threeDiff);
            assertEquals(1.0, Transforms.abs(one).maxNumber().doubleValue(), 1e-6, "clamped to [-1, 1], and reaching it");
        }
    }

    /** The float16 file's network: its output moves from the float32 one's only by the weights' rounding. */
    @Test
    void float16FileGivesTheOutputWithinItsRounding() throws Exception {
        StateDictImport.Imported half = importFixture("imagenet64-like-fp16.pt");
        try (GraphDenoiser f = denoiser(half, raw())) {
            INDArray want = array("net_out");
            double diff = maxAbs(f.denoise(array("x_t"), sigmas(), labels()), want);
            double scale = Transforms.abs(want).maxNumber().doubleValue();
            System.out.printf("parity: float16 raw %.2e of %.2e%n", diff, scale);
            assertTrue(diff > 1e-6 && diff < 1e-2 * scale, "float16 raw output off by " + diff);
        }
    }

    /** Another architecture's state dict: the import lists what is missing and what is unexpected. */
    @Test
    void anotherArchitectureIsRefusedListingTheKeys() throws Exception {
        Map<String, TorchTensor> dict = new java.util.LinkedHashMap<>(TorchFile.readStateDict(fixture("imagenet64-like.pt")));
        dict.remove("middle_block.0.in_layers.2.weight");
        dict.put("encoder.extra.weight", new TorchTensor(new long[]{2}, new float[2]));
        String m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () ->
                StateDictImport.of(dict, new StateDictImport.Options("x.pt", MethodSettings.Kind.CT, 32, 16)))
                .getMessage();
        assertTrue(m.contains("missing (1): middle_block.0.in_layers.2.weight")
                && m.contains("unexpected (1): encoder.extra.weight"), m);
        Map<String, TorchTensor> foreign = Map.of("map_noise.freqs", new TorchTensor(new long[]{2}, new float[2]));
        m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () ->
                StateDictImport.of(foreign, new StateDictImport.Options("x.pt", MethodSettings.Kind.CT, 32, 16)))
                .getMessage();
        assertTrue(m.contains("not the state dict of a consistency-models UNetModel"), m);
    }
}
