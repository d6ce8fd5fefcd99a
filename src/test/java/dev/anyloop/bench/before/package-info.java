/**
 * A frozen copy of dev.anyloop.sim as it was before the wt-perf optimisations (commit 26da434), kept only as the
 * same-run baseline of bench/reach (ReachBench, ReachInterleaved). Not used by anything else; delete it with them.
 */
package dev.anyloop.bench.before;
