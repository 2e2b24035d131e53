package ai.onestep.toy;

import ai.onestep.loss.EdmLoss;
import ai.onestep.loss.L2;
import ai.onestep.loss.PseudoHuber;
import ai.onestep.loss.Weighting;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.nn.Mlp;
import ai.onestep.nn.NoiseEmbedding;
import ai.onestep.precond.EdmPrecond;
import ai.onestep.sampler.ConsistencySampler;
import ai.onestep.sampler.EdmSampler;
import ai.onestep.sampler.OdeSolver;
import ai.onestep.schedule.FixedSchedule;
import ai.onestep.schedule.IctCurriculum;
import ai.onestep.schedule.Karras;
import ai.onestep.schedule.LognormalIndex;
import ai.onestep.schedule.UniformIndex;
import ai.onestep.train.Method;
import ai.onestep.train.Trainer;
import ai.onestep.train.TrainerConfig;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model core learns a 2-D mixture of 8 Gaussians: the EDM teacher with Heun, consistency training from scratch
 * and consistency distillation from that teacher each put >= 90% of 2,000 samples within 0.15 of a mode, every mode
 * getting 6-20%. The CT and CD trainings (12,000 steps each, one thread each) run side by side once the teacher is
 * trained: they share nothing but the teacher's read-only weights, and each result is the same as alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class ToyRingTest {
    // depth matters more than width for the sharp one-step map of 8 separated modes: 3 x 128 plateaued at 84-87%
    static final Mlp NET = new Mlp(new Mlp.Config(2, 256, 6, 32, NoiseEmbedding.POSITIONAL));
    static final int BATCH = 256;
    Trainer teacher;

    @BeforeAll
    void trainTeacher() {
        teacher = train(new Method.Edm(EdmLoss.standard()), null, null, 3000, 11);
    }

    static Trainer train(Method method, GraphDenoiser teacherNet, INDArray init, int steps, long seed) {
        TrainerConfig cfg = new TrainerConfig(method, TrainerConfig.OptimizerKind.ADAM, 1e-3, 0, List.of(0.995), seed,
                DataType.FLOAT);
        Trainer t = new Trainer(cfg, NET, teacherNet, init);
        Rng data = Rng.of(seed + 1000);
        long start = System.nanoTime();
        double recent = 0;
        for (int i = 0; i < steps; i++) {
            double loss = t.step(Ring2D.sample(BATCH, data), null);
            if (Double.isNaN(loss)) {
                System.out.println("skipped a non-finite step at " + i);
                continue;
            }
            recent = i == 0 ? loss : 0.99 * recent + 0.01 * loss;
        }
        System.out.printf("%s: %d steps in %.1fs, smoothed loss %.4f%n", method.getClass().getSimpleName(), steps,
                (System.nanoTime() - start) / 1e9, recent);
        return t;
    }

    static void assertCovers(String what, INDArray samples) {
        Ring2D.Coverage c = Ring2D.coverage(samples);
        System.out.println(what + ": " + c);
        assertTrue(c.near() >= 0.90, what + ": " + c);
        assertTrue(c.minShare() >= 0.06 && c.maxShare() <= 0.20, what + ": " + c);
    }

    static INDArray noise(long seed) {
        return Tensors.gaussian(Rng.of(seed), DataType.FLOAT, 2000, 2);
    }

    @Test
    void edmTeacherWithHeunSamplerCoversModes() {
        double[] sigmas = Karras.standard().sigmas(18);
        INDArray x = EdmSampler.heun().sample(teacher.denoiser(0.995), noise(1), sigmas, null, Rng.of(2));
        assertCovers("EDM teacher, Heun 18 steps", x);
    }

    @Test
    void consistencyTrainingOneStepCoversModes() {
        Method ct = new Method.ConsistencyTraining(new IctCurriculum(10, 320, 12000), LognormalIndex.standard(),
                Weighting.ICT, PseudoHuber.ict());
        try (Trainer t = train(ct, null, null, 12000, 21)) {
            INDArray x = ConsistencySampler.oneStep(80, 0.002).sample(t.denoiser(0.995), noise(3), null, Rng.of(4));
            assertCovers("CT one-step", x);
        }
    }

    @Test
    void consistencyDistillationOneStepCoversModes() {
        GraphDenoiser teacherNet = new GraphDenoiser(NET, EdmPrecond.standard(), DataType.FLOAT, false)
                .bind(teacher.emas().get(0.995));
        Method cd = new Method.ConsistencyDistillation(new FixedSchedule(18, 0.95), new UniformIndex(),
                Weighting.UNIFORM, new L2(), OdeSolver.HEUN);
        try (Trainer t = train(cd, teacherNet, teacher.emas().get(0.995), 12000, 31)) {
            INDArray x = ConsistencySampler.oneStep(80, 0.002).sample(t.denoiser(0.995), noise(5), null, Rng.of(6));
            assertCovers("CD one-step", x);
        }
    }
}
