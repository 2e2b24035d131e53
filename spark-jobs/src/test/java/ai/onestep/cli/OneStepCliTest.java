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

    /**
     * Descriptions are paragraphs that picocli wraps itself: a description line (or option description) that ends
     * mid-sentence was wrapped by hand and breaks in the middle of a line once picocli wraps it again.
     */
    @Test
    void descriptionsAreNotWrappedByHand() {
        java.util.List<String> handWrapped = new java.util.ArrayList<>();
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(OneStep.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            java.util.List<String[]> texts = new java.util.ArrayList<>();
            texts.add(c.getCommandSpec().usageMessage().description());
            for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
                texts.add(o.description());
            }
            for (String[] lines : texts) {
                for (int i = 0; i + 1 < lines.length; i++) {
                    String l = lines[i].strip();
                    String next = lines[i + 1].strip();
                    if (!(l.isEmpty() || l.matches(".*[.:)]$") || next.startsWith("--") || next.startsWith("onestep "))) {
                        handWrapped.add(c.getCommandName() + ": \"" + l + "\"");
                    }
                }
            }
        }
        assertEquals(java.util.List.of(), handWrapped);
        Run eval = run("eval", "--help");
        assertTrue(eval.out().replaceAll("\\s+", " ").contains("pr (precision and recall)"), eval.out());
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
