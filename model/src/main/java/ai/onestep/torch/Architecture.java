package ai.onestep.torch;

import ai.onestep.nn.AttentionType;
import ai.onestep.nn.NoiseEmbedding;
import ai.onestep.nn.UNetConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The UNet configuration of the original {@code UNetModel} (openai/consistency_models, cm/unet.py) a state dict's
 * names and shapes describe: widths from the convolutions, the levels from where the decoder upsamples, attention
 * from the blocks that have it, scale-shift norm from the width of the embedding projections. The image size and
 * the channels per attention head cannot be read from shapes and are given.
 */
public final class Architecture {
    /** GroupNorm32: the original normalises in 32 groups everywhere. */
    public static final int ORIGINAL_NORM_GROUPS = 32;
    private static final Pattern BLOCK = Pattern.compile("(input|output)_blocks\\.(\\d+)\\.(\\d+)\\.(.*)");

    private Architecture() {
    }

    /**
     * @param shapes          parameter name -> shape
     * @param imageSize       the side of the images the network was trained on
     * @param headChannels    channels per attention head
     * @param attentionType   the qkv order the weights were trained with
     */
    public static UNetConfig infer(Map<String, long[]> shapes, int imageSize, int headChannels,
                                   AttentionType attentionType) {
        long[] first = shapes.get("input_blocks.0.0.weight");
        long[] out = shapes.get("out.2.weight");
        if (first == null || first.length != 4 || out == null || !shapes.containsKey("time_embed.0.weight")) {
            throw new IllegalArgumentException("not the state dict of a consistency-models UNetModel (it has no "
                    + "input_blocks.0.0.weight, time_embed.0.weight and out.2.weight)");
        }
        int mc = (int) first[0];
        int inChannels = (int) first[1];
        int inputs = count(shapes, "input");
        int outputs = count(shapes, "output");
        int perLevel = outputs; // output blocks per level: numResBlocks + 1, found at the first upsampling block
        for (int i = 0; i < outputs; i++) {
            if (upsamples(shapes, i)) {
                perLevel = i + 1;
                break;
            }
        }
        int levels = outputs / perLevel;
        int blocks = perLevel - 1;
        if (blocks < 1 || levels * perLevel != outputs || inputs != levels * perLevel) {
            throw new IllegalArgumentException("the state dict's block counts (" + inputs + " input, " + outputs
                    + " output) fit no UNetModel");
        }
        boolean resblockUpdown = levels > 1 && shapes.containsKey("input_blocks." + perLevel + ".0.in_layers.0.weight");
        List<Integer> mult = new ArrayList<>();
        List<Integer> attention = new ArrayList<>();
        for (int level = 0; level < levels; level++) {
            int block = 1 + level * perLevel;
            long[] conv = require(shapes, "input_blocks." + block + ".0.out_layers.3.weight");
            if (conv[0] % mc != 0) {
                throw new IllegalArgumentException("level " + level + " has " + conv[0]
                        + " channels, not a multiple of the base width " + mc);
            }
            mult.add((int) (conv[0] / mc));
            if (shapes.containsKey("input_blocks." + block + ".1.qkv.weight")) {
                attention.add(imageSize >> level);
            }
        }
        long[] emb = require(shapes, "input_blocks.1.0.emb_layers.1.weight");
        long[] firstOut = require(shapes, "input_blocks.1.0.out_layers.3.weight");
        boolean scaleShift = emb[0] == 2 * firstOut[0];
        long[] classes = shapes.get("label_emb.weight");
        long[] qkv = require(shapes, "middle_block.1.qkv.weight");
        return new UNetConfig(imageSize, inChannels, (int) out[0], mc, mult, blocks, attention, headChannels, 0.0,
                scaleShift, resblockUpdown, classes == null ? 0 : (int) classes[0], NoiseEmbedding.POSITIONAL,
                ORIGINAL_NORM_GROUPS, UNetConfig.TORCH_NORM_EPS, attentionType, qkv.length == 4);
    }

    private static long[] require(Map<String, long[]> shapes, String name) {
        long[] s = shapes.get(name);
        if (s == null) {
            throw new IllegalArgumentException("not the state dict of a consistency-models UNetModel (no " + name + ")");
        }
        return s;
    }

    private static int count(Map<String, long[]> shapes, String side) {
        int n = 0;
        for (String name : shapes.keySet()) {
            Matcher m = BLOCK.matcher(name);
            if (m.matches() && m.group(1).equals(side)) {
                n = Math.max(n, Integer.parseInt(m.group(2)) + 1);
            }
        }
        return n;
    }

    /** Output block i ends in an upsampling layer: a convolution ("k.conv") or a residual block after slot 0. */
    private static boolean upsamples(Map<String, long[]> shapes, int i) {
        for (String name : shapes.keySet()) {
            Matcher m = BLOCK.matcher(name);
            if (m.matches() && m.group(1).equals("output") && Integer.parseInt(m.group(2)) == i
                    && Integer.parseInt(m.group(3)) > 0
                    && (m.group(4).startsWith("conv.") || m.group(4).startsWith("in_layers."))) {
                return true;
            }
        }
        return false;
    }
}
