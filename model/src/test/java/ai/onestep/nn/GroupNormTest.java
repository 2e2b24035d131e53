package ai.onestep.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Both kernels of Layers.groupNorm against GroupNorm written out element by element. */
class GroupNormTest {
    static final int N = 3, C = 8, G = 4, H = 5, W = 6;
    static final Norm NORM = new Norm(G, UNetConfig.TORCH_NORM_EPS);

    @org.junit.jupiter.params.ParameterizedTest(name = "differentiated={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void matchesTheDefinitionAndMapsAConstantGroupToItsShift(boolean differentiated) {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.DOUBLE, N, C, H, W).muli(2.5).addi(0.7);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4))
                .assign(3.25); // group 1 of sample 1 is constant
        double[] gamma = new double[C];
        double[] beta = new double[C];
        for (int ch = 0; ch < C; ch++) {
            gamma[ch] = 0.5 + 0.1 * ch;
            beta[ch] = -0.3 + 0.07 * ch;
        }
        SameDiff sd = SameDiff.create();
        ParamStore params = ParamStore.forGraph(sd, DataType.DOUBLE);
        NetContext ctx = new NetContext(sd, params, false, differentiated);
        SDVariable in = sd.placeHolder("x", DataType.DOUBLE, -1, C, H, W);
        SDVariable out = Layers.groupNorm(ctx, "gn", in, C, NORM, H, W);
        INDArray flat = params.initialise(ai.onestep.util.Rng.of(1));
        params.bind(flat);
        ParamStore.view(flat, params.spec("gn.weight")).assign(Nd4j.createFromArray(gamma));
        ParamStore.view(flat, params.spec("gn.bias")).assign(Nd4j.createFromArray(beta));
        INDArray y = sd.output(Map.of("x", x), out.name()).get(out.name());

        int per = C / G;
        for (int n = 0; n < N; n++) {
            for (int g = 0; g < G; g++) {
                double sum = 0, sq = 0;
                int count = per * H * W;
                for (int ch = g * per; ch < (g + 1) * per; ch++) {
                    for (int i = 0; i < H; i++) {
                        for (int j = 0; j < W; j++) {
                            sum += x.getDouble(n, ch, i, j);
                        }
                    }
                }
                double mean = sum / count;
                for (int ch = g * per; ch < (g + 1) * per; ch++) {
                    for (int i = 0; i < H; i++) {
                        for (int j = 0; j < W; j++) {
                            double d = x.getDouble(n, ch, i, j) - mean;
                            sq += d * d;
                        }
                    }
                }
                double var = sq / count;
                for (int ch = g * per; ch < (g + 1) * per; ch++) {
                    for (int i = 0; i < H; i++) {
                        for (int j = 0; j < W; j++) {
                            double expect = (x.getDouble(n, ch, i, j) - mean) / Math.sqrt(var + NORM.eps()) * gamma[ch]
                                    + beta[ch];
                            assertEquals(expect, y.getDouble(n, ch, i, j), 1e-9,
                                    "n=" + n + " c=" + ch + " i=" + i + " j=" + j);
                        }
                    }
                }
            }
        }
        assertEquals(beta[2], y.getDouble(1, 2, 0, 0), 1e-12, "a constant group normalises to 0, leaving the shift");
    }

