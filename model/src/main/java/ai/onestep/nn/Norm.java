package ai.onestep.nn;

import ai.onestep.util.Check;

/**
 * A GroupNorm's grouping and epsilon.
 *
 * @param groups channel groups (the channels must divide into them)
 * @param eps    added to each group's variance
 */
public record Norm(int groups, double eps) {
    public Norm {
        Check.positive("groups", groups);
        Check.that(eps > 0, "a GroupNorm epsilon must be > 0 (got " + eps + ")");
    }
}
