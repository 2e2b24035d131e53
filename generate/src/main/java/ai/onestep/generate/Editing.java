package ai.onestep.generate;

import ai.onestep.image.CenterCrop;
import ai.onestep.image.Pixels;
import ai.onestep.image.TensorImages;
import ai.onestep.edit.ClassSearch;
import ai.onestep.edit.Colorize;
import ai.onestep.edit.Editor;
import ai.onestep.edit.Inpaint;
import ai.onestep.edit.Interpolation;
import ai.onestep.edit.Projection;
import ai.onestep.edit.SuperResolution;
import ai.onestep.nn.Network;
import ai.onestep.precond.Denoiser;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

/**
 * Runs an {@link EditSpec} on decoded images: the editing loop with the task's projection. Inputs of another size are
 * centre-cropped and resized as training data is, except super-resolution, whose input side must divide the model's.
 */
public final class Editing {
    private Editing() {
    }

    /**
     * An edit's output.
     *
     * @param images      (N, C, H, W) in [-1, 1]: one image, or {@code num} along an interpolation path
     * @param chosenClass the class a {@link ClassSearch} chose, or null when none ran
     */
    public record Result(INDArray images, Integer chosenClass) {
    }

    /**
     * @param input the image to edit (null only for interpolation)
     * @param mask  inpainting mask, white (>= mid-gray) = regenerate, black = keep; null for other tasks
     */
    public static Result run(Denoiser d, Network net, EditSpec spec, Pixels input, Pixels mask) {
        long[] shape = net.sampleShape();
        if (shape.length != 3) {
            throw new IllegalArgumentException("the model generates " + shape.length + "-D points, not images");
        }
        int channels = (int) shape[0];
        int side = (int) shape[1];
        Labels.check(net, spec.label());
        if (spec.task().needsInput() && input == null) {
            throw new IllegalArgumentException(spec.task().label() + " needs an input image");
        }
        Rng rng = Rng.of(spec.seed());
        double sMax = SampleSpec.SIGMA_MAX;
        switch (spec.task()) {
            case INTERPOLATE -> {
                long[] one = {1, channels, side, side};
                double[] alphas = new double[spec.num()];
                for (int i = 0; i < alphas.length; i++) {
                    alphas[i] = i / (alphas.length - 1.0);
                }
                INDArray z = Interpolation.slerp(Tensors.gaussian(Rng.of(spec.seed()), DataType.FLOAT, one),
                        Tensors.gaussian(Rng.of(spec.seed2()), DataType.FLOAT, one), alphas);
                return new Result(new Editor(new double[]{sMax}, SampleSpec.SIGMA_MIN, 1, spec.clamp()).run(d, Projection.NONE,
                        z.muli(sMax), labels(spec.num(), net, spec), rng), null);
            }
            case SUPERRES -> {
                Pixels small = input.withChannels(channels);
                if (small.width() != small.height()) {
                    throw new IllegalArgumentException("superres needs a square input (got " + small.width() + "x"
                            + small.height() + ")");
                }
                int f = SuperResolution.factor(small.width(), side);
                return constrained(d, net, spec, new SuperResolution(TensorImages.fromPixels(List.of(small)), f),
                        noise(channels, side, rng).muli(sMax), rng);
            }
            default -> {
            }
        }
        Pixels image = CenterCrop.apply(input, side);
        int[] labels = labels(1, net, spec);
        return switch (spec.task()) {
            case INPAINT -> {
                if (mask == null) {
                    throw new IllegalArgumentException("inpaint needs a mask (white = regenerate)");
                }
                if (mask.width() != input.width() || mask.height() != input.height()) {
                    throw new IllegalArgumentException("the mask is " + mask.width() + "x" + mask.height()
                            + " but the image is " + input.width() + "x" + input.height() + "; they must match");
                }
                INDArray known = TensorImages.fromPixels(List.of(CenterCrop.apply(mask.withChannels(1), side)))
                        .lt(0).castTo(DataType.FLOAT); // below mid-gray (black) = keep
                yield constrained(d, net, spec, new Inpaint(TensorImages.fromPixels(List.of(image.withChannels(channels))),
                        known), noise(channels, side, rng).muli(sMax), rng);
            }
            case COLORIZE -> {
                if (channels != 3) {
                    throw new IllegalArgumentException("colorize needs an RGB model (this one has " + channels + " channel)");
                }
                INDArray gray = TensorImages.fromPixels(List.of(image.withChannels(1)));
                yield constrained(d, net, spec, new Colorize(gray), noise(channels, side, rng).muli(sMax), rng);
            }
            case DENOISE -> new Result(new Editor(new double[]{spec.sigma()}, SampleSpec.SIGMA_MIN, 1,
                    spec.clamp()).run(d, Projection.NONE,
                    TensorImages.fromPixels(List.of(image.withChannels(channels))), labels, rng), null);
            default -> { // stroke: SDEdit-style, the painting noised to the first editing time, then denoised
                Editor e = spec.editor();
                INDArray painting = TensorImages.fromPixels(List.of(image.withChannels(channels)));
                INDArray start = painting.add(noise(channels, side, rng).muli(e.times()[0]));
                yield new Result(e.run(d, Projection.NONE, start, labels, rng), null);
            }
        };
    }

    /** An edit that keeps something of its input: with the given class, or, if none was given, the class search's. */
    private static Result constrained(Denoiser d, Network net, EditSpec spec, Projection p, INDArray start, Rng rng) {
        ClassSearch search = spec.classSearch(net.numClasses());
        if (search == null) {
            return new Result(spec.editor().run(d, p, start, labels(1, net, spec), rng), null);
        }
        ClassSearch.Result r = search.run(spec.editor(), d, p, start, rng);
        return new Result(r.images(), r.labels()[0]);
    }

    private static int[] labels(int n, Network net, EditSpec spec) {
        if (net.numClasses() == 0) {
            return null;
        }
        int[] l = new int[n];
        Arrays.fill(l, spec.label() != null ? spec.label() : 0);
        return l;
    }

    private static INDArray noise(int channels, int side, Rng rng) {
        return Tensors.gaussian(rng, DataType.FLOAT, 1, channels, side, side);
    }
}
