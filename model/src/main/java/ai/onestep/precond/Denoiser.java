package ai.onestep.precond;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The contract every sampler and loss relies on: D(x, sigma, labels), one sigma per sample. */
public interface Denoiser {
    /**
     * @param x      noisy samples [N, ...]
     * @param sigma  noise level of each sample (length N)
     * @param labels class of each sample, or null when unconditional
     * @return the denoised estimate, same shape as x
     */
    INDArray denoise(INDArray x, double[] sigma, int[] labels);

    /**
     * The same with dropout masks (placeholder name -> mask), so a target pass can share the online pass's masks.
     * Denoisers without dropout ignore them.
     */
    default INDArray denoise(INDArray x, double[] sigma, int[] labels, java.util.Map<String, INDArray> masks) {
        return denoise(x, sigma, labels);
    }

    /**
     * This denoiser with every output clamped to [-1, 1], as the original's samplers and editing loops do with image
     * models ({@code clip_denoised}).
     */
    default Denoiser clamped() {
        Denoiser self = this;
        return new Denoiser() {
            @Override
            public INDArray denoise(INDArray x, double[] sigma, int[] labels) {
                INDArray d = self.denoise(x, sigma, labels);
                return org.nd4j.linalg.ops.transforms.Transforms.min(
                        org.nd4j.linalg.ops.transforms.Transforms.max(d, -1.0, false), 1.0, false);
            }
        };
    }

    /** The same sigma for every sample. */
    default INDArray denoise(INDArray x, double sigma, int[] labels) {
        double[] s = new double[(int) x.size(0)];
        java.util.Arrays.fill(s, sigma);
        return denoise(x, s, labels);
    }
}
