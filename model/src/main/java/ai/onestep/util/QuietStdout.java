package ai.onestep.util;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output without SameDiff's debugging prints ("Added differentiated op ..."), which ND4J 1.0.0-M2.1
 * writes with System.out each time a training graph is built. Everything else passes through unchanged.
 */
public final class QuietStdout extends PrintStream {
    private static final String NOISE = "Added differentiated op ";

    public QuietStdout(PrintStream out) {
        super(new LineFilter(out), true, StandardCharsets.UTF_8);
    }

    private static final class LineFilter extends OutputStream {
        private final PrintStream out;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        LineFilter(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                String s = line.toString(StandardCharsets.UTF_8);
                if (!s.startsWith(NOISE)) {
                    out.print(s);
                    out.flush();
                }
                line.reset();
            }
        }

        @Override
        public synchronized void flush() {
            // a partial line (a prompt, a progress fragment) goes out as it is
            if (line.size() > 0 && !line.toString(StandardCharsets.UTF_8).startsWith(NOISE.substring(0, Math.min(NOISE.length(), line.size())))) {
                out.print(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
            out.flush();
        }
    }
}
