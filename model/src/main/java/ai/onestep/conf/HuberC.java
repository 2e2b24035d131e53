package ai.onestep.conf;

import ai.onestep.loss.PseudoHuber;
import ai.onestep.util.Check;

/** The constant c of the pseudo-Huber distance: iCT's choice for the data's size ({@code ict}), or a given c > 0. */
public sealed interface HuberC {
    /** c = 0.00054 sqrt(d), d the number of values per sample (Song and Dhariwal 2023, Section 3.3). */
    record Ict() implements HuberC {
    }

    /** A fixed c. */
    record Fixed(double c) implements HuberC {
        public Fixed {
            Check.positive("method.huberC", c);
        }
    }

    /** The distance this constant gives. */
    default PseudoHuber distance() {
        return this instanceof Fixed f ? new PseudoHuber(f.c()) : PseudoHuber.ict();
    }

    /** A configuration's value: {@code ict}, or a number > 0. */
    static HuberC fromConfig(String field, Object value) {
        if (value instanceof Number n) {
            if (!(n.doubleValue() > 0)) {
                throw new IllegalArgumentException(field + " must be > 0, or ict for iCT's 0.00054 sqrt(d) (got " + n + ")");
            }
            return new Fixed(n.doubleValue());
        }
        if ("ict".equalsIgnoreCase(String.valueOf(value).trim())) {
            return new Ict();
        }
        throw new IllegalArgumentException(field + " must be ict or a number > 0 (got '" + value + "')");
    }
}
