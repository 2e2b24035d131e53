package ai.onestep.distributed;

import ai.onestep.conf.MethodSettings;
import ai.onestep.conf.TrainConfig;
import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.Mlp;
import ai.onestep.nn.Network;
import ai.onestep.nn.UNet;
import ai.onestep.nn.UNetConfig;

/**
 * What a run will do and roughly what it needs per worker, printed by {@code --dry-run} and checked before training:
 * parameter-sized arrays (online, gradient, Adam/RAdam m and v, target, teacher, transfer copies) plus activations
 * (an estimate from the network's feature-map sizes, within about a factor of two).
 */
public record Plan(TrainConfig cfg, long parameters, double stateGb, double activationsGb) {
    private static final double GB = 1024.0 * 1024 * 1024;

    public static Plan of(TrainConfig cfg) {
        Network net = cfg.network();
        long p = DenoiserGraph.layout(net).size();
        MethodSettings.Kind kind = cfg.methodSettings().kind();
        int copies = 4 + (kind == MethodSettings.Kind.EDM ? 0 : 1) + (kind == MethodSettings.Kind.CD ? 1 : 0) + 3; // + float[] transfer copies
        double state = (double) copies * p * 4 / GB;
        double act = activations(net, cfg.run().batchPerWorker()) * (kind == MethodSettings.Kind.CD ? 1.6 : 1.4) / GB;
        return new Plan(cfg, p, state, act);
    }

    /** Bytes of activations kept for the backward pass of one training forward pass. */
    static double activations(Network net, int batch) {
        if (net instanceof UNet u) {
            UNetConfig c = u.config();
            double floats = 0;
            for (int level = 0; level < c.channelMult().size(); level++) {
                int res = c.resolution() >> level;
                double map = (double) c.channelMult().get(level) * c.modelChannels() * res * res;
                // encoder and decoder blocks (decoder has one more per level), about 12 saved tensors per res block
                floats += (2.0 * c.numResBlocks() + 2) * 12 * map;
                if (c.attentionResolutions().contains(res)) {
                    int heads = Math.max(1, c.channelMult().get(level) * c.modelChannels() / c.numHeadChannels());
                    floats += (2.0 * c.numResBlocks() + 1) * (heads * (double) res * res * res * res + 6 * map);
                }
            }
            return floats * batch * 4;
        }
        if (net instanceof Mlp) {
            return 10.0 * 1024 * batch * 4;
        }
        return 0;
    }

    public double perWorkerGb() {
        return stateGb + activationsGb;
    }

    public String describe() {
        var r = cfg.run();
        return String.format(java.util.Locale.ROOT, """
                plan: %s, %s
                  workers %d x batch %d per worker = %d images per step; H = %d local steps per round
                  %d steps = %d rounds; checkpoint every %d rounds
                  parameters %,d (%.2f GB as float32)
                  per worker: parameter-sized state %.2f GB + activations ~%.2f GB = ~%.2f GB (device: %.1f GB)
                """, cfg.methodSettings().kindName(), cfg.network().describe(), r.workers(), r.batchPerWorker(),
                r.workers() * r.batchPerWorker(), r.localSteps(), r.steps(), r.rounds(), r.checkpointEvery(),
                parameters, parameters * 4 / GB, stateGb, activationsGb, perWorkerGb(), r.deviceMemoryGb());
    }

    /** Refuses a plan that cannot fit the stated device memory. */
    public void requireFits() {
        if (perWorkerGb() > cfg.run().deviceMemoryGb()) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "plan needs ~%.1f GB per worker but run.deviceMemoryGb = %.1f: lower run.batchPerWorker "
                            + "(activations ~%.1f GB) or use larger devices", perWorkerGb(), cfg.run().deviceMemoryGb(),
                    activationsGb));
        }
    }
}
