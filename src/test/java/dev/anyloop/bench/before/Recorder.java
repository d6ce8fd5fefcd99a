package dev.anyloop.bench.before;

/** Where a walk's steps go; with explain off nothing is kept, so bulk queries allocate little. */
interface Recorder {
    boolean explain();

    void add(Step s);
}
