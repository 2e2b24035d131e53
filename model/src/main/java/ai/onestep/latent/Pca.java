package ai.onestep.latent;

import ai.onestep.util.Check;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Principal components of a set of images: the mean and the top-k eigenvectors of the covariance (rows of an
 * orthonormal [k, dim] basis, largest variance first). The covariance is accumulated in double precision and
 * decomposed by EJML's singular value decomposition: for a symmetric positive semi-definite matrix the singular
 * vectors are its eigenvectors and the singular values its eigenvalues, and unlike EJML's symmetric QR eigen-solver
 * (which did not converge on the covariance of 300 images of ten shapes: rank 9 of 784, hundreds of equal zero
 * eigenvalues) the SVD handles such rank-deficient matrices.
 *
 * @param mean      [dim] the data mean
 * @param basis     [k * dim] row-major, orthonormal rows
 * @param variances [k] the variance along each row (descending)
 * @param total     the data's total variance (trace of the covariance)
 */
public record Pca(float[] mean, float[] basis, double[] variances, double total) {
    public Pca {
        Check.that(variances.length > 0 && basis.length == (long) variances.length * mean.length,
                "basis must hold k rows of dim values");
    }

    public int dim() {
        return mean.length;
    }

    public int k() {
        return variances.length;
    }

    /** The share of the data's variance the k components keep. */
    public double explained() {
        double s = 0;
        for (double v : variances) {
            s += v;
        }
        return total > 0 ? s / total : 1;
    }

    /** Fits the top k components of images [N, ...] (each flattened to dim values); needs N >= 2 and k < dim. */
    public static Pca fit(INDArray images, int k) {
        long n = images.size(0);
        Check.that(n >= 2, "a PCA fit needs at least 2 images (got " + n + ")");
        INDArray x = images.reshape('c', n, images.length() / n).castTo(DataType.DOUBLE);
        int d = (int) x.size(1);
        Check.that(k >= 1 && k < d, "k must lie in [1, " + (d - 1) + "] (got " + k + ")");
        INDArray mean = x.mean(0);
        INDArray centred = x.subRowVector(mean);
        INDArray cov = centred.transpose().mmul(centred).divi(n - 1);
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        double[] c = cov.data().asDouble();
        System.arraycopy(c, 0, m.data, 0, d * d);
        double total = 0;
        for (int i = 0; i < d; i++) {
            total += m.get(i, i);
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(d, d, true, false, true);
        if (!svd.decompose(m)) {
            throw new IllegalStateException("the covariance's singular value decomposition did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        double[] w = svd.getSingularValues();
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(w[b], w[a]));
        float[] basis = new float[k * d];
        double[] variances = new double[k];
        for (int j = 0; j < k; j++) {
            int col = order[j];
            variances[j] = w[col];
            double sign = largestEntrySign(u, col); // a deterministic orientation: the largest entry positive
            for (int i = 0; i < d; i++) {
                basis[j * d + i] = (float) (sign * u.get(i, col));
            }
        }
        return new Pca(mean.castTo(DataType.FLOAT).toFloatVector(), basis, variances, total);
    }

    private static double largestEntrySign(DMatrixRMaj u, int col) {
        double best = 0;
        for (int i = 0; i < u.numRows; i++) {
            if (Math.abs(u.get(i, col)) > Math.abs(best)) {
                best = u.get(i, col);
            }
        }
        return best < 0 ? -1 : 1;
    }
}
