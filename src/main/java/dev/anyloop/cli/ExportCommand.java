package dev.anyloop.cli;

import dev.anyloop.apply.Backend;
import dev.anyloop.apply.Steps;
import dev.anyloop.net.Family;
import dev.anyloop.render.IpBatchRenderer;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.render.NetworkdRenderer;
import dev.anyloop.render.NftRenderer;
import dev.anyloop.render.SysctlRenderer;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop export FILE --host H --format F --out DIR}: one host's state as files a tool loads. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write one host's state as files: ip-batch (ip -batch), iptables (anyloop's chains and jumps for "
                + "iptables-restore --noflush and ip6tables-restore --noflush), nft (table inet anyloop for nft -f, replaced whole), "
                + "networkd (systemd-networkd + sysctl.d), sysctl. iptables and nft hold only what anyloop owns, in the form apply "
                + "loads, so loading them leaves Docker's and every other tool's rules alone; --full writes whole tables instead.")
final class ExportCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { ip_batch, iptables, nft, networkd, sysctl }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "network.yaml")
    Path file;

    @Option(names = "--host", required = true, paramLabel = "HOST", description = "the host to export")
    String host;

    @Option(names = "--format", required = true, converter = FormatConverter.class, paramLabel = "FORMAT",
            completionCandidates = FormatConverter.Words.class,
            description = "ip-batch, iptables, nft, networkd or sysctl")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write into (created if missing)")
    Path out;

    @Option(names = "--full", description = "iptables and nft: every table of the host, Docker's chains included (iptables-restore "
            + "without --noflush replaces whole tables: for a host, or a lab, that holds nothing else)")
    boolean full;

    /** Accepts ip-batch as well as ip_batch. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        /** The words as users type them (ip-batch), for completion. */
        static final class Words extends java.util.ArrayList<String> {
            Words() {
                for (Format f : Format.values()) add(f.name().replace('_', '-'));
            }
        }

        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a format: expected ip-batch, iptables, nft, networkd or sysctl");
            }
        }
    }

    @Override
    public Integer call() {
        Network n = Inputs.compile(file, spec.commandLine().getErr());
        DeviceState d = Inputs.hosts(n, Optional.of(host), spec.commandLine().getErr()).get(0);
        Map<String, String> files = files(d, format, full);
        try {
            Files.createDirectories(out);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = out.resolve(f.getKey());
                Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
                spec.commandLine().getOut().println("wrote " + p);
            }
        } catch (IOException e) {
            spec.commandLine().getErr().println("anyloop: cannot write into " + out + ": " + e);
            return Main.CONFIG_ERROR;
        }
        return Main.OK;
    }

    /** anyloop's part for {@code tool}, headed by how to load it; a host with none gets only the header. */
    private static String owned(String host, String tool, String text) {
        return "# anyloop's part of host " + host + ", as apply loads it: " + tool + " FILE (other tools' rules stay as they are)\n"
                + (text.isEmpty() ? "# (nothing: anyloop owns no rule of this family on this host)\n" : text);
    }

    static Map<String, String> files(DeviceState d, Format format, boolean full) {
        Map<String, String> m = new LinkedHashMap<>();
        String h = d.host();
        switch (format) {
            case ip_batch:
                m.put(h + ".ip-batch", IpBatchRenderer.render(d));
                break;
            case iptables:
                if (full) {
                    m.put(h + ".iptables", IptablesRenderer.render(d.netfilter(Family.V4)));
                    m.put(h + ".ip6tables", IptablesRenderer.render(d.netfilter(Family.V6)));
                } else {
                    Steps s = Steps.forFreshHost(d, Backend.IPTABLES);
                    m.put(h + ".iptables", owned(h, "iptables-restore --noflush", s.iptables()));
                    m.put(h + ".ip6tables", owned(h, "ip6tables-restore --noflush", s.ip6tables()));
                }
                break;
            case nft:
                m.put(h + ".nft", full ? NftRenderer.render(d) : owned(h, "nft -f", Steps.forFreshHost(d, Backend.NFT).nft().orElse("")));
                break;
            case networkd:
                m.putAll(NetworkdRenderer.render(d));
                break;
            case sysctl:
                m.put("99-anyloop.conf", SysctlRenderer.render(d));
                break;
            default:
                throw new IllegalStateException("unhandled format " + format);
        }
        return m;
    }
}
