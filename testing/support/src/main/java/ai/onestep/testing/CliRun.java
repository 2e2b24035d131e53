package ai.onestep.testing;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One command-line run with its exit code and what it wrote to picocli's out and err writers. */
public record CliRun(int code, String out, String err) {
    /** Executes {@code args} on {@code cl}, capturing its writers (commands print through them, not System.out). */
    public static CliRun of(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Everything written, out then err. */
    public String all() {
        return out + err;
    }
}
