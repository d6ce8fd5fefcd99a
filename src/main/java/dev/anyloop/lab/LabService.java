package dev.anyloop.lab;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A real service standing in for a host's listeners: dnsmasq for DNS (port 53), socat for any other
 * TCP or UDP port. Each answers with the host's name so a probe shows who answered.
 */
public record LabService(String host, String kind, List<String> argv, List<Listener> listeners) {
    public LabService {
        argv = List.copyOf(argv);
        listeners = List.copyOf(listeners);
    }

    /** The services for {@code d}'s listeners; dnsmasq keeps its pid file under {@code runDir}. */
    public static List<LabService> of(DeviceState d, Path runDir) {
        Set<Listener> unique = new LinkedHashSet<>();
        for (Listener l : d.listeners()) unique.add(new Listener(l.proto(), l.address(), l.port(), l.v6only(), ""));
        List<Listener> dns = new ArrayList<>();
        List<LabService> out = new ArrayList<>();
        for (Listener l : unique) {
            if (l.port() == 53) dns.add(l);
            else out.add(new LabService(d.host(), "socat", socat(d.host(), l), List.of(l)));
        }
        if (!dns.isEmpty()) out.add(0, new LabService(d.host(), "dnsmasq", dnsmasq(d.host(), dns, runDir), dns));
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
     * socat: {@code TCP-LISTEN:PORT,bind=ADDR,reuseaddr,fork EXEC:/bin/echo HOST}; UDP with UDP-RECVFROM and
     * {@code EXEC:/bin/sed 1cHOST}, which reads the datagram before it answers: socat's child writes the datagram
     * to the program's stdin, and /bin/echo, which never reads it, may have exited by then; the child then dies
     * of EPIPE before relaying the answer (10-60% of datagrams lost on a loaded 2-core machine; none with sed).
     */
    static List<String> socat(String host, Listener l) {
        Family f = l.address().family();
        String kind = (l.proto() == Proto.TCP ? "TCP" : "UDP") + (f == Family.V4 ? "4" : "6")
                + (l.proto() == Proto.TCP ? "-LISTEN" : "-RECVFROM");
        StringBuilder addr = new StringBuilder(kind).append(':').append(l.port());
        if (!l.address().isZero()) addr.append(",bind=").append(f == Family.V4 ? l.address().toString() : "[" + l.address() + "]");
        else if (f == Family.V6) addr.append(",ipv6only=").append(l.v6only() ? 1 : 0);
        addr.append(",reuseaddr,fork");
        return List.of("socat", addr.toString(), l.proto() == Proto.TCP ? "EXEC:/bin/echo " + host : "EXEC:/bin/sed 1c" + host);
    }
}
