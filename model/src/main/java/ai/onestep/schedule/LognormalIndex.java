package ai.onestep.schedule;

import ai.onestep.util.Rng;
import org.apache.commons.math3.special.Erf;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lognormal noise-index distribution of improved consistency training (Song & Dhariwal 2023, eq. 10):
 * p(n) proportional to erf((ln t_{n+1} - Pm)/(sqrt2 Ps)) - erf((ln t_n - Pm)/(sqrt2 Ps)); Pm = -1.1, Ps = 2.0.
 * The cumulative table of each grid is computed once (2N erf evaluations) and sampled by binary search: recomputing
 * it for every sample of a batch cost ~2N x batch erf calls per step and slowed late curriculum stages to a crawl.
 */
public record LognormalIndex(double pMean, double pStd) implements NoiseIndexSampler {
    private static final int CACHED_GRIDS = 64;
    private static final Map<List<Object>, double[]> CDFS = new ConcurrentHashMap<>();

    public static LognormalIndex standard() {
        return new LognormalIndex(-1.1, 2.0);
    }

    public double[] probabilities(double[] ascending) {
        int pairs = ascending.length - 1;
        double[] p = new double[pairs];
        double total = 0;
        for (int n = 0; n < pairs; n++) {
            p[n] = Erf.erf((Math.log(ascending[n + 1]) - pMean) / (Math.sqrt(2) * pStd))
                    - Erf.erf((Math.log(ascending[n]) - pMean) / (Math.sqrt(2) * pStd));
            total += p[n];
        }
        for (int n = 0; n < pairs; n++) {
            p[n] /= total;
        }
        return p;
    }

    /** Cumulative probabilities of {@code ascending}'s intervals, from a cache keyed by the grid's values. */
    double[] cdf(double[] ascending) {
        List<Object> key = List.of(pMean, pStd, Arrays.hashCode(ascending), ascending.length, ascending[0],
                ascending[ascending.length - 1]);
        double[] c = CDFS.get(key);
        if (c == null) {
            double[] p = probabilities(ascending);
            c = new double[p.length];
            double acc = 0;
            for (int n = 0; n < p.length; n++) {
                acc += p[n];
                c[n] = acc;
            }
            if (CDFS.size() >= CACHED_GRIDS) {
                CDFS.clear();
            }
            CDFS.put(key, c);
        }
        return c;
    }

    @Override
    public int sample(double[] ascending, Rng rng) {
        double[] c = cdf(ascending);
        double u = rng.uniform();
        // first n with u < c[n] (the same index the linear scan over p returned)
        int lo = 0;
        int hi = c.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u < c[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
