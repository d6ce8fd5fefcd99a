package dev.anyloop.check;

/**
 * A run of jobs of one kind (one service address from every client, one failover scenario): its size is known before
 * it runs, for the progress bar, and its jobs are made one at a time, so a million of them never sit in memory.
 */
interface Batch {
    int size();

    /** Job {@code i}, 0 <= i < size(). */
    Job job(int i);

    /** Called once before the first job is made (a failover scenario derives its simulator here). */
    default void prepare() { }

    /** Called once after the last job ran: whatever prepare() made can go. */
    default void finish() { }

    /**
     * The job whose result stands for job {@code i}'s (its client's {@link Symmetry} representative's, same probe),
     * or -1 when job i must run itself. A stand-in's pass (or skip) is job i's; a failure makes job i run.
     */
    default int sameAs(int i) { return -1; }

    /** Findings that need no round trip (a note), emitted before the jobs' findings. */
    default java.util.List<Finding> notes() { return java.util.List.of(); }
}
