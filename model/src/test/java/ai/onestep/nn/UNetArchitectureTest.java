package ai.onestep.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UNetArchitectureTest {
    /**
     * The parameter count of guided-diffusion's UNetModel derived arithmetically from its constructor (unet.py):
     * conv k x k = cin cout k^2 + cout; linear = in out + out; GroupNorm = 2c; ResBlock = GN + conv3 + emb linear
     * (2x out with scale-shift) + GN + conv3 (+ 1x1 skip when widths differ); AttentionBlock = GN + qkv + proj.
     */
    static long originalCount(UNetConfig c) {
        long mc = c.modelChannels();
        long ted = 4 * mc;
        long p = lin(mc, ted) + lin(ted, ted) + (long) c.numClasses() * ted + conv(c.inChannels(), mc, 3);
        Deque<Long> chans = new ArrayDeque<>();
        chans.push(mc);
        long ch = mc;
        int ds = 1;
        int levels = c.channelMult().size();
        for (int l = 0; l < levels; l++) {
            for (int r = 0; r < c.numResBlocks(); r++) {
                p += res(c, ch, c.channelMult().get(l) * mc);
                ch = c.channelMult().get(l) * mc;
                if (c.attentionResolutions().contains(c.resolution() / ds)) {
                    p += attn(ch);
                }
                chans.push(ch);
            }
            if (l != levels - 1) {
                p += c.resblockUpdown() ? res(c, ch, ch) : conv(ch, ch, 3);
                chans.push(ch);
                ds *= 2;
            }
        }
        p += 2 * res(c, ch, ch) + attn(ch);
        for (int l = levels - 1; l >= 0; l--) {
            for (int i = 0; i <= c.numResBlocks(); i++) {
                long ich = chans.pop();
                p += res(c, ch + ich, c.channelMult().get(l) * mc);
                ch = c.channelMult().get(l) * mc;
                if (c.attentionResolutions().contains(c.resolution() / ds)) {
                    p += attn(ch);
                }
                if (l > 0 && i == c.numResBlocks()) {
                    p += c.resblockUpdown() ? res(c, ch, ch) : conv(ch, ch, 3);
                    ds /= 2;
                }
            }
        }
        return p + 2 * ch + conv(mc, c.outChannels(), 3);
    }

    static long conv(long in, long out, long k) {
        return in * out * k * k + out;
    }

    static long lin(long in, long out) {
        return in * out + out;
    }

    static long res(UNetConfig c, long in, long out) {
        long ted = 4L * c.modelChannels();
        return 2 * in + conv(in, out, 3) + lin(ted, c.scaleShiftNorm() ? 2 * out : out) + 2 * out + conv(out, out, 3)
                + (in == out ? 0 : conv(in, out, 1));
    }

    static long attn(long c) {
        return 2 * c + (3 * c * c + 3 * c) + (c * c + c);
    }

    @Test
    void imagenet64MatchesTheOriginalArchitecture() {
        UNetConfig cm = UNetConfig.imagenet64();
        long ours = DenoiserGraph.layout(new UNet(cm)).size();
        assertEquals(originalCount(cm), ours);
        // ADM's ImageNet-64 model learns sigma (6 output channels); its paper reports about 296M parameters
        long adm = DenoiserGraph.layout(new UNet(cm.withOutChannels(6))).size();
        System.out.printf("ImageNet-64: %,d parameters (CM, 3 outputs); %,d with ADM's 6 outputs%n", ours, adm);
        assertEquals(296e6, adm, 296e6 * 0.02);
    }

    @Test
    void lsun256MatchesTheOriginalArchitecture() {
        UNetConfig c = UNetConfig.lsun256();
        long ours = DenoiserGraph.layout(new UNet(c)).size();
        System.out.printf("LSUN-256: %,d parameters%n", ours);
        assertEquals(originalCount(c), ours);
    }

    @Test
    void parameterNamesAndShapesFollowTheStateDict() {
        ParamStore p = DenoiserGraph.layout(new UNet(UNetConfig.imagenet64()));
        assertArrayEquals(new long[]{192, 3, 3, 3}, p.spec("input_blocks.0.0.weight").shape());
        assertArrayEquals(new long[]{768, 192}, p.spec("time_embed.0.weight").shape());
        assertArrayEquals(new long[]{1000, 768}, p.spec("label_emb.weight").shape());
        assertArrayEquals(new long[]{384, 768}, p.spec("input_blocks.1.0.emb_layers.1.weight").shape());
        assertArrayEquals(new long[]{1152, 384, 1, 1}, p.spec("input_blocks.5.1.qkv.weight").shape());
        assertArrayEquals(new long[]{384, 384, 1, 1}, p.spec("input_blocks.5.1.proj_out.weight").shape());
        assertArrayEquals(new long[]{768}, p.spec("middle_block.1.norm.weight").shape());
        assertArrayEquals(new long[]{3, 192, 3, 3}, p.spec("out.2.weight").shape());
        assertTrue(p.names().contains("output_blocks.3.2.in_layers.2.weight"), "up-sampling ResBlock in slot 2");
        assertTrue(p.names().contains("input_blocks.4.0.in_layers.0.weight"), "down-sampling ResBlock");
    }

    @Test
    void boundaryConditionHoldsForARandomNetwork() {
        UNet net = new UNet(TinyNets.unetB());
        try (GraphDenoiser f = new GraphDenoiser(net, ai.onestep.precond.ConsistencyPrecond.standard(),
                DataType.FLOAT, false)) {
            INDArray params = ai.onestep.util.Tensors.gaussian(ai.onestep.util.Rng.of(1), DataType.FLOAT,
                    f.params().size());
            f.bind(params);
            INDArray x = ai.onestep.util.Tensors.gaussian(ai.onestep.util.Rng.of(2), DataType.FLOAT, 4, 1, 8, 8);
            INDArray out = f.denoise(x, 0.002, null);
            assertTrue(x.distance1(out) / x.length() < 1e-6, "f(x, sigma_min) = x");
            INDArray other = f.denoise(x, 1.0, null);
            assertTrue(x.distance1(other) / x.length() > 1e-3, "but not at sigma = 1");
            // the graph reads the bound vector live: changing it changes the output
            params.muli(0.5);
            assertTrue(f.denoise(x, 1.0, null).distance1(other) > 1e-3);
        }
    }

    @Test
    void invalidConfigsFailBeforeAnyGraphNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new UNetConfig(64, 3, 3, 0,
                List.of(1, 2), 2, List.of(), 64, 0, false, false, 0, NoiseEmbedding.POSITIONAL, 32, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true));
        assertTrue(e.getMessage().contains("modelChannels must be > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new UNetConfig(64, 3, 3, 48,
                List.of(1, 2), 2, List.of(), 16, 0, false, false, 0, NoiseEmbedding.POSITIONAL, 32, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true));
        assertTrue(e.getMessage().contains("normGroups"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new UNetConfig(64, 3, 3, 64,
                List.of(1, 2), 2, List.of(4), 32, 0, false, false, 0, NoiseEmbedding.POSITIONAL, 32, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true));
        assertTrue(e.getMessage().contains("never reaches"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new UNetConfig(64, 3, 3, 64,
                List.of(1, -2), 2, List.of(), 32, 0, false, false, 0, NoiseEmbedding.POSITIONAL, 32, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true));
        assertTrue(e.getMessage().contains("channelMult[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new UNetConfig(64, 3, 3, 64,
                List.of(1, 2), 2, List.of(), 32, 1.0, false, false, 0, NoiseEmbedding.POSITIONAL, 32, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
    }
}
