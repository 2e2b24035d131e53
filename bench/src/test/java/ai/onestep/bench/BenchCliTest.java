package ai.onestep.bench;

import ai.onestep.testing.CliRun;
import ai.onestep.testing.HelpText;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCliTest {
    static CliRun run(String... args) {
        return CliRun.of(BenchMain.commandLine(), args);
    }

    @Test
    void helpNamesTheBenchmarks() {
        CliRun b = run("--help");
        assertEquals(0, b.code());
        assertTrue(b.out().contains("--torch"), b.out());
        assertEquals(List.of(), HelpText.handWrapped(BenchMain.commandLine()));
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() {
        CliRun r = run("fly");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("unknown benchmark 'fly'"), r.err());
        CliRun u = run("train", "--batch", "many");
        assertEquals(2, u.code());
        assertTrue(u.err().startsWith("onestep: "), u.err());
        CliRun z = run("train", "--batch", "0");
        assertEquals(2, z.code());
        assertTrue(z.err().contains("--batch must be >= 1"), z.err());
    }
}
