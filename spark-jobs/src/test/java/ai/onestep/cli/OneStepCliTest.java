package ai.onestep.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneStepCliTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = OneStep.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("bench"), r.out());
        Run b = run("bench", "--help");
        assertEquals(0, b.code());
        assertTrue(b.out().contains("--torch"), b.out());
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() {
        Run r = run("bench", "fly");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("unknown benchmark 'fly'"), r.err());
        Run u = run("bench", "train", "--batch", "many");
        assertEquals(2, u.code());
        assertTrue(u.err().startsWith("onestep: "), u.err());
        Run z = run("bench", "train", "--batch", "0");
        assertEquals(2, z.code());
        assertTrue(z.err().contains("--batch must be >= 1"), z.err());
    }
}
