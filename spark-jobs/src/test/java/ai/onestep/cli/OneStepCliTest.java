package ai.onestep.cli;

import ai.onestep.testing.CliRun;
import ai.onestep.testing.HelpText;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneStepCliTest {
    static CliRun run(String... args) {
        return CliRun.of(OneStep.commandLine(), args);
    }

    @Test
    void helpListsTheCommands() {
        CliRun r = run("--help");
        assertEquals(0, r.code());
        for (String command : java.util.List.of("train", "sample", "edit", "eval", "prep", "inspect", "quickstart")) {
            assertTrue(r.out().contains("  " + command + " "), command + " missing from\n" + r.out());
        }
        assertTrue(r.out().contains("onestep serve --help") && r.out().contains("onestep bench --help"), r.out());
    }

    /**
     * Descriptions are paragraphs that picocli wraps itself: a description line (or option description) that ends
     * mid-sentence was wrapped by hand and breaks in the middle of a line once picocli wraps it again.
     */
    @Test
    void descriptionsAreNotWrappedByHand() {
        assertEquals(java.util.List.of(), HelpText.handWrapped(OneStep.commandLine()));
        CliRun eval = run("eval", "--help");
        assertTrue(eval.out().replaceAll("\\s+", " ").contains("pr (precision and recall)"), eval.out());
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() {
        CliRun r = run("sample", "--steps", "many");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("onestep: "), r.err());
        CliRun u = run("fly");
        assertEquals(2, u.code());
        assertTrue(u.err().contains("fly"), u.err());
    }
}
