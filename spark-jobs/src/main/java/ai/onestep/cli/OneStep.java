package ai.onestep.cli;

import ai.onestep.util.QuietStdout;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code onestep} launcher's entry point: parse, validate, delegate. */
@Command(name = "onestep", mixinStandardHelpOptions = true, version = "OneStep 0.1.0",
        description = "Consistency Models on Apache Spark with Deeplearning4j.",
        footer = {"", "The web demo: onestep serve --help (docs/demo.md).", "Benchmarks: onestep bench --help (docs/performance.md)."},
        subcommands = {QuickstartCommand.class, TrainCommand.class, SampleCommand.class, EditCommand.class, EvalCommand.class, PrepCommand.class, InspectCommand.class, ImportCommand.class, CommandLine.HelpCommand.class})
public final class OneStep implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Returns normally on success: YARN's cluster mode marks an application that calls {@code System.exit(0)} from
     * its main as failed. Any other outcome exits with its code.
     */
    public static void main(String[] args) {
        System.setOut(new QuietStdout(System.out));
        int code = commandLine().execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The configured command line (bad input: one line on stderr and exit code 2). */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new OneStep()));
    }

    /** Bad input is one line on stderr and exit code 2, for this command line and the programs beside it. */
    public static CommandLine configure(CommandLine cl) {
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("onestep: " + ex.getMessage());
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof ai.onestep.ckpt.CorruptCheckpointException) {
                c.getErr().println("onestep: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }
}
