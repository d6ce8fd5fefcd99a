package dev.anyloop.lab;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.Flow;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.sim.Step;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code anyloop demo}: examples/home.yaml built for real, then each technique of the how-to shown as
 * a real probe from inside the namespaces, with the simulator's verdict beside the kernel's. Every
 * change made to the lab (a route deleted, a listener added) is made to the simulated network too.
 */
public final class Demo {
    private final Lab lab;
    private final Intent intent;
    private final PrintWriter out;
    private Network network;
    private int steps;
    private int agreed;
    private int asExpected;

    private Demo(Lab lab, Intent intent, PrintWriter out) {
        this.lab = lab;
        this.intent = intent;
        this.out = out;
        this.network = lab.network();
    }

    /** The services of examples/home.yaml the demo walks through. */
    public static final List<String> SERVICES = List.of("web", "ghost", "dns-router", "dns", "pi-https");

    /** Checks that {@code intent} has what the demo needs; empty when it does, else the reason. */
    public static Optional<String> unsuitable(Intent intent) {
        for (String s : SERVICES) {
            if (!intent.services().containsKey(s)) return Optional.of("the demo walks through examples/home.yaml; this file has no service '" + s + "'");
        }
        for (String h : List.of("router", "laptop", "cam", "desktop", "pi1", "pi2")) {
            if (!intent.hosts().containsKey(h)) return Optional.of("the demo walks through examples/home.yaml; this file has no host '" + h + "'");
        }
        if (intent.sources().isEmpty()) return Optional.of("the demo needs a source-addresses entry (T8)");
        return Optional.empty();
    }

    /** Runs every step; true when the kernel agreed with the simulator and with the how-to on each. */
    public static boolean run(Lab lab, Intent intent, PrintWriter out) {
        Demo d = new Demo(lab, intent, out);
        d.all();
        out.printf("demo: %d steps, simulator and kernel agree on %d, %d as the how-to says%n", d.steps, d.agreed, d.asExpected);
        return d.agreed == d.steps && d.asExpected == d.steps;
    }

    private void all() {
        Ip web = addr("web"), ghost = addr("ghost"), dnsRouter = addr("dns-router"), dns = addr("dns");
        Route webRoute = serviceRoute("router", web, 1);
        say("T1/T2", "desktop carries " + web + " on lo; without the router's route nobody else can reach it");
        deleteRoute("router", webRoute);
        step("T1/T2", "laptop", web, Proto.TCP, 80, false, "", "route removed: the router has no way to " + web);
        addRoute("router", webRoute);
        step("T1/T2", "laptop", web, Proto.TCP, 80, true, "desktop", "ip route add " + web + " via desktop: now it answers");
        step("T3", "cam", web, Proto.TCP, 80, false, "", "the router forwards to " + web + " only from the lan (AL-FWD-web)");
        step("T4", "laptop", web, Proto.ICMP, 0, true, "", "desktop's AL-PORTS-web whitelists ICMP echo");
        lab.listen("desktop", Listener.of(Proto.TCP, Ip.zero(web.family()), 22, "sshd"));
        network = network.with(withListener(network.host("desktop").orElseThrow(), Listener.of(Proto.TCP, Ip.zero(web.family()), 22, "sshd")));
        step("T4", "laptop", web, Proto.TCP, 22, false, "", "an sshd on 0.0.0.0:22 is not reachable at " + web + ": only tcp/80 and ping are");
        step("T5", "laptop", ghost, Proto.TCP, 80, true, "desktop-ghost", "Docker's nat PREROUTING DNATs " + ghost + ":80 to the container before INPUT");
        step("T5", "laptop", ghost, Proto.TCP, 22, false, "", "INPUT's AL-IN-ghost hides desktop's own sshd on " + ghost);
        step("T6", "laptop", dnsRouter, Proto.UDP, 53, true, "router", "dnsmasq on the router, bound to its loopback " + dnsRouter);
        Ip gateway = firstAddress("router", "eth1");
        step("T6", "laptop", gateway, Proto.UDP, 53, false, "", "nothing answers DNS at the gateway address " + gateway + ": hidden");
        step("T7", "laptop", dns, Proto.UDP, 53, true, "pi1", "primary: the router's metric-1 route to " + dns + " goes to pi1");
        Route primary = serviceRoute("router", dns, 1);
        deleteRoute("router", primary);
        step("T7", "laptop", dns, Proto.UDP, 53, true, "pi2", "primary drained (metric-1 route deleted): the answer now comes from pi2");
        addRoute("router", primary);
        t8();
    }

