package ai.onestep.bench;

import ai.onestep.cli.OneStep;
import ai.onestep.util.QuietStdout;
import picocli.CommandLine;

/** {@code onestep bench}: the benchmarks' entry point (bin/onestep passes it the arguments after {@code bench}). */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        System.setOut(new QuietStdout(System.out));
        System.exit(commandLine().execute(args));
    }

    /** The bench command with the error handling every onestep command has. */
    static CommandLine commandLine() {
        return OneStep.configure(new CommandLine(new BenchCommand()).setCommandName("onestep bench"));
    }
}
