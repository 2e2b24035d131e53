package ai.onestep.conf;

import ai.onestep.ckpt.Weights;
import ai.onestep.loss.Weighting;
import ai.onestep.sampler.OdeSolver;
import ai.onestep.util.Check;

/** The {@code method} section: which objective, schedule, noise-index sampler, weighting and distance. */
public record MethodSettings(Kind kind, Schedule schedule, int s0, int s1, double mu0, int points, double decay,
                             Indices indices, Weighting weighting, DistanceKind distance, HuberC huberC,
                             String lpipsWeights, OdeSolver solver, String teacher, Weights teacherEma, double pMean,
                             double pStd, double sigmaData) {
    /** What is trained. */
    public enum Kind { EDM, CT, CD }

    /** The discretisation curriculum of a consistency method. */
    public enum Schedule { ICT, CM, FIXED }

    /** How the noise-level index of a consistency step is drawn. */
    public enum Indices { LOGNORMAL, UNIFORM }

    /** The distance of a consistency loss. */
    public enum DistanceKind { L2, L1, PSEUDO_HUBER, LPIPS, L2_32 }

    public MethodSettings {
        Check.that(kind != null && schedule != null && indices != null && weighting != null && distance != null
                && solver != null && huberC != null && teacherEma != null, "method: every setting needs a value");
        Check.that(!(teacherEma instanceof Weights.Default), "method.teacherEma must be online or an EMA rate");
        Check.that(kind != Kind.CD || !teacher.isBlank(), "method.teacher must name the EDM teacher's checkpoint for cd");
        Check.that(distance != DistanceKind.LPIPS || !lpipsWeights.isBlank(),
                "method.lpipsWeights must name the LPIPS weights file for distance = lpips");
        Check.positive("method.sigmaData", sigmaData);
        Check.positive("method.pStd", pStd);
    }

    /** The kind as a configuration writes it ("edm", "ct", "cd"). */
    public String kindName() {
        return ai.onestep.util.Records.enumSpelling(kind);
    }
}
