package ai.onestep.eval.metrics;

import ai.onestep.util.Check;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet distance between two Gaussians fitted to features (Heusel et al. 2017, "GANs trained by a two time-scale
 * update rule", eq. 6): d^2 = |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)) — FID on Inception pool_3 features, sFID
 * on spatial features (Nash et al. 2021).
 * <p>Numerics: S1 S2 is not symmetric, so instead of a general matrix square root (scipy's sqrtm, which the
 * reference code calls and then patches with an epsilon when it turns singular) the trace is taken as
 * Tr (S1 S2)^(1/2) = sum_i sqrt(l_i) over the eigenvalues l_i of the symmetric PSD matrix S1^(1/2) S2 S1^(1/2), which
 * has the same eigenvalues as S1 S2. Two symmetric eigen-decompositions (EJML, double precision) replace sqrtm; tiny
 * negative eigenvalues from rounding are clipped to 0, so rank-deficient covariances (fewer samples than dimensions)
 * need no epsilon.
 */
public final class Frechet {
    private Frechet() {
    }

    public static double distance(FeatureStats a, FeatureStats b) {
        int d = a.mean().length;
        Check.that(b.mean().length == d, "feature dimensions differ: " + d + " vs " + b.mean().length);
        double diff = 0;
        for (int j = 0; j < d; j++) {
            double t = a.mean()[j] - b.mean()[j];
            diff += t * t;
        }
        DMatrixRMaj s1 = new DMatrixRMaj(a.covariance());
        DMatrixRMaj s2 = new DMatrixRMaj(b.covariance());
        DMatrixRMaj root1 = symmetricSqrt(s1);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(root1, s2, tmp);
        CommonOps_DDRM.mult(tmp, root1, m);
        symmetrize(m);
        double traceSqrt = 0;
        for (double l : eigenvalues(m)) {
            traceSqrt += Math.sqrt(Math.max(0, l));
        }
        return diff + CommonOps_DDRM.trace(s1) + CommonOps_DDRM.trace(s2) - 2 * traceSqrt;
    }

    /** S^(1/2) of a symmetric PSD matrix through its eigen-decomposition (negative rounding clipped to 0). */
    static DMatrixRMaj symmetricSqrt(DMatrixRMaj s) {
        int d = s.numRows;
        DMatrixRMaj copy = s.copy();
        symmetrize(copy);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        Check.that(eig.decompose(copy), "eigen-decomposition of a covariance matrix failed");
        DMatrixRMaj scaled = new DMatrixRMaj(d, d); // columns: eigenvectors times sqrt(eigenvalue)
        DMatrixRMaj vectors = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            double root = Math.sqrt(Math.max(0, eig.getEigenvalue(i).getReal()));
            DMatrixRMaj v = eig.getEigenVector(i);
            for (int r = 0; r < d; r++) {
                vectors.set(r, i, v.get(r, 0));
                scaled.set(r, i, v.get(r, 0) * root);
            }
        }
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransB(scaled, vectors, out);
        return out;
    }

    static double[] eigenvalues(DMatrixRMaj sym) {
        int d = sym.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        Check.that(eig.decompose(sym.copy()), "eigen-decomposition failed");
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = eig.getEigenvalue(i).getReal();
        }
        return out;
    }

    private static void symmetrize(DMatrixRMaj m) {
        int d = m.numRows;
        for (int r = 0; r < d; r++) {
            for (int c = r + 1; c < d; c++) {
                double v = (m.get(r, c) + m.get(c, r)) / 2;
                m.set(r, c, v);
                m.set(c, r, v);
            }
        }
    }
}
