package ai.onestep.nn;

import ai.onestep.util.Check;

import java.util.List;

/**
 * The ADM / guided-diffusion UNet, as an immutable, validated record. Field names follow the original flags.
 *
 * @param resolution           image side (square images)
 * @param inChannels           input channels (3 for RGB, 1 for grayscale)
 * @param outChannels          output channels (the consistency models use inChannels; ADM with learned sigma 2x)
 * @param modelChannels        base width ("num_channels")
 * @param channelMult          width multiplier per resolution level
 * @param numResBlocks         residual blocks per level
 * @param attentionResolutions resolutions (in pixels) that get self-attention after each residual block
 * @param numHeadChannels      channels per attention head
 * @param dropout              dropout probability inside residual blocks
 * @param scaleShiftNorm       FiLM-style GroupNorm conditioning ("use_scale_shift_norm")
 * @param resblockUpdown       residual blocks for up/down-sampling ("resblock_updown")
 * @param numClasses           classes for class conditioning, 0 when unconditional
 * @param embedding            noise embedding
 * @param normGroups           GroupNorm groups (32 in the originals; fewer for narrow nets)
 * @param normEps              GroupNorm epsilon (PyTorch's 1e-5 in the originals)
 * @param attentionType        the order of the qkv projection's output rows
 * @param attentionConv2d      attention projections stored as 2-D 1x1 convolutions, weights [out, in, 1, 1] as the
 *                             original's; false for [out, in, 1] (checkpoints written before OneStep matched them)
 */
public record UNetConfig(int resolution, int inChannels, int outChannels, int modelChannels, List<Integer> channelMult,
                         int numResBlocks, List<Integer> attentionResolutions, int numHeadChannels, double dropout,
                         boolean scaleShiftNorm, boolean resblockUpdown, int numClasses, NoiseEmbedding embedding,
                         int normGroups, double normEps, AttentionType attentionType, boolean attentionConv2d) {

    /** GroupNorm's epsilon in the original networks (PyTorch's default). */
    public static final double TORCH_NORM_EPS = 1e-5;

    public UNetConfig {
        Check.positive("resolution", resolution);
        Check.positive("inChannels", inChannels);
        Check.positive("outChannels", outChannels);
        Check.positive("modelChannels", modelChannels);
        Check.positive("numResBlocks", numResBlocks);
        Check.positive("numHeadChannels", numHeadChannels);
        Check.positive("normGroups", normGroups);
        Check.nonNegative("numClasses", numClasses);
        Check.inHalfOpen("dropout", dropout, 0, 1);
        Check.that(channelMult != null && !channelMult.isEmpty(), "channelMult must list at least one level");
        Check.that(embedding != null, "embedding must be POSITIONAL or FOURIER");
        Check.that(attentionType != null, "attentionType must be FLASH or LEGACY");
        Check.that(normEps > 0 && normEps < 1, "normEps must be in (0, 1) (got " + normEps + ")");
        channelMult = List.copyOf(channelMult);
        attentionResolutions = List.copyOf(attentionResolutions == null ? List.of() : attentionResolutions);
        for (int i = 0; i < channelMult.size(); i++) {
            Check.positive("channelMult[" + i + "]", channelMult.get(i));
        }
        int levels = channelMult.size();
        Check.that(resolution % (1 << (levels - 1)) == 0, "resolution must be divisible by 2^(levels-1) = "
                + (1 << (levels - 1)) + " for " + levels + " levels (got " + resolution + ")");
        Check.that(modelChannels % normGroups == 0, "modelChannels (" + modelChannels
                + ") must be divisible by normGroups (" + normGroups + ")");
        Check.that(modelChannels % 2 == 0, "modelChannels must be even for the noise embedding (got "
                + modelChannels + ")");
        for (int m : channelMult) {
            int ch = m * modelChannels;
            Check.that(ch % normGroups == 0, "channelMult x modelChannels = " + ch
                    + " must be divisible by normGroups (" + normGroups + ")");
        }
        for (int r : attentionResolutions) {
            boolean reached = false;
            for (int l = 0; l < levels; l++) {
                if (resolution >> l == r) {
                    reached = true;
                    Check.that((channelMult.get(l) * modelChannels) % numHeadChannels == 0, "attention at " + r
                            + " needs channels " + channelMult.get(l) * modelChannels
                            + " divisible by numHeadChannels " + numHeadChannels);
                }
            }
            Check.that(reached, "attentionResolutions contains " + r + ", which the net never reaches (it has "
                    + reachable(resolution, levels) + ")");
        }
        int midCh = channelMult.get(levels - 1) * modelChannels;
        Check.that(midCh % numHeadChannels == 0, "middle-block width " + midCh
                + " must be divisible by numHeadChannels " + numHeadChannels);
    }

    private static List<Integer> reachable(int resolution, int levels) {
        Integer[] r = new Integer[levels];
        for (int l = 0; l < levels; l++) {
            r[l] = resolution >> l;
        }
        return List.of(r);
    }

    /** Consistency Models' ImageNet 64x64 network (class-conditional ADM; the CM launch flags). */
    public static UNetConfig imagenet64() {
        return new UNetConfig(64, 3, 3, 192, List.of(1, 2, 3, 4), 3, List.of(32, 16, 8), 64, 0.0, true, true, 1000,
                NoiseEmbedding.POSITIONAL, 32, TORCH_NORM_EPS, AttentionType.FLASH, true);
    }

    /** Consistency Models' LSUN 256x256 network (bedroom, cat). */
    public static UNetConfig lsun256() {
        return new UNetConfig(256, 3, 3, 256, List.of(1, 1, 2, 2, 4, 4), 2, List.of(32, 16, 8), 64, 0.0, false,
                true, 0, NoiseEmbedding.POSITIONAL, 32, TORCH_NORM_EPS, AttentionType.FLASH, true);
    }

    public UNetConfig withOutChannels(int out) {
        return new UNetConfig(resolution, inChannels, out, modelChannels, channelMult, numResBlocks,
                attentionResolutions, numHeadChannels, dropout, scaleShiftNorm, resblockUpdown, numClasses, embedding,
                normGroups, normEps, attentionType, attentionConv2d);
    }

    public UNetConfig withDropout(double p) {
        return new UNetConfig(resolution, inChannels, outChannels, modelChannels, channelMult, numResBlocks,
                attentionResolutions, numHeadChannels, p, scaleShiftNorm, resblockUpdown, numClasses, embedding,
                normGroups, normEps, attentionType, attentionConv2d);
    }
}
