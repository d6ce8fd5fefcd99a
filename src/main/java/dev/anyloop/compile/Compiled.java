package dev.anyloop.compile;

import dev.anyloop.state.Network;

/** A compiled network and what the compiler recorded about why it made each rule and route. */
public record Compiled(Network network, Provenance provenance) { }
