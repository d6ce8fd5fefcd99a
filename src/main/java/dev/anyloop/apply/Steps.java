package dev.anyloop.apply;

import dev.anyloop.net.Family;
import dev.anyloop.render.IpBatchRenderer;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.render.NftRenderer;
import dev.anyloop.state.Address;
import dev.anyloop.state.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The commands a list of changes becomes, one input per tool: sysctl assignments; one {@code ip -batch} for
 * addresses, routes and IPv4 rules (and one {@code ip -6 -batch} for IPv6 rules, whose family ip takes from
 * -6 alone); one {@code iptables-restore --noflush} per family that rewrites only anyloop's chains and its
 * jumps; one {@code nft -f} that replaces {@code table inet anyloop} whole. Each tool applies its input as
 * one transaction or stops at its first failing line. Pure.
 */
public record Steps(List<String> sysctl, String ip, String ip6, String iptables, String ip6tables, Optional<String> nft) {
    private static final Pattern SYSCTL_KEY = Pattern.compile("[A-Za-z0-9_.:/-]+");

    public Steps {
        sysctl = List.copyOf(sysctl);
    }

    public boolean isEmpty() {
        return sysctl.isEmpty() && ip.isEmpty() && ip6.isEmpty() && iptables.isEmpty() && ip6tables.isEmpty() && nft.isEmpty();
    }

    /** The text of one family's restore input. */
    public String iptables(Family f) { return f == Family.V4 ? iptables : ip6tables; }

    /**
     * What apply loads on a host that holds none of anyloop's part yet but everything else {@code d} expects
     * (its interfaces, Docker's chains): the form {@code export} writes.
     */
    public static Steps forFreshHost(dev.anyloop.state.DeviceState d, Backend b) {
        Owned live = Ownership.live(Ownership.environment(d), new Ownership.Scope(java.util.Set.of(), java.util.Set.of(), java.util.Set.of()),
                Optional.empty());
        return of(Planner.plan(live, Ownership.desired(d, b), Planner.NftMemory.NONE).changes());
    }

    public static Steps of(List<Change> changes) {
        Collector c = new Collector();
        for (Change ch : changes) ch.accept(c);
        return c.steps();
    }

    /** Sorts changes into the tools' inputs, in the order each input must carry them. */
    private static final class Collector implements Change.Visitor<Void> {
        private final Map<String, String> sysctl = new LinkedHashMap<>();
        private final StringBuilder ruleDel = new StringBuilder();
        private final StringBuilder ruleDel6 = new StringBuilder();
        private final StringBuilder routeDel = new StringBuilder();
        private final StringBuilder addrAdd = new StringBuilder();
        private final StringBuilder routeDirect = new StringBuilder();
        private final StringBuilder routeVia = new StringBuilder();
        private final StringBuilder addrDel = new StringBuilder();
        private final StringBuilder ruleAdd = new StringBuilder();
        private final StringBuilder ruleAdd6 = new StringBuilder();
        private final Map<Family, Map<String, Firewall>> firewall = new LinkedHashMap<>();
        private Optional<String> nft = Optional.empty();

        /**
         * One table's part of a restore input, in the order the lines must run: jumps out, every chain declared
         * (a rule may jump to a chain declared after it), their rules, jumps in, emptied chains removed.
         */
        private static final class Firewall {
            final StringBuilder jumpDel = new StringBuilder();
            final StringBuilder declare = new StringBuilder();
            final StringBuilder chains = new StringBuilder();
            final StringBuilder jumpAdd = new StringBuilder();
            final StringBuilder remove = new StringBuilder();
        }

        private Firewall fw(ChainRef c) {
            return firewall.computeIfAbsent(c.family(), k -> new TreeMap<>()).computeIfAbsent(c.table(), k -> new Firewall());
        }

        @Override
        public Void addressAdd(Change.AddressAdd c) {
            addrAdd.append("address add ").append(address(c.address(), true)).append('\n');
            return null;
        }

        @Override
        public Void addressDel(Change.AddressDel c) {
            addrDel.append("address del ").append(address(c.address(), false)).append('\n');
            return null;
        }

        @Override
        public Void routeReplace(Change.RouteReplace c) {
            // a gateway must be on-link when its route is added, and a device route may be what puts it there
            boolean via = c.route().nexthops().stream().anyMatch(h -> h.via().isPresent());
            (via ? routeVia : routeDirect).append("route replace ").append(IpBatchRenderer.route(c.route())).append('\n');
            return null;
        }

        @Override
        public Void routeDel(Change.RouteDel c) {
            routeDel.append("route del ").append(IpBatchRenderer.route(c.route())).append('\n');
            return null;
        }

