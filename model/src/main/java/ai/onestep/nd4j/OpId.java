package ai.onestep.nd4j;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A {@link JavaCustomOp}'s name and hash: its own, never libnd4j's (see {@link JavaOps}). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface OpId {
    String name();

    long hash();
}
