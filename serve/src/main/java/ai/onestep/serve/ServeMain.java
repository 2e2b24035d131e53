package ai.onestep.serve;

import ai.onestep.cli.OneStep;
import ai.onestep.cli.QuietStdout;
import picocli.CommandLine;

/**
 * {@code onestep} with the {@code serve} command added; bin/onestep runs this for {@code serve} (the demo has its own
 * classpath: Jetty 12 needs Servlet 6 where Spark needs Servlet 4).
 */
public final class ServeMain {
    private ServeMain() {
    }

    public static void main(String[] args) {
        System.setOut(new QuietStdout(System.out));
        CommandLine cl = OneStep.commandLine();
        cl.addSubcommand("serve", new ServeCommand());
        System.exit(cl.execute(args));
    }
}
