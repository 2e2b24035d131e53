package ai.onestep.conf;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** method.sigmaData reaches every method's preconditioning, in training and in what samples a checkpoint. */
class SigmaDataTest {
    @Test
    void everyMethodUsesTheConfiguredSigmaData() {
        for (String kind : List.of("edm", "ct", "cd")) {
            List<String> o = List.of("method.kind=" + kind, "method.sigmaData=0.3", "method.teacher=/nowhere");
            TrainConfig cfg = TrainConfig.load("preset:toy2d-ct", o, Locations.LOCAL);
            assertEquals(0.3, cfg.precond().sigmaData(), kind + ": the checkpoint's sampling preconditioning");
            assertEquals(0.3, cfg.trainerConfig(Locations.LOCAL).method().precond().sigmaData(),
                    kind + ": the training preconditioning");
            // the scalings follow: c_skip at sigma = sigma_data is 1/2 for EDM
            if (kind.equals("edm")) {
                assertEquals(0.5, cfg.precond().at(0.3).cSkip(), 1e-12);
            }
        }
    }

    @Test
    void modesAreEnumsSpelledAsPresetsSpellThem() {
        TrainConfig cfg = TrainConfig.load("preset:toy2d-ct", List.of("method.distance=pseudo-huber",
                "method.schedule=cm", "optimizer.kind=adam", "optimizer.schedule=cosine"), Locations.LOCAL);
        assertEquals(MethodSettings.DistanceKind.PSEUDO_HUBER, cfg.methodSettings().distance());
        assertEquals(MethodSettings.Schedule.CM, cfg.methodSettings().schedule());
        assertEquals(ai.onestep.train.TrainerConfig.OptimizerKind.ADAM, cfg.optimizer().kind());
        assertEquals(OptimizerSettings.LrSchedule.COSINE, cfg.optimizer().schedule());
        assertEquals(TrainConfig.NetworkKind.MLP, cfg.networkKind());
        assertEquals("ct", cfg.methodSettings().kindName());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.load("preset:toy2d-ct", List.of("method.kind=ctt"), Locations.LOCAL));
        assertEquals("method.kind must be one of edm, ct, cd (got 'ctt')", e.getMessage());
    }

    /** No value stands for another: iCT's constant and the teacher's online weights are named, zero is refused. */
    @Test
    void choicesAreSpelledOutNotEncodedAsZero() {
        TrainConfig ict = TrainConfig.load("preset:toy2d-ct", List.of("method.distance=pseudo-huber"), Locations.LOCAL);
        assertEquals(new HuberC.Ict(), ict.methodSettings().huberC());
        assertEquals(ai.onestep.loss.PseudoHuber.ict(), ict.trainerConfig(Locations.LOCAL).method().distance());
        TrainConfig fixed = TrainConfig.load("preset:toy2d-ct", List.of("method.distance=pseudo-huber",
                "method.huberC=0.03"), Locations.LOCAL);
        assertEquals(0.03, ((ai.onestep.loss.PseudoHuber) fixed.trainerConfig(Locations.LOCAL).method().distance())
                .cFor(new long[]{2}), 0);
        IllegalArgumentException zero = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.load("preset:toy2d-ct", List.of("method.huberC=0"), Locations.LOCAL));
        org.junit.jupiter.api.Assertions.assertTrue(zero.getMessage().contains("ict"), zero.getMessage());

        List<String> cd = List.of("method.kind=cd", "method.teacher=/nowhere");
        assertEquals(new ai.onestep.ckpt.Weights.Online(),
                TrainConfig.load("preset:toy2d-ct", cd, Locations.LOCAL).methodSettings().teacherEma());
        List<String> ema = new java.util.ArrayList<>(cd);
        ema.add("method.teacherEma=0.999");
        assertEquals(new ai.onestep.ckpt.Weights.Ema(0.999),
                TrainConfig.load("preset:toy2d-ct", ema, Locations.LOCAL).methodSettings().teacherEma());
        List<String> zeroEma = new java.util.ArrayList<>(cd);
        zeroEma.add("method.teacherEma=0");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.load("preset:toy2d-ct", zeroEma, Locations.LOCAL));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'online'"), e.getMessage());
    }
}
