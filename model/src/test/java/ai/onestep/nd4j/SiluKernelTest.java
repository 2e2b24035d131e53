package ai.onestep.nd4j;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java SiLU kernel and the hook that runs it inside SameDiff graphs. */
class SiluKernelTest {
    static {
        Nd4j.getRandom().setSeed(11);
    }

    private static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }

    @Test
    void theTestJvmRunsJavaKernels() {
        // surefire passes --add-modules=jdk.incubator.vector as bin/onestep does; without it graphs fall back to ND4J
        assertTrue(JavaOps.enabled(), "Java kernels disabled: is jdk.incubator.vector missing from the JVM flags?");
    }

    @Test
    void floatsAreWithinFourUlpsOfTheExactValueAcrossTheRange() {
        int n = 1_000_003; // not a multiple of any vector width or of the slice: the scalar tail runs too
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (float) (-80 + 160.0 * i / (n - 1));
        }
        INDArray y = run(Nd4j.createFromArray(xs));
        for (int i = 0; i < n; i++) {
            double want = silu(xs[i]);
            float got = y.getFloat(i);
            double ulps = Math.abs(got - want) / Math.ulp((float) want);
            assertTrue(ulps <= 4, "silu(" + xs[i] + ") = " + got + ", exact " + want + ": " + ulps + " ulp");
        }
    }

    /**
     * The vector exponential equals its scalar twin bit for bit, over enough repetitions that HotSpot compiles the
     * vector code part way through: results must not depend on compilation (a resumed run drifted by an ulp from an
     * uninterrupted one when they did).
     */
    @Test
    void theExponentialHasTheSameBitsCompiledOrNot() {
        int lanes = VectorMath.LANES.length();
        float[] t = new float[4096];
        float[] got = new float[lanes];
        for (int rep = 0; rep < 300; rep++) {
            for (int i = 0; i < t.length; i++) {
                t[i] = -100f + 200f * ((i * 7919 + rep * 104729) % 100003) / 100003f;
            }
            for (int i = 0; i < t.length; i += lanes) {
                VectorMath.exp(jdk.incubator.vector.FloatVector.fromArray(VectorMath.LANES, t, i)).intoArray(got, 0);
                for (int j = 0; j < lanes; j++) {
                    float want = VectorMath.exp(t[i + j]);
                    if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got[j])) {
                        throw new AssertionError("exp(" + t[i + j] + "): vector " + got[j] + ", scalar " + want
                                + " at repetition " + rep);
                    }
                }
            }
        }
        for (float x : new float[]{-87f, -20f, -1f, -1e-3f, 0f, 1e-3f, 1f, 20f, 88f}) {
            double ulps = Math.abs(VectorMath.exp(x) - Math.exp(x)) / Math.ulp((float) Math.exp(x));
            assertTrue(ulps <= 2, "exp(" + x + ") off by " + ulps + " ulp");
        }
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(89f));
        assertEquals(0f, VectorMath.exp(-88f));
    }

    @Test
    void tailsAndSpecialValues() {
        float[] xs = {-1e30f, -1000f, -104f, -0f, 0f, 1000f, 1e30f, Float.NaN};
        INDArray y = run(Nd4j.createFromArray(xs));
        for (int i = 0; i < 3; i++) {
            assertTrue(Math.abs(y.getFloat(i)) < 1e-30, "silu(" + xs[i] + ") = " + y.getFloat(i));
        }
        assertEquals(0f, y.getFloat(3), 0f); // -0 for -0
        assertEquals(0f, y.getFloat(4), 0f);
        assertEquals(1000f, y.getFloat(5));
        assertEquals(1e30f, y.getFloat(6));
        assertTrue(Float.isNaN(y.getFloat(7)));
    }

    @Test
    void viewsAndDoublesAndArraysWithoutOutputs() {
        INDArray base = Nd4j.rand(DataType.FLOAT, 4, 5, 6).subi(0.5).muli(20);
        INDArray view = base.permute(2, 0, 1);
        INDArray fromView = Nd4j.create(DataType.FLOAT, 6, 4, 5);
        SiluKernel.silu(view, fromView);
        INDArray fromCopy = Nd4j.create(DataType.FLOAT, 6, 4, 5);
        SiluKernel.silu(view.dup('c'), fromCopy);
        assertEquals(fromCopy, fromView);
        INDArray strided = Nd4j.create(DataType.FLOAT, 6, 4, 5).permute(1, 2, 0); // an output that is a view
        SiluKernel.silu(base, strided);
        assertEquals(run(base.dup()), strided.dup('c'));

        INDArray d = base.castTo(DataType.DOUBLE);
        INDArray yd = Nd4j.create(DataType.DOUBLE, 4, 5, 6);
        SiluKernel.silu(d, yd);
        for (long i = 0; i < d.length(); i++) {
            assertEquals(silu(d.getDouble(i)), yd.getDouble(i), 1e-15 * Math.max(1, Math.abs(d.getDouble(i))));
        }

        SiluOp op = new SiluOp();
        op.addInputArgument(base);
        INDArray[] out = Nd4j.exec(op);
        assertArrayEquals(base.shape(), out[0].shape());
        assertEquals(run(base.dup()), out[0]);
    }

    @Test
    void aGraphUsesTheKernelAndAgreesWithNd4jsSwish() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 16, 32, 32).subi(0.5).muli(12);
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, 16, 32, 32);
        SDVariable ours = SiluOp.apply(sd, in.permute(0, 2, 3, 1)); // a view as input
        SDVariable theirs = sd.nn().swish(in.permute(0, 2, 3, 1));
        Map<String, INDArray> out = sd.output(Map.of("x", x), ours.name(), theirs.name());
        assertTrue(java.util.Arrays.stream(sd.ops()).anyMatch(o -> o.opName().equals(new SiluOp().opName())));
        INDArray a = out.get(ours.name());
        INDArray b = out.get(theirs.name());
        assertArrayEquals(new long[]{8, 32, 32, 16}, a.shape());
        double worst = Nd4j.math().abs(a.sub(b)).maxNumber().doubleValue();
        assertTrue(worst < 1e-5, "largest difference from ND4J's swish " + worst);
    }

    /** Dense views that start inside a larger array (a row, a slice of samples), in and out, float and double. */
    @Test
    void denseViewsWithAnOffsetReadAndWriteTheirOwnElements() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray base = Nd4j.rand(type, 5, 37).subi(0.5).muli(20);
            INDArray row = base.getRow(3);
            assertTrue(JavaOps.dense(row) && row.offset() > 0, "a dense view with an offset");
            INDArray out = Nd4j.zeros(type, 4, 37);
            INDArray outRow = out.getRow(2);
            SiluKernel.silu(row, outRow);
            assertEquals(run(row.dup()), outRow, type.toString());
            assertEquals(0, out.getRow(1).amaxNumber().doubleValue(), 0.0, "nothing written beside the view");
            assertEquals(0, out.getRow(3).amaxNumber().doubleValue(), 0.0, "nothing written beside the view");
        }
    }

    private static INDArray run(INDArray x) {
        INDArray y = Nd4j.create(x.dataType(), x.shape());
        SiluKernel.silu(x, y);
        return y;
    }
}
