package ai.onestep.train;

import ai.onestep.loss.Distance;
import ai.onestep.loss.EdmLoss;
import ai.onestep.loss.Weighting;
import ai.onestep.precond.ConsistencyPrecond;
import ai.onestep.precond.EdmPrecond;
import ai.onestep.precond.Precond;
import ai.onestep.sampler.OdeSolver;
import ai.onestep.schedule.NoiseIndexSampler;
import ai.onestep.schedule.StepSchedule;
import ai.onestep.util.Check;

/** What is trained: an EDM teacher, a consistency model from scratch (CT), or one distilled from a teacher (CD). */
public sealed interface Method {
    Precond precond();

    /** The distance the online output is compared with its target by. */
    Distance distance();

    /** The EDM diffusion teacher (Karras et al. 2022). */
    record Edm(EdmLoss loss) implements Method {
        public Edm {
            Check.that(loss != null, "edm loss must be set");
        }

        public Precond precond() {
            return new EdmPrecond(loss.sigmaData());
        }

        public Distance distance() {
            return loss.distance();
        }
    }

    /**
     * Consistency training (Song et al. 2023, Algorithm 3; iCT with the curriculum, lognormal and pseudo-Huber).
     *
     * @param sigmaData the data's standard deviation the preconditioning assumes (EDM's sigma_data)
     */
    record ConsistencyTraining(StepSchedule schedule, NoiseIndexSampler indices, Weighting weighting,
                               Distance distance, double sigmaData) implements Method {
        public ConsistencyTraining {
            Check.that(schedule != null && indices != null && weighting != null && distance != null,
                    "consistency training needs a schedule, an index sampler, a weighting and a distance");
            Check.positive("sigmaData", sigmaData);
        }

        /** With the standard sigma_data = 0.5. */
        public ConsistencyTraining(StepSchedule schedule, NoiseIndexSampler indices, Weighting weighting,
                                   Distance distance) {
            this(schedule, indices, weighting, distance, ConsistencyPrecond.standard().sigmaData());
        }

        public Precond precond() {
            return ConsistencyPrecond.withSigmaData(sigmaData);
        }
    }

    /** Consistency distillation from an EDM teacher (Song et al. 2023, Algorithm 2); sigmaData as for CT. */
    record ConsistencyDistillation(StepSchedule schedule, NoiseIndexSampler indices, Weighting weighting,
                                   Distance distance, OdeSolver solver, double sigmaData) implements Method {
        public ConsistencyDistillation {
            Check.that(schedule != null && indices != null && weighting != null && distance != null
                    && solver != null, "consistency distillation needs a schedule, an index sampler, a weighting,"
                    + " a distance and an ODE solver");
            Check.positive("sigmaData", sigmaData);
        }

        /** With the standard sigma_data = 0.5. */
        public ConsistencyDistillation(StepSchedule schedule, NoiseIndexSampler indices, Weighting weighting,
                                       Distance distance, OdeSolver solver) {
            this(schedule, indices, weighting, distance, solver, ConsistencyPrecond.standard().sigmaData());
        }

        public Precond precond() {
            return ConsistencyPrecond.withSigmaData(sigmaData);
        }
    }
}
