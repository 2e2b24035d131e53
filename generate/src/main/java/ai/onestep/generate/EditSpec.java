package ai.onestep.generate;

import ai.onestep.edit.ClassSearch;
import ai.onestep.edit.Editor;
import ai.onestep.schedule.Karras;

import java.util.List;
import java.util.Locale;

/**
 * One zero-shot edit (Song et al. 2023, Section 6 and Algorithm 4), validated; shared by {@code onestep edit} and the
 * demo server.
 *
 * @param task  what to do
 * @param ts    Karras-grid indices of the editing times, or null for the task's default
 * @param repeats visits of each editing time after the first (1 = Algorithm 4; more resample, see {@link Editor})
 * @param grid  Karras grid size
 * @param sigma denoise: the input's noise level in [-1, 1] pixel units, else null
 * @param num   interpolate: images along the path
 * @param seed  seed of the noise (interpolate: the first latent)
 * @param seed2 interpolate: seed of the second latent
 * @param label class for class-conditional models, or null: inpainting, colorization and super-resolution then choose
 *              the class per image ({@link ClassSearch}), the other tasks use class 0
 * @param clamp clip every denoised output to [-1, 1], as the original
 */
public record EditSpec(Task task, List<Integer> ts, int repeats, int grid, Double sigma, int num, long seed, long seed2,
                       Integer label, boolean clamp) {
    /** The editing tasks; {@link #needsInput()} says which take an image. */
    public enum Task {
        INPAINT, COLORIZE, SUPERRES, INTERPOLATE, DENOISE, STROKE;

        public static Task parse(String name) {
            for (Task t : values()) {
                if (t.label().equals(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("task must be one of " + String.join(", ", names()) + " (got " + name + ")");
        }

        public static List<String> names() {
            return java.util.Arrays.stream(values()).map(Task::label).toList();
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean needsInput() {
            return this != INTERPOLATE;
        }

        /** Whether the task keeps something of its input that a {@link ClassSearch} can score. */
        public boolean constrained() {
            return this == INPAINT || this == COLORIZE || this == SUPERRES;
        }
    }

    static final List<Integer> DEFAULT_TS = List.of(0, 5, 10, 20, 39);
    static final List<Integer> STROKE_TS = List.of(20, 30, 39);
    static final int MAX_REPEATS = 100;

    public EditSpec {
        if (task == null) {
            throw new IllegalArgumentException("task must be one of " + String.join(", ", Task.names()));
        }
        if (repeats < 1 || repeats > MAX_REPEATS) {
            throw new IllegalArgumentException("repeats must be in 1.." + MAX_REPEATS + " (got " + repeats + ")");
        }
        if (grid < 2) {
            throw new IllegalArgumentException("grid must be >= 2 (got " + grid + ")");
        }
        if (num < 2 || num > 64) {
            throw new IllegalArgumentException("interpolation images must be in 2..64 (got " + num + ")");
        }
        if (task == Task.DENOISE && (sigma == null || !(sigma > SampleSpec.SIGMA_MIN) || sigma > SampleSpec.SIGMA_MAX)) {
            throw new IllegalArgumentException("denoise needs sigma in (" + SampleSpec.SIGMA_MIN + ", " + SampleSpec.SIGMA_MAX
                    + "] (got " + sigma + ")");
        }
        if (ts != null) {
            ts = List.copyOf(ts);
            if (ts.isEmpty()) {
                throw new IllegalArgumentException("ts must list at least one grid index");
            }
            for (int k : ts) {
                if (k < 0 || k >= grid) {
                    throw new IllegalArgumentException("ts index " + k + " outside 0.." + (grid - 1));
                }
            }
        }
    }

    /** Network evaluations per image of the editing loop (interpolation and denoising: one). */
    public int evaluations() {
        return task == Task.INTERPOLATE || task == Task.DENOISE ? 1 : 1 + (times().size() - 1) * repeats;
    }

    /** The class search this edit runs on a model with {@code classes} classes, or null (a class given, or none needed). */
    public ClassSearch classSearch(int classes) {
        return classes > 0 && label == null && task.constrained() ? ClassSearch.of(classes) : null;
    }

    /** Network evaluations per image on a model with {@code classes} classes, the class search included. */
    public int evaluations(int classes) {
        ClassSearch search = classSearch(classes);
        return search == null ? evaluations() : search.evaluations(evaluations());
    }

    private List<Integer> times() {
        return ts != null ? ts : task == Task.STROKE ? STROKE_TS : DEFAULT_TS;
    }

    /** The editing loop: the given ts or the task's default indices on a Karras grid of {@code grid} points. */
    public Editor editor() {
        List<Integer> idx = times();
        double[] karras = Karras.standard().sigmas(grid);
        double[] t = new double[idx.size()];
        for (int i = 0; i < t.length; i++) {
            if (idx.get(i) >= grid) {
                throw new IllegalArgumentException("ts index " + idx.get(i) + " outside 0.." + (grid - 1));
            }
            t[i] = karras[idx.get(i)];
        }
        return new Editor(t, SampleSpec.SIGMA_MIN, repeats, clamp);
    }
}
