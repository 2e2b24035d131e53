package ai.onestep.schedule;

/** How the discretisation N(k) and the target EMA decay mu(k) evolve with the global training step k. */
public interface StepSchedule {
    /** Number of points of the Karras grid at step k. */
    int n(long k);

    /** Target-network EMA decay at step k (0 = the target is a stop-gradient copy of the online network). */
    double mu(long k);
}
