package dev.anyloop.sim;

/** Where a walk's steps go; with explain off nothing is kept, so bulk queries allocate little. */
interface Recorder {
    boolean explain();

    void add(Step s);
}
