package ai.onestep.bench;

import ai.onestep.nn.Layers;
import ai.onestep.nn.Norm;
import ai.onestep.nn.UNetConfig;
import ai.onestep.nn.NetContext;
import ai.onestep.nn.ParamStore;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The reference network "bench-unet32" of shared/anchors/README.md, built from OneStep's own blocks so the
 * benchmark measures the code that trains real models. Input x [N, 3, 32, 32] and a random time embedding
 * [N, 128]; MSE against a fixed target; 1,306,371 parameters, about 0.883 GFLOP per image forward.
 */
public final class BenchUNet32 {
    public static final String X = "x";
    public static final String TEMB = "temb";
    public static final String TARGET = "target";
    public static final String OUT = "out";
    public static final String LOSS = "loss";
    public static final double GFLOP_PER_IMAGE_FORWARD = 0.883;
    static final Norm GROUPS = new Norm(8, UNetConfig.TORCH_NORM_EPS);
    static final int TEMB_DIM = 128;

    private final SameDiff sd;
    private final ParamStore params;

    private BenchUNet32(SameDiff sd, ParamStore params) {
        this.sd = sd;
        this.params = params;
    }

    /**
     * @param differentiated true for the training benchmark, false for forward passes only (an inference graph, as
     *                       sampling builds, see {@link NetContext})
     */
    public static BenchUNet32 build(int channels, boolean differentiated) {
        SameDiff sd = SameDiff.create();
        ParamStore params = ParamStore.forGraph(sd, DataType.FLOAT);
        NetContext c = new NetContext(sd, params, false, differentiated, !differentiated);
        SDVariable x = sd.placeHolder(X, DataType.FLOAT, -1, 3, 32, 32);
        SDVariable temb = Layers.silu(c, sd.placeHolder(TEMB, DataType.FLOAT, -1, TEMB_DIM));
        int ch = channels;
        SDVariable h0 = Layers.conv2d(c, "h0", x, 3, ch, 3, 1, false);
        SDVariable h1 = res(c, "h1", h0, temb, ch, ch, 32);
        SDVariable h2 = res(c, "h2", Layers.avgPool2x2(c, h1), temb, ch, 2L * ch, 16);
        SDVariable h3 = res(c, "h3", Layers.avgPool2x2(c, h2), temb, 2L * ch, 2L * ch, 8);
        SDVariable up3 = Layers.upsampleNearest2x(c, h3);
        SDVariable h4 = res(c, "h4", Layers.concatChannels(c, up3, h2), temb, 4L * ch, 2L * ch, 16);
        SDVariable up4 = Layers.upsampleNearest2x(c, h4);
        SDVariable h5 = res(c, "h5", Layers.concatChannels(c, up4, h1), temb, 3L * ch, ch, 32);
        SDVariable out = Layers.conv2d(c, "out.conv", Layers.groupNormSilu(c, "out.norm", h5, ch, GROUPS, 32, 32), ch,
                3, 3, 1, false);
        sd.updateVariableNameAndReference(out, OUT);
        SDVariable target = sd.placeHolder(TARGET, DataType.FLOAT, -1, 3, 32, 32);
        SDVariable d = out.sub(target);
        SDVariable loss = d.mul(d).mean();
        sd.updateVariableNameAndReference(loss, LOSS);
        sd.setLossVariables(LOSS);
        return new BenchUNet32(sd, params);
    }

    private static SDVariable res(NetContext c, String name, SDVariable x, SDVariable temb, long in, long out,
                                  long hw) {
        SameDiff sd = c.sd();
        SDVariable h = Layers.groupNormSilu(c, name + ".norm1", x, in, GROUPS, hw, hw);
        h = Layers.conv2d(c, name + ".conv1", h, in, out, 3, 1, false);
        SDVariable e = Layers.linear(c, name + ".temb", temb, TEMB_DIM, out, false);
        h = Layers.biasGroupNormSilu(c, name + ".norm2", h, e, out, GROUPS, hw, hw);
        h = Layers.conv2d(c, name + ".conv2", h, out, out, 3, 1, false);
        SDVariable skip = in == out ? x : Layers.conv2d(c, name + ".skip", x, in, out, 1, 1, false);
        return skip.add(h);
    }

    public SameDiff sd() {
        return sd;
    }

    public ParamStore params() {
        return params;
    }
}
