package ai.onestep.conf;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** method.sigmaData reaches every method's preconditioning, in training and in what samples a checkpoint. */
class SigmaDataTest {
    @Test
    void everyMethodUsesTheConfiguredSigmaData() {
        for (String kind : List.of("edm", "ct", "cd")) {
            List<String> o = List.of("method.kind=" + kind, "method.sigmaData=0.3", "method.teacher=/nowhere");
            TrainConfig cfg = TrainConfig.load("preset:toy2d-ct", o, new Configuration());
            assertEquals(0.3, cfg.precond().sigmaData(), kind + ": the checkpoint's sampling preconditioning");
            assertEquals(0.3, cfg.trainerConfig(new Configuration()).method().precond().sigmaData(),
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
                "method.schedule=cm", "optimizer.kind=adam", "optimizer.schedule=cosine"), new Configuration());
        assertEquals(MethodSettings.DistanceKind.PSEUDO_HUBER, cfg.methodSettings().distance());
        assertEquals(MethodSettings.Schedule.CM, cfg.methodSettings().schedule());
        assertEquals(ai.onestep.train.TrainerConfig.OptimizerKind.ADAM, cfg.optimizer().kind());
        assertEquals(OptimizerSettings.LrSchedule.COSINE, cfg.optimizer().schedule());
        assertEquals(TrainConfig.NetworkKind.MLP, cfg.networkKind());
        assertEquals("ct", cfg.methodSettings().kindName());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.load("preset:toy2d-ct", List.of("method.kind=ctt"), new Configuration()));
        assertEquals("method.kind must be one of edm, ct, cd (got 'ctt')", e.getMessage());
    }
}
