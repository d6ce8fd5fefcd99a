/**
 * The network as a picture: {@link dev.anyloop.graph.Topology} (segments, hosts, service badges, routed paths,
 * read from the compiled or snapshot {@code Network} and the intent), laid out by the Eclipse Layout Kernel
 * ({@link dev.anyloop.graph.Layout}) and written as SVG, Graphviz dot, Mermaid or JSON.
 */
package dev.anyloop.graph;
