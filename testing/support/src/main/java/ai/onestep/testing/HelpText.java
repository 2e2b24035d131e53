package ai.onestep.testing;

import picocli.CommandLine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Checks on a command line's help texts. */
public final class HelpText {
    private HelpText() {
    }

    /**
     * Description lines (of commands and options, through every subcommand) that end mid-sentence: picocli wraps
     * descriptions itself, so a line wrapped by hand breaks in the middle of a printed line. Empty when none.
     */
    public static List<String> handWrapped(CommandLine root) {
        List<String> found = new ArrayList<>();
        ArrayDeque<CommandLine> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            List<String[]> texts = new ArrayList<>();
            texts.add(c.getCommandSpec().usageMessage().description());
            for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
                texts.add(o.description());
            }
            for (String[] lines : texts) {
                for (int i = 0; i + 1 < lines.length; i++) {
                    String l = lines[i].strip();
                    String next = lines[i + 1].strip();
                    if (!(l.isEmpty() || l.matches(".*[.:)]$") || next.startsWith("--") || next.startsWith("onestep "))) {
                        found.add(c.getCommandName() + ": \"" + l + "\"");
                    }
                }
            }
        }
        return found;
    }
}