    private void t8() {
        Intent.SourceDef src = intent.sources().get(0);
        Ip pi1 = firstAddress("pi1", "eth0");
        RoundTrip rt = step("T8", src.host(), pi1, Proto.TCP, 443, true, "pi1",
                "the router's own connection to pi1 leaves from its loopback " + src.from());
        Optional<Ip> chosen = rt.forward().steps().stream().filter(s -> s instanceof Step.SourceSelected)
                .map(s -> ((Step.SourceSelected) s).address()).findFirst();
        // The server closed first, so pi1 holds the connection in TIME-WAIT: ss shows the peer it saw.
        String ss = lab.exec("pi1", List.of("ss", "-Htan", "state", "time-wait")).out();
        boolean seen = ss.contains(" " + src.from() + ":");
        steps++;
        if (chosen.equals(Optional.of(src.from())) == seen) agreed++;
        if (seen) asExpected++;
        out.printf("%-6s ss on pi1 shows the peer it saw%n       %-34s sim: source %-21s kernel: %-28s %s%n", "T8", "pi1 TIME-WAIT peer " + src.from(),
                chosen.map(Ip::toString).orElse("?"), seen ? "peer " + src.from() : "not seen: " + ss.strip(),
                seen && chosen.equals(Optional.of(src.from())) ? "ok" : "MISMATCH");
    }

    private void say(String tech, String text) { out.printf("%-6s %s%n", tech, text); }

    private RoundTrip step(String tech, String from, Ip dst, Proto proto, int port, boolean expect, String expectHost, String why) {
        RoundTrip rt = Simulator.of(network).roundTrip(Flow.of(from, dst, proto, port));
        ProbeResult real = lab.probe(from, Probe.of(dst, proto, port));
        String simBy = rt.reachable() ? rt.forward().verdict().step().host() : "";
        boolean agree = rt.reachable() == real.reachable() && (!real.reachable() || real.answeredBy().isEmpty()
                || real.answeredBy().equals(simBy));
        boolean ok = real.reachable() == expect && (expectHost.isEmpty() || expectHost.equals(real.answeredBy()));
        steps++;
        if (agree) agreed++;
        if (ok) asExpected++;
        out.printf("%-6s %s%n", tech, why);
        out.printf("       %-34s sim: %-28s kernel: %-28s %s%n", rt.flow(),
                rt.reachable() ? "answered by " + simBy : shortVerdict(rt),
                real.reachable() ? "answered" + (real.answeredBy().isEmpty() ? "" : " by " + real.answeredBy()) : "no answer (" + clip(real.detail()) + ")",
                agree && ok ? "ok" : (agree ? "UNEXPECTED" : "MISMATCH"));
        return rt;
    }

    private static String shortVerdict(RoundTrip rt) {
        return rt.verdict().kind().toLowerCase() + " at " + rt.verdict().step().host();
    }

    private static String clip(String s) { return s.length() > 40 ? s.substring(0, 40) + "..." : s; }

    private Ip addr(String service) {
        ServiceDef s = intent.services().get(service);
        return s.addresses().get(0);
    }

    private Ip firstAddress(String host, String dev) {
        return network.host(host).orElseThrow().addressesOn(dev).get(0).address().ip();
    }

    /** The anyloop route on {@code host} to {@code dst} with {@code metric}. */
    private Route serviceRoute(String host, Ip dst, int metric) {
        return network.host(host).orElseThrow().routes().stream()
                .filter(r -> r.ownedByAnyloop() && r.dst().isHost() && r.dst().network().equals(dst) && r.metric() == metric)
                .findFirst().orElseThrow(() -> new IllegalStateException(host + " has no route to " + dst + " metric " + metric));
    }

    /** Withdraws {@code r} from {@code host} through the apply engine (what a drain does), in the lab and in the simulated network. */
    private void deleteRoute(String host, Route r) {
        DeviceState d = network.host(host).orElseThrow();
        List<Route> kept = new ArrayList<>(d.routes());
        kept.remove(r);
        converge(d.withRoutes(kept));
    }

    /** Puts {@code r} back on {@code host} through the apply engine. */
    private void addRoute(String host, Route r) {
        DeviceState d = network.host(host).orElseThrow();
        List<Route> routes = new ArrayList<>(d.routes());
        routes.add(r);
        converge(d.withRoutes(routes));
    }

    private void converge(DeviceState d) {
        lab.converge(d.host(), d);
        network = network.with(d);
    }

    private static DeviceState withListener(DeviceState d, Listener l) {
        List<Listener> ls = new ArrayList<>(d.listeners());
        ls.add(l);
        return d.withListeners(ls);
    }
}