    /**
     * In float, as training and sampling run: a constant group gives exactly the shift, and the kernels agree: the
     * forward-only and differentiated ND4J kernels and the fused Java op. The sizes include planes of 30 and 63 pixels,
     * whose float means of the constant are not exact in ND4J.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}x{1}")
    @org.junit.jupiter.params.provider.CsvSource({"5,6", "7,9", "32,32"})
    void floatKernelsAgreeAndAConstantGroupStaysExact(int h, int w) {
        Nd4j.getRandom().setSeed(12);
        INDArray x = Nd4j.randn(DataType.FLOAT, N, C, h, w).muli(3).addi(40); // a large mean, as late activations
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(2), org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 6))
                .assign(1234.567f); // group 2 of sample 2 is constant (a value whose float mean is not exact)
        float[] gamma = new float[C];
        float[] beta = new float[C];
        for (int ch = 0; ch < C; ch++) {
            gamma[ch] = 0.5f + 0.1f * ch;
            beta[ch] = -0.3f + 0.1f * ch;
        }
        INDArray[] y = new INDArray[3];
        for (int k = 0; k < 3; k++) {
            SameDiff sd = SameDiff.create();
            ParamStore params = ParamStore.forGraph(sd, DataType.FLOAT);
            NetContext ctx = new NetContext(sd, params, false, k == 1, k == 2);
            ctx = k == 2 ? ctx : ctx.nd4jOnly(); // the ND4J kernels (as on the CUDA backend), then the fused Java op
            SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, C, h, w);
            SDVariable out = Layers.groupNorm(ctx, "gn", in, C, NORM, h, w);
            INDArray flat = params.initialise(ai.onestep.util.Rng.of(1));
            params.bind(flat);
            ParamStore.view(flat, params.spec("gn.weight")).assign(Nd4j.createFromArray(gamma));
            ParamStore.view(flat, params.spec("gn.bias")).assign(Nd4j.createFromArray(beta));
            y[k] = sd.output(Map.of("x", x), out.name()).get(out.name());
            if (k == 2) {
                assertEquals(true, java.util.Arrays.stream(sd.ops()).anyMatch(o -> o.opName().equals("onestep_group_norm")),
                        "the inference graph runs the fused op");
            }
            assertEquals(0, y[k].isNaN().castTo(DataType.INT).sumNumber().intValue() + y[k].isInfinite().castTo(DataType.INT)
                    .sumNumber().intValue(), "finite, kernel " + k);
            for (int ch = 4; ch < 6; ch++) {
                INDArray plane = y[k].get(org.nd4j.linalg.indexing.NDArrayIndex.point(2),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(ch));
                double shift = beta[ch];
                assertEquals(shift, plane.minNumber().doubleValue(), 1e-6, "constant group, kernel " + k);
                assertEquals(shift, plane.maxNumber().doubleValue(), 1e-6, "constant group, kernel " + k);
            }
        }
        assertEquals(0, y[0].sub(y[1]).amaxNumber().doubleValue(), 2e-5, "forward-only vs differentiated kernel");
        assertEquals(0, y[0].sub(y[2]).amaxNumber().doubleValue(), 2e-5, "forward-only vs inference kernel");
    }

    /**
     * The UNet's fused blocks, SiLU(GroupNorm(x)), SiLU(GroupNorm(x) (1 + scale) + shift) and SiLU(GroupNorm(x + e)),
     * as one Java op each against the same blocks in ND4J ops, a constant group included.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"plain", "scaleShift", "bias"})
    void fusedNormAndActivationMatchTheOpByOpBlocks(String mode) {
        boolean scaleShift = mode.equals("scaleShift");
        boolean bias = mode.equals("bias");
        Nd4j.getRandom().setSeed(14);
        int h = 9, w = 7;
        INDArray x = Nd4j.randn(DataType.FLOAT, N, C, h, w).muli(2).subi(1);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2))
                .assign(-7.77f);
        INDArray scale = Nd4j.randn(DataType.FLOAT, N, C).muli(0.5);
        INDArray shift = Nd4j.randn(DataType.FLOAT, N, C);
        INDArray e = Nd4j.randn(DataType.FLOAT, N, C).muli(3);
        e.putScalar(0, 1, e.getDouble(0, 0)); // the constant group stays constant after the bias
        INDArray gamma = Nd4j.randn(DataType.FLOAT, C).addi(1);
        INDArray beta = Nd4j.randn(DataType.FLOAT, C);
        INDArray[] y = new INDArray[2];
        for (int k = 0; k < 2; k++) {
            SameDiff sd = SameDiff.create();
            ParamStore params = ParamStore.forGraph(sd, DataType.FLOAT);
            NetContext ctx = new NetContext(sd, params, false, false);
            ctx = k == 1 ? ctx : ctx.nd4jOnly();
            SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, C, h, w);
            SDVariable out = scaleShift
                    ? Layers.groupNormScaleShiftSilu(ctx, "gn", in, C, NORM, h, w,
                    sd.placeHolder("s", DataType.FLOAT, -1, C), sd.placeHolder("t", DataType.FLOAT, -1, C))
                    : bias ? Layers.biasGroupNormSilu(ctx, "gn", in, sd.placeHolder("e", DataType.FLOAT, -1, C), C,
                    NORM, h, w)
                    : Layers.groupNormSilu(ctx, "gn", in, C, NORM, h, w);
            INDArray flat = params.initialise(ai.onestep.util.Rng.of(1));
            params.bind(flat);
            ParamStore.view(flat, params.spec("gn.weight")).assign(gamma);
            ParamStore.view(flat, params.spec("gn.bias")).assign(beta);
            Map<String, INDArray> feed = scaleShift ? Map.of("x", x, "s", scale, "t", shift)
                    : bias ? Map.of("x", x, "e", e) : Map.of("x", x);
            y[k] = sd.output(feed, out.name()).get(out.name());
            assertEquals(k == 1, java.util.Arrays.stream(sd.ops()).anyMatch(o -> o.opName().equals("onestep_group_norm")));
        }
        assertEquals(0, y[0].sub(y[1]).amaxNumber().doubleValue(), 2e-5, "op by op vs fused");
        org.junit.jupiter.api.Assertions.assertTrue(Nd4j.math().abs(y[0]).maxNumber().doubleValue() > 0.5,
                "not all zeros");
        for (int ch = 0; ch < 2; ch++) { // the constant group: SiLU of its beta (times 1 + scale, plus shift)
            INDArray plane = y[1].get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(ch));
            double b = beta.getDouble(ch);
            if (scaleShift) {
                b = b * (1 + scale.getDouble(0, ch)) + shift.getDouble(0, ch);
            }
            double want = b / (1 + Math.exp(-b));
            assertEquals(want, plane.minNumber().doubleValue(), 1e-6);
            assertEquals(want, plane.maxNumber().doubleValue(), 1e-6);
        }
    }

    /** The fused op reads and writes dense views that start inside larger arrays (a slice of samples) correctly. */
    @org.junit.jupiter.api.Test
    void fusedOpReadsAndWritesDenseViewsWithAnOffset() {
        Nd4j.getRandom().setSeed(16);
        INDArray base = Nd4j.randn(DataType.FLOAT, N + 2, C, 4, 5);
        INDArray x = base.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, N + 2));
        org.junit.jupiter.api.Assertions.assertTrue(x.offset() > 0 && x.ordering() == 'c' && x.elementWiseStride() == 1);
        INDArray gamma = Nd4j.randn(DataType.FLOAT, C).addi(1);
        INDArray beta = Nd4j.randn(DataType.FLOAT, C);
        INDArray[] y = new INDArray[2];
        for (int k = 0; k < 2; k++) {
            ai.onestep.nd4j.GroupNormOp op = new ai.onestep.nd4j.GroupNormOp();
            op.addIArgument(G, 1);
            op.addTArgument(1e-5);
            INDArray out = Nd4j.zeros(DataType.FLOAT, N + 1, C, 4, 5);
            y[k] = k == 0 ? out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, N + 1)) : out.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, N));
            op.compute(new INDArray[]{k == 0 ? x : x.dup(), gamma, beta}, new INDArray[]{y[k]});
            assertEquals(0, out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(k == 0 ? 0 : N)).amaxNumber()
                    .doubleValue(), 0.0, "nothing written beside the view");
        }
        assertEquals(y[1], y[0]);
    }

    /**
     * The fused op's backward pass (GroupNormBpOp) in float against the ND4J kernels' gradients in double, for x,
     * gamma, beta and the scale-shift or bias inputs, through SiLU or not, a constant group included.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} silu={1}")
    @org.junit.jupiter.params.provider.CsvSource({"plain,false", "plain,true", "scaleShift,true", "bias,true"})
    void fusedBackwardMatchesTheNd4jKernels(String mode, boolean silu) {
        boolean scaleShift = mode.equals("scaleShift");
        boolean bias = mode.equals("bias");
        Nd4j.getRandom().setSeed(15);
        int h = 9, w = 7;
        INDArray x = Nd4j.randn(DataType.DOUBLE, N, C, h, w).muli(2).addi(0.3);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4))
                .assign(0.625);
        INDArray scale = Nd4j.randn(DataType.DOUBLE, N, C).muli(0.5);
        INDArray shift = Nd4j.randn(DataType.DOUBLE, N, C);
        INDArray e = Nd4j.randn(DataType.DOUBLE, N, C);
        e.putScalar(1, 3, e.getDouble(1, 2)); // the constant group stays constant after the bias
        INDArray gamma = Nd4j.randn(DataType.DOUBLE, C).addi(1);
        INDArray beta = Nd4j.randn(DataType.DOUBLE, C);
        INDArray weights = Nd4j.randn(DataType.DOUBLE, N, C, h, w);
        java.util.List<Map<String, INDArray>> grads = new java.util.ArrayList<>();
        for (DataType type : new DataType[]{DataType.DOUBLE, DataType.FLOAT}) {
            SameDiff sd = SameDiff.create();
            ParamStore params = ParamStore.forGraph(sd, type);
            NetContext ctx = new NetContext(sd, params, false, true);
            SDVariable in = sd.var("x", x.castTo(type));
            SDVariable s = sd.var("s", scale.castTo(type));
            SDVariable t = sd.var("t", shift.castTo(type));
            SDVariable ev = sd.var("e", e.castTo(type));
            SDVariable out = scaleShift ? Layers.groupNormScaleShiftSilu(ctx, "gn", in, C, NORM, h, w, s, t)
                    : bias ? Layers.biasGroupNormSilu(ctx, "gn", in, ev, C, NORM, h, w)
                    : silu ? Layers.groupNormSilu(ctx, "gn", in, C, NORM, h, w) : Layers.groupNorm(ctx, "gn", in, C, NORM, h, w);
            SDVariable loss = out.mul(sd.constant(weights.castTo(type))).sum();
            sd.setLossVariables(loss);
            INDArray flat = params.initialise(ai.onestep.util.Rng.of(1));
            params.bind(flat);
            ParamStore.view(flat, params.spec("gn.weight")).assign(gamma);
            ParamStore.view(flat, params.spec("gn.bias")).assign(beta);
            java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("x", "gn.weight", "gn.bias"));
            if (scaleShift) {
                names.addAll(java.util.List.of("s", "t"));
            }
            if (bias) {
                names.add("e");
            }
            assertEquals(type == DataType.FLOAT,
                    java.util.Arrays.stream(sd.ops()).anyMatch(o -> o.opName().equals("onestep_group_norm")));
            grads.add(sd.calculateGradients(Map.of(), names));
        }
        for (String name : grads.get(0).keySet()) {
            INDArray want = grads.get(0).get(name);
            INDArray got = grads.get(1).get(name).castTo(DataType.DOUBLE);
            double scaleOf = want.amaxNumber().doubleValue();
            assertEquals(0, want.sub(got).amaxNumber().doubleValue(), 1e-4 * Math.max(1, scaleOf), name);
        }
    }

    /**
     * The ND4J kernel's gradients, as SameDiff differentiates it, against central differences in double precision,
     * for x, gamma and beta, a constant group included (epsilon keeps its gradient finite).
     */
    @Test
    void differentiatedKernelMatchesCentralDifferences() {
        Nd4j.getRandom().setSeed(13);
        INDArray x = Nd4j.randn(DataType.DOUBLE, N, C, H, W).muli(2.5).addi(0.7);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.interval(6, 8))
                .assign(-1.5); // group 3 of sample 0 is constant
        INDArray weights = Nd4j.randn(DataType.DOUBLE, N, C, H, W);
        SameDiff sd = SameDiff.create();
        ParamStore params = ParamStore.forGraph(sd, DataType.DOUBLE);
        NetContext ctx = new NetContext(sd, params, false, true);
        SDVariable in = sd.var("x", x.dup());
        SDVariable out = Layers.groupNorm(ctx, "gn", in, C, NORM, H, W);
        SDVariable loss = out.mul(sd.constant(weights)).sum();
        sd.setLossVariables(loss);
        INDArray flat = Nd4j.randn(DataType.DOUBLE, params.size()).muli(0.5).addi(1);
        params.bind(flat);
        java.util.List<String> names = new java.util.ArrayList<>(params.names());
        names.add("x");
        Map<String, INDArray> grads = sd.calculateGradients(Map.of(), names);
        java.util.function.DoubleSupplier f = () -> sd.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
        double eps = 1e-6;
        int checked = 0;
        for (String name : names) {
            INDArray value = name.equals("x") ? sd.getVariable("x").getArr() : sd.getVariable(name).getArr();
            INDArray grad = grads.get(name).reshape(-1);
            INDArray v = value.reshape(-1);
            for (long i = 0; i < v.length(); i += name.equals("x") ? 7 : 1) {
                double orig = v.getDouble(i);
                v.putScalar(i, orig + eps);
                double up = f.getAsDouble();
                v.putScalar(i, orig - eps);
                double down = f.getAsDouble();
                v.putScalar(i, orig);
                double numeric = (up - down) / (2 * eps);
                assertEquals(numeric, grad.getDouble(i), 1e-5 * Math.max(1, Math.abs(numeric)), name + "[" + i + "]");
                checked++;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(checked > 100, "checked " + checked);
    }

    /** The gradient graph SameDiff builds for a differentiated float GroupNorm runs the fused op's backward pass. */
    @Test
    void trainingGraphsUseTheWrittenOutBackwardPass() {
        SameDiff sd = SameDiff.create();
        ParamStore params = ParamStore.forGraph(sd, DataType.FLOAT);
        NetContext ctx = new NetContext(sd, params, false, true);
        SDVariable in = sd.var("x", Nd4j.randn(DataType.FLOAT, N, C, H, W));
        SDVariable loss = Layers.groupNorm(ctx, "gn", in, C, NORM, H, W).mul(in).sum();
        sd.setLossVariables(loss);
        params.bind(params.initialise(ai.onestep.util.Rng.of(2)));
        sd.calculateGradients(Map.of(), "x");
        java.util.Set<String> ops = new java.util.TreeSet<>();
        for (org.nd4j.autodiff.functions.DifferentialFunction f : sd.getFunction("grad").ops()) {
            ops.add(f.opName());
        }
        org.junit.jupiter.api.Assertions.assertTrue(ops.contains("onestep_group_norm_bp"), ops.toString());
    }
}
