package ai.onestep.train;

import ai.onestep.ema.Ema;
import ai.onestep.ema.EmaSet;
import ai.onestep.loss.ConsistencyDistillationLoss;
import ai.onestep.loss.ConsistencyTrainingLoss;
import ai.onestep.loss.Example;
import ai.onestep.loss.Objective;
import ai.onestep.nn.DropoutMasks;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.nn.Network;
import ai.onestep.nn.ParamStore;
import ai.onestep.optim.Optimizer;
import ai.onestep.precond.Denoiser;
import ai.onestep.schedule.Karras;
import ai.onestep.schedule.StepSchedule;
import ai.onestep.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The single-process trainer: EDM, CD or CT steps on one flat parameter vector, with the target network, EMA sets
 * and schedules. A round is H local steps ({@link #localStep}) followed by {@link #endRound}; the Spark trainer
 * runs the local steps on workers and the round end on the driver, so with one worker and H = 1 both coincide.
 */
public final class Trainer implements AutoCloseable {
    private final TrainerConfig cfg;
    private final Network network;
    private final TrainStep trainStep;
    private final Optimizer optimizer;
    private final INDArray params;
    private final INDArray target;
    private final GraphDenoiser targetNet;
    private final StepSchedule schedule;
    private final Objective objective;
    private final EmaSet emas;
    private GraphDenoiser evalNet;
    private long step;
    private long roundStart;
    private int consecutiveNonFinite;
    private long skippedSteps;

    /** Consecutive non-finite steps tolerated (each skipped, parameters untouched) before training stops. */
    public static final int MAX_CONSECUTIVE_NON_FINITE = 5;

    /**
     * @param teacher the EDM teacher for distillation (null otherwise)
     * @param init    initial parameters (copied), or null for a fresh seeded initialisation
     */
    public Trainer(TrainerConfig cfg, Network network, Denoiser teacher, INDArray init) {
        this.cfg = cfg;
        this.network = network;
        Method m = cfg.method();
        this.trainStep = new TrainStep(network, m.precond(), m.distance(), cfg.dtype());
        this.params = init != null ? init.castTo(cfg.dtype()).dup() : initialParams(cfg, trainStep.params());
        trainStep.bind(params);
        this.optimizer = cfg.newOptimizer(params.length());
        this.emas = new EmaSet(cfg.emaRates(), params);
        Karras karras = Karras.standard();
        if (m instanceof Method.Edm e) {
            this.schedule = null;
            this.target = null;
            this.targetNet = null;
            this.objective = e.loss();
        } else {
            this.target = params.dup();
            this.targetNet = new GraphDenoiser(network, m.precond(), cfg.dtype(),
                    !trainStep.dropoutSites().isEmpty());
            if (m instanceof Method.ConsistencyTraining ct) {
                this.schedule = ct.schedule();
                this.objective = new ConsistencyTrainingLoss(targetNet, karras, ct.schedule(), ct.indices(),
                        ct.weighting(), ct.distance(), ct.sigmaData());
            } else {
                Method.ConsistencyDistillation cd = (Method.ConsistencyDistillation) m;
                if (teacher == null) {
                    throw new IllegalArgumentException("consistency distillation needs a teacher");
                }
                this.schedule = cd.schedule();
                this.objective = new ConsistencyDistillationLoss(teacher, cd.solver(), targetNet, karras,
                        cd.schedule(), cd.indices(), cd.weighting(), cd.distance(), cd.sigmaData());
            }
        }
    }

    /**
     * The fresh, seeded initialisation a Trainer without {@code init} starts from; frozen buffers (e.g. a latent
     * MLP's PCA) are still zero here, and a caller starting a run fits them (see ai.onestep.nn.Mlp#writeLatent).
     * @param layout the network's parameter layout ({@code DenoiserGraph.layout(network)})
     */
    public static INDArray initialParams(TrainerConfig cfg, ParamStore layout) {
        INDArray p = layout.initialise(Rng.derive(cfg.seed(), -1));
        return p.dataType() == cfg.dtype() ? p : p.castTo(cfg.dtype());
    }

    /** One step plus the round end (H = 1). Returns the loss, or NaN when the step was skipped. */
    public double step(INDArray x0, int[] labels) {
        double loss = localStep(x0, labels, 0);
        if (!Double.isNaN(loss)) {
            endRound(1);
        }
        return loss;
    }

    /**
     * One optimizer step on this worker's batch; randomness is derived from (seed, step, worker). A step whose loss
     * or gradient is not finite leaves the parameters untouched and is skipped (NaN returned); after
     * {@link #MAX_CONSECUTIVE_NON_FINITE} in a row a {@link NonFiniteLossException} stops training.
     */
    public double localStep(INDArray x0, int[] labels, int worker) {
        Rng rng = consecutiveNonFinite == 0 ? Rng.derive(cfg.seed(), step, worker)
                : Rng.derive(cfg.seed(), step, worker, consecutiveNonFinite);
        Map<String, INDArray> masks = DropoutMasks.draw(trainStep.dropoutSites(), (int) x0.size(0), cfg.dtype(), rng);
        if (targetNet != null) {
            // mu = 0 (iCT): the target is the online network itself under stop-gradient
            INDArray want = schedule.mu(roundStart) == 0 ? params : target;
            if (targetNet.bound() != want) {
                targetNet.bind(want);
            }
        }
        Example ex = objective.prepare(x0.castTo(cfg.dtype()), labels, step, rng, masks);
        double loss = trainStep.step(ex, masks, optimizer, step + 1, cfg.clipNorm());
        if (Double.isNaN(loss)) {
            skippedSteps++;
            if (++consecutiveNonFinite >= MAX_CONSECUTIVE_NON_FINITE) {
                throw new NonFiniteLossException(step);
            }
            return Double.NaN;
        }
        consecutiveNonFinite = 0;
        step++;
        return loss;
    }

    /** Driver side of a round of H local steps: target <- mu^H target + (1 - mu^H) theta; EMA_r <- r^H ... */
    public void endRound(int localSteps) {
        if (target != null) {
            Ema.update(target, params, Math.pow(schedule.mu(roundStart), localSteps));
        }
        emas.update(params, localSteps);
        roundStart = step;
    }

    /**
     * The driver's side of a distributed round that started at this trainer's step: adopt the averaged parameters and
     * optimizer state of the workers' {@code localSteps} steps, then update target and EMAs as {@link #endRound}.
     */
    public void applyRound(INDArray averagedParams, INDArray averagedOptimizerState, int localSteps) {
        params.assign(averagedParams);
        optimizer.state().assign(averagedOptimizerState);
        step = roundStart + localSteps;
        endRound(localSteps);
    }

    /** Sets a worker's copy to the round's starting state (the target may be null when mu = 0 or for EDM). */
    public void loadRoundStart(long k, INDArray roundParams, INDArray roundTarget, INDArray optimizerState) {
        params.assign(roundParams);
        if (target != null && roundTarget != null) {
            target.assign(roundTarget);
        }
        optimizer.state().assign(optimizerState);
        restoreStep(k);
        consecutiveNonFinite = 0;
    }

    /** A denoiser for evaluation bound to the online parameters (rate = null) or to one EMA set. */
    public GraphDenoiser denoiser(Double emaRate) {
        if (evalNet == null) {
            evalNet = GraphDenoiser.forInference(network, cfg.method().precond(), cfg.dtype());
        }
        return evalNet.bind(emaRate == null ? params : emas.get(emaRate));
    }

    public INDArray params() {
        return params;
    }

    /** The target network's parameters (null for EDM). */
    public INDArray target() {
        return target;
    }

    public EmaSet emas() {
        return emas;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Steps skipped so far because their loss or gradient was not finite. */
    public long skippedSteps() {
        return skippedSteps;
    }

    public long stepCount() {
        return step;
    }

    /** Restores the counters of a resumed run (parameters, target, EMAs and optimizer state are set in place). */
    public void restoreStep(long k) {
        step = k;
        roundStart = k;
    }

    /** A snapshot of the whole training state (arrays are live: save it before the next step). */
    public ai.onestep.ckpt.Checkpoint checkpoint(long round, Map<String, Object> extra, String configJson) {
        return new ai.onestep.ckpt.Checkpoint(step, round, cfg.seed(), extra, configJson, trainStep.params().specs(),
                params, target, emas.all(), optimizer.state());
    }

    /** Continues from a checkpoint: parameters, target, EMA sets, optimizer state and step are restored. */
    public void restore(ai.onestep.ckpt.Checkpoint c) {
        params.assign(c.model());
        if (target != null) {
            target.assign(c.target() != null ? c.target() : c.model());
        }
        for (Map.Entry<Double, INDArray> e : emas.all().entrySet()) {
            INDArray saved = c.emas().get(e.getKey());
            e.getValue().assign(saved != null ? saved : c.model());
        }
        if (c.optimizer() != null) {
            optimizer.state().assign(c.optimizer());
        }
        restoreStep(c.step());
    }

    public StepSchedule schedule() {
        return schedule;
    }

    public TrainStep trainStep() {
        return trainStep;
    }

    @Override
    public void close() {
        trainStep.close();
        if (targetNet != null) {
            targetNet.close();
        }
        if (evalNet != null) {
            evalNet.close();
        }
    }
}
