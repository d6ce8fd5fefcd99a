package dev.anyloop.os;

import dev.anyloop.state.SysctlKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a live host through a {@link Target}: the plain commands of DESIGN.md "Snapshot format", all in one
 * {@code sh} process on the target ({@link HostScript}), their output kept unchanged except for sysctl.txt,
 * which keeps only the keys the simulator reads ({@link SysctlKey}). A file whose tool is not installed (nft, ipset,
 * ip6tables-save, ...) is left out and the absence recorded, as the format allows; only {@code ip} is required.
 */
public final class Snapshotter {
    /** Where the absent tools are recorded in a snapshot folder (the reader ignores files it does not know). */
    public static final String TOOLS = "tools.txt";
    /** {@code nft list table inet anyloop}: not in the snapshot format; apply reads it to see its own table. */
    public static final String NFT_ANYLOOP = "nft-anyloop.nft";
    private static final Pattern SYSCTL_KEY = Pattern.compile("[A-Za-z0-9_.:/-]+");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** One file a snapshot can hold, the tool it needs and the command that writes it. */
    public enum Part {
        ADDR("ip-addr.json", "ip", List.of("ip", "-json", "addr", "show")),
        ROUTE("ip-route.json", "ip", List.of("ip", "-json", "route", "show", "table", "all")),
        ROUTE6("ip6-route.json", "ip", List.of("ip", "-6", "-json", "route", "show", "table", "all")),
        RULE("ip-rule.json", "ip", List.of("ip", "-json", "rule", "show")),
        RULE6("ip6-rule.json", "ip", List.of("ip", "-6", "-json", "rule", "show")),
        IPTABLES("iptables.rules", "iptables-save", List.of("iptables-save")),
        IP6TABLES("ip6tables.rules", "ip6tables-save", List.of("ip6tables-save")),
        SYSCTL("sysctl.txt", "sysctl", List.of("sysctl", "-a")),
        LISTEN("listen.txt", "ss", List.of("ss", "-Hlntup")),
        NFT("nft.json", "nft", List.of("nft", "-j", "list", "ruleset")),
        IPSET("ipset.txt", "ipset", List.of("ipset", "save")),
        NFT_TABLE(NFT_ANYLOOP, "nft", List.of("nft", "list", "table", "inet", "anyloop"));

        private final String file;
        private final String tool;
        private final List<String> argv;

        Part(String file, String tool, List<String> argv) {
            this.file = file;
            this.tool = tool;
            this.argv = argv;
        }

        public String file() { return file; }

        public String tool() { return tool; }

        List<String> argv() { return argv; }

        /** Section names are the file names without dots. */
        String section() { return file.replace('.', '-'); }
    }

    /** Every file of the snapshot format, in the order DESIGN.md lists them. */
    public static final Set<Part> FULL = EnumSet.range(Part.ADDR, Part.IPSET);

    /**
     * What a read gave: the text of each file (name -> content), and the files left out because their tool
     * is not installed (name -> tool). {@link Part#NFT_TABLE} is absent, not missing, when nft runs but the
     * table does not exist.
     */
    public record Snapshot(Map<String, String> files, Map<String, String> missing) {
        public Snapshot {
            files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
            missing = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(missing));
        }

        public java.util.Optional<String> file(String name) { return java.util.Optional.ofNullable(files.get(name)); }

        /** Writes every file into {@code hostDir}, and {@link #TOOLS} when a tool was missing. */
        public void writeTo(Path hostDir) throws IOException {
            Files.createDirectories(hostDir);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(hostDir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
            }
            if (!missing.isEmpty()) Files.writeString(hostDir.resolve(TOOLS), tools(), StandardCharsets.UTF_8);
        }

        /** "nft: not installed, nft.json left out" a line. */
        public String tools() {
            StringBuilder sb = new StringBuilder();
            missing.forEach((file, tool) -> sb.append(tool).append(": not installed, ").append(file).append(" left out\n"));
            return sb.toString();
        }
    }

    private final Target target;

    public Snapshotter(Target target) { this.target = target; }

    /** Writes every file of the snapshot format for one host into {@code hostDir} (its name is the host's name). */
    public Snapshot snapshot(Path hostDir) throws IOException {
        Snapshot s = read(FULL, List.of());
        s.writeTo(hostDir);
        return s;
    }

    /**
     * Reads {@code parts}; with {@code sysctlKeys} given, sysctl.txt holds just those keys (the ones that
     * do not exist are left out), else the forwarding keys of {@code sysctl -a}.
     */
    public Snapshot read(Set<Part> parts, List<String> sysctlKeys) {
        HostScript script = new HostScript();
        add(script, parts, sysctlKeys);
        return parse(script.run(target, TIMEOUT), parts, sysctlKeys);
    }

    /** Appends the read of {@code parts} to {@code script}, e.g. after the steps of an apply, so both run in one process. */
    public static void add(HostScript script, Set<Part> parts, List<String> sysctlKeys) {
        for (Part p : parts) {
            List<String> argv = p.argv();
            if (p == Part.SYSCTL && !sysctlKeys.isEmpty()) {
                argv = new ArrayList<>(List.of("sysctl", "-e"));
                for (String k : sysctlKeys) argv.add(checkKey(k));
            }
            script.captureIf(p.tool(), p.section(), argv);
        }
    }

    /** The files of a script's output; throws when a required command failed, naming it and its stderr. */
    public static Snapshot parse(HostScript.Result r, Set<Part> parts, List<String> sysctlKeys) {
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        for (Part p : parts) {
            HostScript.Output o = r.section(p.section()).orElseThrow(() -> new IllegalStateException(
                    "reading the host stopped before " + p.file() + " (exit " + r.exit() + "): " + r.err().strip()));
            if (o.missing()) {
                if (p.tool().equals("ip")) throw new IllegalStateException("ip is not installed (iproute2): cannot read the host");
                missing.put(p.file(), p.tool());
                continue;
            }
            if (p == Part.NFT_TABLE && o.exit() != 0 && o.out().isBlank()) continue; // no such table
            if (o.exit() != 0) {
                throw new IllegalStateException(String.join(" ", p.argv()) + " failed (exit " + o.exit() + ")"
                        + (r.err().isBlank() ? "" : ": " + r.err().strip()));
            }
            String out = o.out();
            if (p == Part.SYSCTL && sysctlKeys.isEmpty()) out = forwardingKeys(out);
            files.put(p.file(), out);
        }
        return new Snapshot(files, missing);
    }

    /** The lines of {@code sysctl -a} output that the simulator reads: the keys of {@link SysctlKey}. */
    static String forwardingKeys(String sysctlAll) {
        StringBuilder sb = new StringBuilder();
        for (String line : sysctlAll.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && SysctlKey.kept(line.substring(0, eq).strip())) sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static String checkKey(String k) {
        if (!SYSCTL_KEY.matcher(k).matches()) throw new IllegalArgumentException("Invalid sysctl key '" + k + "'");
        return k;
    }

    /** The parts a full snapshot reads, as files: what {@code anyloop snapshot} writes. */
    public static List<String> fullFiles() { return FULL.stream().map(Part::file).toList(); }

    public Target target() { return target; }
}
