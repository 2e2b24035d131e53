package ai.onestep.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The ADM UNet of "Diffusion Models Beat GANs" (Dhariwal & Nichol 2021), as used by Consistency Models, assembled
 * level by level from residual and attention blocks. Parameter names and shapes equal the original
 * {@code UNetModel}'s state dict (input_blocks.i.j..., middle_block..., output_blocks..., out...).
 */
public final class UNet implements Network {
    private final UNetConfig cfg;

    public UNet(UNetConfig cfg) {
        this.cfg = cfg;
    }

    public UNetConfig config() {
        return cfg;
    }

    @Override
    public long[] sampleShape() {
        return new long[]{cfg.inChannels(), cfg.resolution(), cfg.resolution()};
    }

    @Override
    public int numClasses() {
        return cfg.numClasses();
    }

    @Override
    public String describe() {
        return "UNet " + cfg.resolution() + "x" + cfg.resolution() + "x" + cfg.inChannels() + " ch="
                + cfg.modelChannels() + " mult=" + cfg.channelMult() + " blocks=" + cfg.numResBlocks()
                + " attn=" + cfg.attentionResolutions();
    }

    private enum Resample { NONE, DOWN, UP }

    private record Skip(SDVariable h, int channels) {
    }

    @Override
    public SDVariable build(NetContext c, SDVariable x, SDVariable cNoise, SDVariable labels) {
        SameDiff sd = c.sd();
        int mc = cfg.modelChannels();
        int ted = 4 * mc;
        SDVariable emb = cfg.embedding().build(c, cNoise, mc);
        emb = Layers.linear(c, "time_embed.0", emb, mc, ted, false);
        emb = Layers.linear(c, "time_embed.2", Layers.silu(c, emb), ted, ted, false);
        if (cfg.numClasses() > 0) {
            emb = emb.add(Layers.labelEmbedding(c, "label_emb.weight", labels, cfg.numClasses(), ted));
        }

        int res = cfg.resolution();
        int ch = mc;
        int ds = 1;
        SDVariable h = Layers.conv2d(c, "input_blocks.0.0", x, cfg.inChannels(), ch, 3, 1, false);
        Deque<Skip> skips = new ArrayDeque<>();
        skips.push(new Skip(h, ch));
        int block = 1;
        int levels = cfg.channelMult().size();
        for (int level = 0; level < levels; level++) {
            int out = cfg.channelMult().get(level) * mc;
            for (int r = 0; r < cfg.numResBlocks(); r++, block++) {
                String p = "input_blocks." + block;
                h = resBlock(c, p + ".0", h, emb, ch, out, res, Resample.NONE);
                ch = out;
                if (hasAttention(ds)) {
                    h = attention(c, p + ".1", h, ch, res);
                }
                skips.push(new Skip(h, ch));
            }
            if (level != levels - 1) {
                String p = "input_blocks." + block++;
                h = cfg.resblockUpdown() ? resBlock(c, p + ".0", h, emb, ch, ch, res, Resample.DOWN)
                        : Layers.conv2d(c, p + ".0.op", h, ch, ch, 3, 2, false);
                res /= 2;
                ds *= 2;
                skips.push(new Skip(h, ch));
            }
        }

        h = resBlock(c, "middle_block.0", h, emb, ch, ch, res, Resample.NONE);
        h = attention(c, "middle_block.1", h, ch, res);
        h = resBlock(c, "middle_block.2", h, emb, ch, ch, res, Resample.NONE);

        block = 0;
        for (int level = levels - 1; level >= 0; level--) {
            int out = cfg.channelMult().get(level) * mc;
            for (int i = 0; i <= cfg.numResBlocks(); i++, block++) {
                String p = "output_blocks." + block;
                Skip skip = skips.pop();
                h = resBlock(c, p + ".0", Layers.concatChannels(c, h, skip.h()), emb, ch + skip.channels(), out,
                        res, Resample.NONE);
                ch = out;
                int j = 1;
                if (hasAttention(ds)) {
                    h = attention(c, p + "." + j++, h, ch, res);
                }
                if (level > 0 && i == cfg.numResBlocks()) {
                    h = cfg.resblockUpdown() ? resBlock(c, p + "." + j, h, emb, ch, ch, res, Resample.UP)
                            : Layers.conv2d(c, p + "." + j + ".conv", Layers.upsampleNearest2x(c, h),
                            ch, ch, 3, 1, false);
                    res *= 2;
                    ds /= 2;
                }
            }
        }
        h = Layers.groupNormSilu(c, "out.0", h, ch, norm(), res, res);
        return Layers.conv2d(c, "out.2", h, ch, cfg.outChannels(), 3, 1, true);
    }

