package ai.onestep.distributed;

import ai.onestep.cli.OneStep;
import ai.onestep.ckpt.Npy;
import ai.onestep.conf.TrainConfig;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.testing.CliRun;
import ai.onestep.testing.OpenAiUnet;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An imported EDM state dict as the teacher of consistency distillation: the teacher the trainer loads denoises as
 * the original's EDM denoiser did, and asking for an EMA the import does not have says what to set.
 */
class ImportedTeacherTest {
    @TempDir
    Path tmp;

    @Test
    void anImportedEdmFileTeachesAsTheOriginalDenoised() throws Exception {
        Path teacher = tmp.resolve("edm");
        CliRun r = CliRun.of(OneStep.commandLine(), "import", OpenAiUnet.file("imagenet64-like.pt").toString(),
                "--out", teacher.toString(), "--kind", "edm", "--image-size", "32", "--head-channels", "16");
        assertEquals(0, r.code(), r.all());
        TrainConfig imported = TrainConfig.parse(Files.readString(teacher.resolve("config.json")), List.of());
        List<String> student = new ArrayList<>(List.of("method.kind=cd", "method.schedule=fixed",
                "method.teacher=" + teacher, "method.teacherEma=online"));
        TrainConfig cd = TrainConfig.parse(Files.readString(teacher.resolve("config.json")), student);
        Map<String, Npy.Array> io;
        try (InputStream in = Files.newInputStream(OpenAiUnet.file("imagenet64-like-io.npz"))) {
            io = Npy.readNpz(in);
        }
        INDArray xt = Nd4j.createFromArray(io.get("x_t").floats()).reshape(io.get("x_t").shape());
        double[] y = io.get("y").asDoubles();
        int[] labels = {(int) y[0], (int) y[1], (int) y[2], (int) y[3]};
        try (GraphDenoiser d = Teachers.load(cd, new Configuration())) {
            INDArray got = d.denoise(xt, io.get("sigma").asDoubles(), labels);
            INDArray want = Nd4j.createFromArray(io.get("denoised_edm").floats()).reshape(xt.shape());
            double diff = Transforms.abs(got.sub(want)).maxNumber().doubleValue();
            assertTrue(diff < 1e-4, "teacher off by " + diff);
        }
        assertEquals(imported.network().describe(), cd.network().describe());
        TrainConfig emaWanted = TrainConfig.parse(Files.readString(teacher.resolve("config.json")),
                List.of("method.kind=cd", "method.schedule=fixed", "method.teacher=" + teacher,
                        "method.teacherEma=0.9999"));
        String m = assertThrows(IllegalArgumentException.class, () -> Teachers.parameters(emaWanted,
                new Configuration())).getMessage();
        assertTrue(m.contains("set method.teacherEma = online"), m);
    }
}