        @Override
        public Void ruleAdd(Change.RuleAdd c) {
            (c.rule().family() == Family.V4 ? ruleAdd : ruleAdd6).append("rule add ").append(IpBatchRenderer.rule(c.rule())).append('\n');
            return null;
        }

        @Override
        public Void ruleDel(Change.RuleDel c) {
            (c.rule().family() == Family.V4 ? ruleDel : ruleDel6).append("rule del ").append(IpBatchRenderer.rule(c.rule())).append('\n');
            return null;
        }

        @Override
        public Void sysctlSet(Change.SysctlSet c) {
            if (!SYSCTL_KEY.matcher(c.key()).matches() || c.value().chars().anyMatch(ch -> ch < 0x20)) {
                throw new IllegalArgumentException("Invalid sysctl " + c.key() + "=" + c.value() + ": not a sysctl key, or a value with control characters");
            }
            sysctl.put(c.key(), c.value().strip());
            return null;
        }

        /** ":AL-X - [0:0]" creates the chain, or, with --noflush, empties one that exists; then its rules. */
        @Override
        public Void chainReplace(Change.ChainReplace c) {
            Firewall t = fw(c.chain());
            t.declare.append(':').append(name(c.chain())).append(" - [0:0]\n");
            for (Rule r : c.rules()) t.chains.append("-A ").append(name(c.chain())).append(' ').append(spec(c.chain(), r)).append('\n');
            return null;
        }

        /** Emptied with the other chains, removed after every jump into it is gone. */
        @Override
        public Void chainDelete(Change.ChainDelete c) {
            Firewall t = fw(c.chain());
            t.declare.append(':').append(name(c.chain())).append(" - [0:0]\n");
            t.remove.append("-X ").append(name(c.chain())).append('\n');
            return null;
        }

        @Override
        public Void jumpInsert(Change.JumpInsert c) {
            fw(c.parent()).jumpAdd.append("-I ").append(name(c.parent())).append(' ').append(c.position()).append(' ')
                    .append(spec(c.parent(), c.rule())).append('\n');
            return null;
        }

        @Override
        public Void jumpDelete(Change.JumpDelete c) {
            fw(c.parent()).jumpDel.append("-D ").append(name(c.parent())).append(' ').append(spec(c.parent(), c.rule())).append('\n');
            return null;
        }

        /** Creating it empty first makes the delete succeed whether or not it exists: one atomic nft transaction. */
        @Override
        public Void nftReplace(Change.NftReplace c) {
            String text = c.text();
            String head = "table inet " + NftRenderer.TABLE + " {}\ndelete table inet " + NftRenderer.TABLE + "\n";
            nft = Optional.of(text.startsWith(head) ? text : head + text);
            return null;
        }

        @Override
        public Void nftDelete(Change.NftDelete c) {
            nft = Optional.of("table inet " + NftRenderer.TABLE + " {}\ndelete table inet " + NftRenderer.TABLE + "\n");
            return null;
        }

        Steps steps() {
            List<String> assignments = new ArrayList<>();
            sysctl.forEach((k, v) -> assignments.add(k + "=" + v));
            // rules and routes that may use an address go before it leaves, and after a new one arrives
            String ip = "" + ruleDel + routeDel + addrAdd + routeDirect + routeVia + addrDel + ruleAdd;
            String ip6 = "" + ruleDel6 + ruleAdd6;
            return new Steps(assignments, ip, ip6, restore(Family.V4), restore(Family.V6), nft);
        }

        private String restore(Family f) {
            Map<String, Firewall> tables = firewall.get(f);
            if (tables == null) return "";
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, Firewall> e : tables.entrySet()) {
                Firewall t = e.getValue();
                sb.append('*').append(e.getKey()).append('\n').append(t.jumpDel).append(t.declare).append(t.chains).append(t.jumpAdd).append(t.remove)
                        .append("COMMIT\n");
            }
            return sb.toString();
        }

        private static String address(Address a, boolean add) {
            StringBuilder sb = new StringBuilder().append(a.address()).append(" dev ").append(a.dev());
            if (!add) return sb.toString();
            // lo does no duplicate address detection, yet a new IPv6 address stays tentative (unusable as a
            // route's src) until the DAD worker has run
            if (a.address().family() == Family.V6 && a.dev().equals(Ownership.LO)) sb.append(" nodad");
            return sb.toString();
        }

        private static String name(ChainRef c) {
            if (!c.chain().matches("[A-Za-z0-9_.:-]+")) throw new IllegalArgumentException("Invalid chain name '" + c.chain() + "'");
            return c.chain();
        }

        private static String spec(ChainRef c, Rule r) {
            try {
                return IptablesRenderer.spec(c.family(), r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(c + ": " + e.getMessage(), e);
            }
        }
    }
}
