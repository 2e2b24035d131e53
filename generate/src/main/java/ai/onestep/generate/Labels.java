package ai.onestep.generate;

import ai.onestep.nn.Network;

/** Class labels for class-conditional models. */
public final class Labels {
    private Labels() {
    }

    /** Refuses a class the model cannot take (null is always accepted). */
    public static void check(Network net, Integer label) {
        if (label != null && (net.numClasses() == 0 || label < 0 || label >= net.numClasses())) {
            throw new IllegalArgumentException("class " + label + (net.numClasses() == 0
                    ? " given, but the model is unconditional" : " outside 0.." + (net.numClasses() - 1)));
        }
    }
}
