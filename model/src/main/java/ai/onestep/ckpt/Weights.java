package ai.onestep.ckpt;

import java.io.Serializable;

/**
 * Which of a checkpoint's parameter sets to use: the first configured EMA (what a user means by "the model"), the
 * online parameters, or one EMA by its rate. Commands spell it {@code --ema RATE} or {@code --ema online}.
 */
public sealed interface Weights extends Serializable {
    /** The first EMA of the run's configuration that the checkpoint holds, else the online parameters. */
    record Default() implements Weights {
    }

    /** The parameters gradient steps produced, without averaging. */
    record Online() implements Weights {
    }

    /** The exponential moving average with this rate. */
    record Ema(double rate) implements Weights {
        public Ema {
            if (!(rate > 0 && rate < 1)) {
                throw new IllegalArgumentException("an EMA rate is in (0, 1) (got " + rate + "); "
                        + "'online' names the online parameters");
            }
        }
    }

    /** {@code null} (not given) is the default; {@code "online"}; or an EMA rate in (0, 1). {@code what} names the option. */
    static Weights parse(String what, String text) {
        if (text == null) {
            return new Default();
        }
        String t = text.trim();
        if (t.equalsIgnoreCase("online")) {
            return new Online();
        }
        try {
            return new Ema(Double.parseDouble(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " takes an EMA rate or 'online' (got '" + text + "')", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /** A configuration's value ({@code method.teacherEma}): {@code online} or an EMA rate; there is no default. */
    static Weights fromConfig(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " takes an EMA rate or 'online'");
        }
        return parse(field, String.valueOf(value));
    }

    /** How reports and messages write it: "online" or the rate. */
    default String label() {
        if (this instanceof Ema e) {
            return Double.toString(e.rate());
        }
        return this instanceof Online ? "online" : "default";
    }
}
