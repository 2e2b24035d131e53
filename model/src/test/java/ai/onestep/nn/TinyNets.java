package ai.onestep.nn;

import java.util.List;

/** Small networks for tests: every block of the UNet appears in at least one of them. */
public final class TinyNets {
    private TinyNets() {
    }

    /** 8x8, two levels, attention at 4x4, scale-shift norm, residual up/down-sampling, 3 classes, dropout. */
    public static UNetConfig unetA() {
        return new UNetConfig(8, 2, 2, 8, List.of(1, 2), 1, List.of(4), 8, 0.1, true, true, 3,
                NoiseEmbedding.POSITIONAL, 4, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true);
    }

    /** 8x8, conv up/down-sampling, added embedding, attention at 8 (new qkv order), Fourier embedding. */
    public static UNetConfig unetB() {
        return new UNetConfig(8, 1, 1, 8, List.of(1, 2), 1, List.of(8), 4, 0.0, false, false, 0,
                NoiseEmbedding.FOURIER, 4, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true);
    }

    public static Mlp.Config mlp() {
        return new Mlp.Config(2, 16, 2, 8, NoiseEmbedding.POSITIONAL);
    }
}
