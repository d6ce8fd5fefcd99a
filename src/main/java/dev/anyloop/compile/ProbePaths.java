package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.ProbePairs;
import dev.anyloop.intent.ProbePairs.Pair;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Address;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The paths {@code anyloop watch} probes each service instance along (docs/watch.md, "Probe paths"). For a router
 * R and a host H it routes checked services to, with probe source S (from health: probe-sources) and table T:
 * <ul>
 *   <li>on R: S/32 on lo, the rule {@code from S lookup T} (priority T, before main's 32766), and in T one route per
 *       service address X that R routes to H: {@code X via H_addr dev R_if}. A socket bound to S therefore reaches
 *       H whatever the main table's metrics say, and only H; the reply (to S, local) needs no rule, and rp_filter's
 *       reverse lookup of X from S takes the same rule, so it passes on R_if even in strict mode;</li>
 *   <li>on H: S may pass H's service chain (the probe must reach the port it checks), and when H's gateway on that
 *       segment is not R, a route {@code S via R_addr} so the answer returns to R.</li>
 * </ul>
 */
final class ProbePaths {
    private ProbePaths() { }

    /** The probe sources on router {@code h}'s lo. */
    static List<Address> addresses(Intent intent, HostDef h) {
        List<Address> out = new ArrayList<>();
        for (Pair p : ProbePairs.of(intent, h.name())) out.add(Address.global(HostAddresses.LO, InterfaceAddress.of(p.source(), p.family().bits())));
        return out;
    }

    /** On a router: one rule per probe pair, anyloop's own (protocol 77), so apply adds and removes it like its routes. */
    static List<PolicyRule> rules(Intent intent, HostDef h) {
        List<PolicyRule> out = new ArrayList<>();
        for (Pair p : ProbePairs.of(intent, h.name())) {
            out.add(new PolicyRule(p.family(), p.table(), false, Optional.of(Prefix.host(p.source())), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), PolicyRule.Action.LOOKUP, p.table()).withProto(Route.PROTO_ANYLOOP));
        }
        return out;
    }

    /** On a router: each probe table's routes; on a service host: the way back to a router that is not its gateway. */
    static List<Route> routes(Intent intent, HostDef h) {
        List<Route> out = new ArrayList<>();
        for (Pair p : ProbePairs.of(intent)) {
            if (p.router().equals(h.name())) {
                for (ServiceDef s : intent.services().values()) {
                    if (!s.hosts().contains(p.host()) || s.hosts().contains(p.router()) || intent.health().get().check(s.name()).isEmpty()) continue;
                    for (Ip x : s.addresses()) {
                        if (x.family() != p.family()) continue;
                        out.add(new Route(Route.Type.UNICAST, Prefix.host(x), p.table(), List.of(dev.anyloop.state.NextHop.via(p.via(), p.dev())),
                                0, Optional.empty(), Route.PROTO_ANYLOOP, Route.Scope.GLOBAL));
                    }
                }
            } else if (p.host().equals(h.name()) && !gateway(h, p)) {
                out.add(Route.via(Prefix.host(p.source()), p.routerAddress(), p.hostDev(), 0, Route.PROTO_ANYLOOP));
            }
        }
        return out;
    }

    /** True when host h's gateway on the pair's interface is the router itself: the answer goes back by default. */
    private static boolean gateway(HostDef h, Pair p) {
        InterfaceDef i = h.interfaces().get(p.hostDev());
        return i != null && i.gateways().contains(p.routerAddress());
    }

    /** On service host {@code host}: the probe sources that check service {@code s} over family {@code f}. */
    static List<Prefix> sources(Intent intent, String host, ServiceDef s, Family f) {
        if (intent.health().isEmpty() || intent.health().get().check(s.name()).isEmpty()) return List.of();
        List<Prefix> out = new ArrayList<>();
        for (Pair p : ProbePairs.of(intent)) {
            if (p.host().equals(host) && p.family() == f && !s.hosts().contains(p.router())) out.add(Prefix.host(p.source()));
        }
        return out;
    }
}
