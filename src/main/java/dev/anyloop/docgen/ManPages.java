package dev.anyloop.docgen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * man(1) pages from the picocli model: {@code anyloop(1)} and one per subcommand ({@code anyloop-lab-up(1)}), each
 * with the synopsis, description, options, arguments, subcommands and exit codes picocli holds, so the pages cannot
 * say anything {@code --help} does not. Hidden commands and options get no page and no mention.
 */
final class ManPages {
    private ManPages() { }

    /** File name (anyloop-trace.1) to page, for {@code root} and every visible command under it. */
    static Map<String, String> render(CommandSpec root, String version, String date) {
        Map<String, String> pages = new LinkedHashMap<>();
        add(root, root, version, date, pages);
        return pages;
    }

    /** "anyloop-lab-up": the page name of a command. */
    static String pageName(CommandSpec spec) { return spec.qualifiedName("-"); }

    private static void add(CommandSpec root, CommandSpec spec, String version, String date, Map<String, String> pages) {
        pages.put(pageName(spec) + ".1", page(root, spec, version, date));
        for (CommandLine sub : visibleSubcommands(spec)) add(root, sub.getCommandSpec(), version, date, pages);
    }

    static List<CommandLine> visibleSubcommands(CommandSpec spec) {
        List<CommandLine> out = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            CommandSpec s = e.getValue().getCommandSpec();
            // subcommands() lists aliases too; a command appears once, under its name
            if (!s.usageMessage().hidden() && e.getKey().equals(s.name())) out.add(e.getValue());
        }
        return out;
    }

    private static String page(CommandSpec root, CommandSpec spec, String version, String date) {
        StringBuilder m = new StringBuilder();
        String name = pageName(spec);
        m.append(".TH ").append(Troff.quoted(name.toUpperCase(Locale.ROOT))).append(" 1 ").append(Troff.quoted(date)).append(' ')
                .append(Troff.quoted("anyloop " + version)).append(' ').append(Troff.quoted("anyloop manual")).append('\n');
        m.append(".SH NAME\n").append(Troff.literal(name)).append(" \\- ").append(Troff.text(summary(spec))).append('\n');
        m.append(".SH SYNOPSIS\n").append(synopsis(spec)).append('\n');
        m.append(".SH DESCRIPTION\n");
        for (String p : paragraphs(spec.usageMessage().description())) m.append(".PP\n").append(Troff.text(p)).append('\n');
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty()) {
            m.append(".SH OPTIONS\n");
            for (OptionSpec o : options) {
                m.append(".TP\n").append(optionLabel(o)).append('\n').append(Troff.text(describe(o))).append('\n');
            }
        }
        List<PositionalParamSpec> params = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!params.isEmpty()) {
            m.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : params) {
                m.append(".TP\n").append(Troff.italic(label(p))).append('\n').append(Troff.text(describe(p))).append('\n');
            }
        }
        List<CommandLine> subs = visibleSubcommands(spec);
        if (!subs.isEmpty()) {
            m.append(".SH COMMANDS\n");
            for (CommandLine sub : subs) {
                m.append(".TP\n").append("\\fB").append(Troff.literal(pageName(sub.getCommandSpec()))).append("\\fR(1)\n")
                        .append(Troff.text(summary(sub.getCommandSpec()))).append('\n');
            }
        }
        Map<String, String> codes = root.usageMessage().exitCodeList();
        if (!codes.isEmpty()) {
            m.append(".SH EXIT STATUS\n");
            codes.forEach((code, meaning) -> m.append(".TP\n").append(Troff.text(code.trim())).append('\n')
                    .append(Troff.text(meaning)).append('\n'));
        }
        m.append(".SH SEE ALSO\n").append(Troff.text(seeAlso(spec))).append('\n');
        return m.toString();
    }

    private static String synopsis(CommandSpec spec) {
        List<String> parts = new ArrayList<>();
        parts.add(Troff.bold(spec.qualifiedName(" ")));
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            String one = Troff.bold(o.longestName()) + (o.arity().max() > 0 ? "=" + Troff.italic(label(o)) : "");
            parts.add(o.required() ? one : "[" + one + "]");
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden()) continue;
            String one = Troff.italic(label(p)) + (p.arity().max() > 1 ? "..." : "");
            parts.add(p.arity().min() == 0 ? "[" + one + "]" : one);
        }
        if (!visibleSubcommands(spec).isEmpty()) parts.add(Troff.italic("COMMAND"));
        return String.join(" ", parts);
    }

    private static String optionLabel(OptionSpec o) {
        List<String> names = new ArrayList<>();
        for (String n : o.names()) names.add(Troff.bold(n));
        String value = o.arity().max() > 0 ? "=" + Troff.italic(label(o)) : "";
        return String.join(", ", names) + value;
    }

    /** The parameter label without picocli's angle brackets: HOST, FILE, or the field name. */
    static String label(ArgSpec a) {
        String l = a.paramLabel();
        return l.startsWith("<") && l.endsWith(">") ? l.substring(1, l.length() - 1) : l;
    }

    private static String describe(ArgSpec a) {
        String d = String.join(" ", a.description()).replace("%n", " ").replace("%%", "%").trim();
        if (d.isEmpty()) d = "(no description)";
        return d;
    }

    /** The description's first sentence: the whatis line of the page. */
    static String summary(CommandSpec spec) {
        List<String> ps = paragraphs(spec.usageMessage().description());
        String first = ps.isEmpty() ? spec.name() : ps.get(0);
        int dot = first.indexOf(". ");
        String s = dot > 0 ? first.substring(0, dot) : first;
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** picocli descriptions: one string a line, "%n" a line break; here each becomes a paragraph. */
    static List<String> paragraphs(String[] description) {
        List<String> out = new ArrayList<>();
        for (String line : description) {
            for (String p : line.replace("%%", "\u0000").split("%n")) {
                String t = p.replace("\u0000", "%").trim();
                if (!t.isEmpty()) out.add(t);
            }
        }
        return out;
    }

    private static String seeAlso(CommandSpec spec) {
        List<String> refs = new ArrayList<>();
        if (spec.parent() != null) refs.add(pageName(spec.parent()) + "(1)");
        if (spec.parent() == null) {
            for (CommandLine sub : visibleSubcommands(spec)) refs.add(pageName(sub.getCommandSpec()) + "(1)");
        }
        refs.add("network.yaml(5)");
        return String.join(", ", refs);
    }
}