    private Norm norm() {
        return new Norm(cfg.normGroups(), cfg.normEps());
    }

    private boolean hasAttention(int ds) {
        return cfg.attentionResolutions().contains(cfg.resolution() / ds);
    }

    /** guided-diffusion's ResBlock: GN-SiLU-conv, noise embedding (added, or scale-shift), GN-SiLU-dropout-zero conv. */
    private SDVariable resBlock(NetContext c, String name, SDVariable x, SDVariable emb, int in, int out, int res,
                                Resample resample) {
        SameDiff sd = c.sd();
        Norm g = norm();
        SDVariable h = Layers.groupNormSilu(c, name + ".in_layers.0", x, in, g, res, res);
        int outRes = res;
        if (resample == Resample.DOWN) {
            h = Layers.avgPool2x2(c, h);
            x = Layers.avgPool2x2(c, x);
            outRes = res / 2;
        } else if (resample == Resample.UP) {
            h = Layers.upsampleNearest2x(c, h);
            x = Layers.upsampleNearest2x(c, x);
            outRes = res * 2;
        }
        h = Layers.conv2d(c, name + ".in_layers.2", h, in, out, 3, 1, false);
        int ted = 4 * cfg.modelChannels();
        int embOut = cfg.scaleShiftNorm() ? 2 * out : out;
        SDVariable e = Layers.linear(c, name + ".emb_layers.1", Layers.silu(c, emb), ted, embOut, false);
        if (cfg.scaleShiftNorm()) {
            // [B, 2*out] -> [B, 2, out] -> scale, shift; unstack, not a strided slice: SameDiff's strided-slice
            // backward fails at batch 1 ("NDArray::assign: lengths of arrays are mismatched")
            SDVariable[] scaleShift = sd.unstack(e.reshape(-1, 2, out), 1, 2);
            h = Layers.groupNormScaleShiftSilu(c, name + ".out_layers.0", h, out, g, outRes, outRes, scaleShift[0],
                    scaleShift[1]);
        } else {
            h = Layers.biasGroupNormSilu(c, name + ".out_layers.0", h, e, out, g, outRes, outRes);
        }
        h = c.dropout(name, h, cfg.dropout(), new long[]{out, outRes, outRes});
        h = Layers.conv2d(c, name + ".out_layers.3", h, out, out, 3, 1, true);
        SDVariable skip = in == out ? x : Layers.conv2d(c, name + ".skip_connection", x, in, out, 1, 1, false);
        return skip.add(h);
    }

    /**
     * Multi-head self-attention over the H*W positions (the original's AttentionBlock), the 1x1 convolutions as
     * matrix products over the sequence [N, C, T], softmax scale 1/sqrt(head channels).
     */
    private SDVariable attention(NetContext c, String name, SDVariable x, int ch, int res) {
        SameDiff sd = c.sd();
        long t = (long) res * res;
        int heads = ch / cfg.numHeadChannels();
        int d = cfg.numHeadChannels();
        SDVariable h = Layers.groupNorm(c, name + ".norm", x, ch, norm(), res, res);
        SDVariable qkv = Layers.conv1x1Seq(c, name + ".qkv", h.reshape(-1, ch, t), ch, 3L * ch, t, false,
                cfg.attentionConv2d());
        SDVariable split = cfg.attentionType() == AttentionType.FLASH // [N, heads, 3, d, T]
                ? qkv.reshape(-1, 3, heads, d, t).permute(0, 2, 1, 3, 4)
                : qkv.reshape(-1, heads, 3, d, t);
        SDVariable[] parts = sd.unstack(split, 2, 3);
        SDVariable q = parts[0].reshape(-1, d, t);
        SDVariable k = parts[1].reshape(-1, d, t);
        SDVariable v = parts[2].reshape(-1, d, t);
        SDVariable w = sd.mmul(q, k, true, false, false).mul(1.0 / Math.sqrt(d)); // [B, T(t), T(s)]
        w = sd.nn().softmax(w, 2);
        SDVariable a = sd.mmul(v, w, false, true, false).reshape(-1, ch, t); // [B, d, T] -> [N, C, T]
        SDVariable out = Layers.conv1x1Seq(c, name + ".proj_out", a, ch, ch, t, true, cfg.attentionConv2d()).reshape(-1, ch, res, res);
        return x.add(out);
    }
}
