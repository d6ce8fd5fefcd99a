package dev.anyloop.cli;

import dev.anyloop.graph.GraphFormat;
import dev.anyloop.graph.Layout;
import dev.anyloop.graph.Topology;
import dev.anyloop.graph.TopologyBuilder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop graph (FILE | --snapshot DIR) --format svg|dot|mermaid|json [--out FILE]}: the network as a picture. */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Draw the network: segments, hosts and routers, service addresses as badges on the hosts that carry them "
                + "(#1/2 = first of two in preference order), dashed: the routes forwarding hosts hold to each service address. "
                + "Laid out by the Eclipse Layout Kernel (layered). svg is a picture; dot carries ELK's positions "
                + "(neato -n2 -Tsvg keeps them); mermaid and json are for other tools.")
final class GraphCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Sources sources;

    @Option(names = "--format", defaultValue = "svg", converter = FormatConverter.class,
            description = "svg (default), dot, mermaid or json")
    GraphFormat format;

    @Option(names = "--out", paramLabel = "FILE", description = "write here instead of standard output")
    Path out;

    @Option(names = "--fold", paramLabel = "N",
            description = "draw the leaf hosts (one interface, no service) of each segment that has more than N of them as one "
                    + "'+K hosts' box, so a large network stays readable (the report folds at 10 above 60 hosts)")
    Integer fold;

    /** Accepts the formats in any case, and names them when the value is none of them. */
    static final class FormatConverter implements ITypeConverter<GraphFormat> {
        @Override
        public GraphFormat convert(String value) {
            try {
                return GraphFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a graph format: expected svg, dot, mermaid or json");
            }
        }
    }

    @Override
    public Integer call() {
        Sources.Loaded in = sources.load(spec.commandLine().getErr());
        Topology t = TopologyBuilder.of(in.network(), in.intent());
        if (fold != null && fold < 0) {
            spec.commandLine().getErr().println("anyloop: --fold " + fold + ": expected 0 or more");
            return Main.CONFIG_ERROR;
        }
        String text = format.render(Layout.of(t, fold == null ? java.util.Set.of() : Layout.leaves(t, fold)));
        Outputs.write(spec, out, text);
        return Main.OK;
    }
}
