package ai.onestep.precond;

import ai.onestep.util.Check;

/** EDM preconditioning (Karras et al. 2022, Table 1, "Ours"). */
public record EdmPrecond(double sigmaData) implements Precond {
    public EdmPrecond {
        Check.positive("sigmaData", sigmaData);
    }

    public static EdmPrecond standard() {
        return new EdmPrecond(0.5);
    }

    @Override
    public Scalings at(double s) {
        double sd2 = sigmaData * sigmaData;
        double r = Math.sqrt(s * s + sd2);
        return new Scalings(sd2 / (s * s + sd2), s * sigmaData / r, 1 / r, Math.log(s) / 4);
    }
}
