package ai.onestep.serve;

import ai.onestep.ckpt.CorruptCheckpointException;
import ai.onestep.util.QuietStdout;
import picocli.CommandLine;

/** {@code onestep serve}: the web demo's entry point (bin/onestep passes it the arguments after {@code serve}). */
public final class ServeMain {
    private ServeMain() {
    }

    public static void main(String[] args) {
        System.setOut(new QuietStdout(System.out));
        System.exit(commandLine().execute(args));
    }

    /** The demo's command line; bad input is one line on stderr and exit code 2, as for every onestep command. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ServeCommand()).setCommandName("onestep serve");
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("onestep serve: " + ex.getMessage());
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof CorruptCheckpointException) {
                c.getErr().println("onestep serve: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }
}
