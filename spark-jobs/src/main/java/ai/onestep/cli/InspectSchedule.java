package ai.onestep.cli;

import ai.onestep.files.HadoopLocations;
import ai.onestep.conf.MethodSettings;
import ai.onestep.conf.TrainConfig;
import ai.onestep.schedule.Karras;
import ai.onestep.schedule.StepSchedule;

import java.util.List;
import java.util.Locale;

/** {@code onestep inspect --conf FILE --schedule ...}: a preset's curriculum before paying for it. */
final class InspectSchedule {
    private InspectSchedule() {
    }

    static int print(String conf, List<Long> steps, boolean sigmas, List<String> overrides, java.io.PrintWriter out) {
        if (conf == null) {
            throw new IllegalArgumentException("inspect: --schedule needs --conf FILE, e.g. --conf conf/imagenet64-ct.conf --schedule 0,1000,50000");
        }
        TrainConfig cfg = TrainConfig.load(conf, overrides, new HadoopLocations(Sparks.hadoopConf()));
        if (steps == null || steps.isEmpty()) { // a preset alone: its plan, with the parameter count
            out.print(ai.onestep.distributed.Plan.of(cfg).describe());
            return 0;
        }
        if (cfg.methodSettings().kind() == MethodSettings.Kind.EDM) {
            throw new IllegalArgumentException("inspect: " + conf + " trains an EDM teacher, which has no N(k)/mu(k) schedule");
        }
        StepSchedule s = cfg.schedule();
        out.println("# " + ai.onestep.conf.PresetSource.name(conf) + ": " + s + " over " + cfg.run().steps() + " steps");
        for (long k : steps) {
            if (k < 0) {
                throw new IllegalArgumentException("inspect: schedule steps must be >= 0 (got " + k + ")");
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "k=%d N=%d mu=%.8f", k, s.n(k), s.mu(k)));
            if (sigmas) {
                line.append(" sigmas=");
                double[] grid = Karras.standard().sigmas(s.n(k));
                for (int i = 0; i < grid.length; i++) {
                    line.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", grid[i]));
                }
            }
            out.println(line);
        }
        return 0;
    }
}
