package dev.anyloop.lab;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real service standing in for a host's listeners, answering with the host's name so a probe shows who answered:
 * dnsmasq for DNS (port 53), and for every other TCP and UDP port one small server of anyloop's own per host
 * ({@code answer.pl}, perl from Debian's Essential perl-base: nothing to install). That server reads each datagram
 * and answers it from the same socket, so concurrent UDP probes all get their answer (socat's fork-and-EXEC answer
 * raced the next datagram), and a wildcard socket answers from the source the kernel picks, as a real daemon without
 * IP_PKTINFO does. {@code files} are written (script, socket list) before {@code argv} starts.
 */
public record LabService(String host, String kind, List<String> argv, List<Listener> listeners, Map<Path, String> files) {
    /** The kind of the TCP/UDP stand-in, as error messages name it. */
    public static final String ANSWER = "answer";
    static final String SCRIPT = "answer.pl";

    public LabService {
        argv = List.copyOf(argv);
        listeners = List.copyOf(listeners);
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** The services for {@code d}'s listeners; dnsmasq keeps its pid file, answer.pl its files, under {@code runDir}. */
    public static List<LabService> of(DeviceState d, Path runDir) {
        Set<Listener> unique = new LinkedHashSet<>();
        for (Listener l : d.listeners()) unique.add(new Listener(l.proto(), l.address(), l.port(), l.v6only(), ""));
        List<Listener> dns = new ArrayList<>();
        List<Listener> other = new ArrayList<>();
        for (Listener l : unique) (l.port() == 53 ? dns : other).add(l);
        List<LabService> out = new ArrayList<>();
        if (!dns.isEmpty()) out.add(new LabService(d.host(), "dnsmasq", dnsmasq(d.host(), dns, runDir), dns, Map.of()));
        if (!other.isEmpty()) out.add(answer(d.host(), other, runDir));
        return out;
    }

    /**
     * One dnsmasq for all of a host's DNS listeners. Bound to addresses it uses --bind-interfaces with
     * one --listen-address each; dnsmasq then does not add 127.0.0.1 on its own (dnsmasq(8),
     * --listen-address). A wildcard listener makes it bind the wildcard instead.
     */
    static List<String> dnsmasq(String host, List<Listener> dns, Path runDir) {
        List<String> a = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-hosts",
                "--no-resolv", "--user=root", "--log-facility=-", "--port=53",
                "--txt-record=" + Probe.WHOAMI + "," + host, "--pid-file=" + runDir.resolve(host + "-dnsmasq.pid")));
        boolean wildcard = dns.stream().anyMatch(l -> l.address().isZero());
        if (wildcard) {
            // any interface option switches off the default "answer local subnets only" of dnsmasq >= 2.90
            a.add("--interface=*");
        } else {
            a.add("--bind-interfaces");
            Set<Ip> seen = new LinkedHashSet<>();
            for (Listener l : dns) seen.add(l.address());
            for (Ip ip : seen) a.add("--listen-address=" + ip);
        }
        return a;
    }

    /**
     * {@code perl RUN/answer.pl HOST RUN/HOST-answer-ID.sockets}: the socket list is a file (an ip batch line, which
     * starts services, holds at most 100 words), one line per run of consecutive ports, named by its content so a
     * second server for the same host (Lab.listen) never overwrites the first one's.
     */
    static LabService answer(String host, List<Listener> listeners, Path runDir) {
        String sockets = sockets(listeners);
        Path script = runDir.resolve(SCRIPT);
        Path list = runDir.resolve(host + "-answer-" + Integer.toHexString(sockets.hashCode()) + ".sockets");
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(script, script());
        files.put(list, sockets);
        return new LabService(host, ANSWER, List.of("perl", script.toString(), host, list.toString()), listeners, files);
    }

    /** "tcp 10.0.0.1 8000 8010 0" lines: protocol, address, first and last port of a run, IPV6_V6ONLY. */
    static String sockets(List<Listener> listeners) {
        List<Listener> sorted = new ArrayList<>(listeners);
        sorted.sort(java.util.Comparator.comparing((Listener l) -> l.proto()).thenComparing(Listener::address)
                .thenComparing(Listener::v6only).thenComparingInt(Listener::port));
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sorted.size()) {
            Listener first = sorted.get(i);
            int last = first.port();
            int j = i + 1;
            while (j < sorted.size() && sameSocketKind(sorted.get(j), first) && sorted.get(j).port() == last + 1) last = sorted.get(j++).port();
            sb.append(first.proto() == Proto.TCP ? "tcp" : "udp").append(' ').append(first.address()).append(' ')
                    .append(first.port()).append(' ').append(last).append(' ')
                    .append(first.address().family() == Family.V6 && first.v6only() ? 1 : 0).append('\n');
            i = j;
        }
        return sb.toString();
    }

    private static boolean sameSocketKind(Listener a, Listener b) {
        return a.proto() == b.proto() && a.address().equals(b.address()) && a.v6only() == b.v6only();
    }

    /** The stand-in server's source, shipped in the jar. */
    static String script() {
        try (InputStream in = LabService.class.getResourceAsStream(SCRIPT)) {
            if (in == null) throw new IllegalStateException("answer.pl is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read answer.pl", e);
        }
    }
}
