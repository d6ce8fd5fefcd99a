/**
 * The Linux packet simulator: {@link dev.anyloop.sim.Simulator} compiles a
 * {@link dev.anyloop.state.Network} once (per host {@link dev.anyloop.sim.Fib}, firewalls, address
 * sets, segments) and answers round-trip questions with a {@link dev.anyloop.sim.Trace} of
 * {@link dev.anyloop.sim.Step}s and a {@link dev.anyloop.sim.Verdict} that names the deciding step.
 */
package dev.anyloop.sim;
