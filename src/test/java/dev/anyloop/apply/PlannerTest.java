package dev.anyloop.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Prefix;
import dev.anyloop.render.Golden;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Match;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The pure differ: what it plans from nothing, that an equal host plans nothing, and how it places jumps. */
class PlannerTest {
    static final Network HOME = load("examples/home.yaml");
    static final Network CAMPUS = load("examples/campus.yaml");
    static final Ownership.Scope NO_SCOPE = new Ownership.Scope(Set.of(), Set.of(), Set.of());

    static Network load(String f) {
        try {
            return Compiler.compile(IntentLoader.load(Path.of(f)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the host holds once a plan of {@code d} ran: its own owned part, read back with a scope covering it. */
    static Owned asApplied(DeviceState d, Backend b) {
        Owned want = Ownership.desired(d, b);
        Set<Address> a = new java.util.HashSet<>();
        want.addresses().forEach(x -> a.add(Ownership.key(x)));
        Set<Ownership.SrcKey> src = new java.util.HashSet<>();
        want.srcRoutes().forEach(x -> src.add(Ownership.SrcKey.of(x)));
        // with nft, anyloop's chains are in its table, not in iptables: the host's iptables hold only the others'
        DeviceState host = b == Backend.NFT ? d.withNetfilter(Ownership.environment(d).ipv4(), Ownership.environment(d).ipv6()) : d;
        return Ownership.live(host, new Ownership.Scope(a, want.sysctls().keySet(), src), want.nft());
    }

    @ParameterizedTest
    @ValueSource(strings = {"isp", "router", "desktop", "laptop", "pi1", "pi2", "cam"})
    void aHostThatHoldsItsPartPlansNothing(String host) {
        for (Backend b : Backend.values()) {
            DeviceState d = HOME.host(host).orElseThrow();
            Owned live = asApplied(d, b);
            String text = live.nft().orElse("");
            Planner.Result r = Planner.plan(live, Ownership.desired(d, b), new Planner.NftMemory(Planner.hash(text), text));
            assertThat(r.changes()).as(host + " " + b).isEmpty();
        }
    }

    @Test
    void everyCampusHostPlansNothingOnceItHoldsItsPart() {
        for (DeviceState d : CAMPUS.hosts().values()) {
            Planner.Result r = Planner.plan(asApplied(d, Backend.IPTABLES), Ownership.desired(d, Backend.IPTABLES), Planner.NftMemory.NONE);
            assertThat(r.changes()).as(d.host()).isEmpty();
        }
    }

    /** What apply loads on a host holding nothing of anyloop's, pinned as golden files: the review copy of every step. */
    @ParameterizedTest
    @ValueSource(strings = {"router", "desktop", "pi1"})
    void fromNothingThePlanAndItsStepsArePinned(String host) {
        DeviceState d = HOME.host(host).orElseThrow();
        Owned empty = Ownership.live(Ownership.environment(d), NO_SCOPE, Optional.empty());
        for (Backend b : Backend.values()) {
            Planner.Result r = Planner.plan(empty, Ownership.desired(d, b), Planner.NftMemory.NONE);
            Steps s = Steps.forFreshHost(d, b);
            Map<String, String> files = new LinkedHashMap<>();
            files.put("plan", new Plan(host, r.changes(), List.of(), r.warnings(), List.of()).text());
            files.put("sysctl", String.join("\n", s.sysctl()) + "\n");
            files.put("ip -batch", s.ip());
            if (!s.ip6().isEmpty()) files.put("ip -6 -batch", s.ip6());
            if (!s.iptables().isEmpty()) files.put("iptables-restore --noflush", s.iptables());
            if (!s.ip6tables().isEmpty()) files.put("ip6tables-restore --noflush", s.ip6tables());
            s.nft().ifPresent(t -> files.put("nft -f", t));
            Golden.assertMatches("apply", host, b.name().toLowerCase(), files);
        }
    }

    private static Rule jump(String dst, String chain) {
        return Rule.of(new Target.Jump(chain), new Match.Destination(Prefix.parse(dst), false));
    }

    private static Rule foreign(String src) {
        return Rule.of(new Target.Drop(), new Match.Source(Prefix.parse(src), false));
    }

    private static List<Change> jumps(List<Rule> chain, List<Rule> want) {
        List<Change> out = new ArrayList<>();
        Planner.jumps(new ChainRef(Family.V4, "filter", "INPUT"), chain, want, out);
        return out;
    }

    @Test
    void jumpsGoToTheTopOfAChainOthersFill() {
        List<Rule> chain = List.of(foreign("10.0.0.0/8"), foreign("10.1.0.0/16"));
        List<Change> c = jumps(chain, List.of(jump("10.9.0.1/32", "AL-A"), jump("10.9.0.2/32", "AL-B")));
        assertThat(c).extracting(Change::describe).containsExactly(
                "+ ipv4 filter INPUT #1: -d 10.9.0.1/32 -j AL-A",
                "+ ipv4 filter INPUT #2: -d 10.9.0.2/32 -j AL-B");
    }

    @Test
    void onlyWhatIsOutOfPlaceMoves() {
        Rule a = jump("10.9.0.1/32", "AL-A"), b = jump("10.9.0.2/32", "AL-B"), c = jump("10.9.0.3/32", "AL-C"), d = jump("10.9.0.4/32", "AL-D");
        // live: foreign, a, c, foreign, b; want: a, b, c, d -> keep a, c (the longest run in order); move b; add d after c
        List<Change> ch = jumps(List.of(foreign("10.0.0.0/8"), a, c, foreign("10.1.0.0/16"), b), List.of(a, b, c, d));
        assertThat(ch).extracting(Change::describe).containsExactly(
                "- ipv4 filter INPUT: -d 10.9.0.2/32 -j AL-B",
                "+ ipv4 filter INPUT #3: -d 10.9.0.2/32 -j AL-B",
                "+ ipv4 filter INPUT #5: -d 10.9.0.4/32 -j AL-D");
    }

    @Test
    void aJumpNoLongerWantedIsDeletedAndTheRestStays() {
        Rule a = jump("10.9.0.1/32", "AL-A"), b = jump("10.9.0.2/32", "AL-B");
        assertThat(jumps(List.of(a, foreign("10.0.0.0/8"), b), List.of(b))).extracting(Change::describe)
                .containsExactly("- ipv4 filter INPUT: -d 10.9.0.1/32 -j AL-A");
        assertThat(jumps(List.of(a, b), List.of(a, b))).isEmpty();
    }

    @Test
    void aChainHoldingEveryJumpTwiceLosesTheSecondCopies() {
        Rule a = jump("10.9.0.1/32", "AL-A"), b = jump("10.9.0.2/32", "AL-B");
        // iptables -D removes the first copy (the kept one): the copy left behind stands for it from then on
        assertThat(jumps(List.of(a, b, foreign("10.0.0.0/8"), a, b), List.of(a, b))).extracting(Change::describe)
                .containsExactly("- ipv4 filter INPUT: -d 10.9.0.1/32 -j AL-A", "- ipv4 filter INPUT: -d 10.9.0.2/32 -j AL-B");
        Rule c = jump("10.9.0.3/32", "AL-C");
        assertThat(jumps(List.of(a, a, b), List.of(a, c, b))).extracting(Change::describe)
                .containsExactly("- ipv4 filter INPUT: -d 10.9.0.1/32 -j AL-A", "+ ipv4 filter INPUT #2: -d 10.9.0.3/32 -j AL-C");
    }

    @Test
    void anUndoPlannedFromTheChainsAStepLeavesInsertsNoJumpThatIsThere() {
        Rule a = jump("10.9.0.1/32", "AL-A"), b = jump("10.9.0.2/32", "AL-B");
        ChainRef input = new ChainRef(Family.V4, "filter", "INPUT");
        List<Rule> live = List.of(a, foreign("10.0.0.0/8"));
        List<Change> step = jumps(live, List.of(a, b));
        Map<ChainRef, List<Rule>> after = Planner.parentsAfter(Map.of(input, live), step);
        assertThat(after.get(input)).containsExactly(a, b, foreign("10.0.0.0/8"));
        // the undo back to [a] deletes b and inserts nothing (planned against an empty chain it would add a again)
        List<Change> undo = new ArrayList<>();
        Planner.jumps(input, after.get(input), List.of(a), undo);
        assertThat(undo).extracting(Change::describe).containsExactly("- ipv4 filter INPUT: -d 10.9.0.2/32 -j AL-B");
        // a built-in chain the host had no rules in starts empty; a delete takes the first copy only
        ChainRef fwd = new ChainRef(Family.V4, "filter", "FORWARD");
        Map<ChainRef, List<Rule>> m = Planner.parentsAfter(Map.of(), List.of(new Change.JumpInsert(fwd, 1, a), new Change.JumpInsert(fwd, 1, a),
                new Change.JumpDelete(fwd, a)));
        assertThat(m.get(fwd)).containsExactly(a);
    }

    @Test
    void longestIncreasingRunIsKept() {
        boolean[] k = Planner.increasing(new int[] {3, -1, 0, 1, 4, 2});
        // 0, 1, 2 and 0, 1, 4 are both longest; the one ending last is kept
        assertThat(k).containsExactly(false, false, true, true, false, true);
        assertThat(Planner.increasing(new int[] {})).isEmpty();
        assertThat(Planner.increasing(new int[] {-1, -1})).containsExactly(false, false);
    }

    @Test
    void routesAreKeyedByTableDestinationAndMetric() {
        Route r1 = Route.via(Prefix.parse("10.53.0.53/32"), dev.anyloop.net.Ip.parse("192.168.1.53"), "eth1", 1, Route.PROTO_ANYLOOP);
        Route r1moved = Route.via(Prefix.parse("10.53.0.53/32"), dev.anyloop.net.Ip.parse("192.168.1.99"), "eth1", 1, Route.PROTO_ANYLOOP);
        Route r2 = Route.via(Prefix.parse("10.53.0.53/32"), dev.anyloop.net.Ip.parse("192.168.1.54"), "eth1", 2, Route.PROTO_ANYLOOP);
        Owned live = new Owned(List.of(), List.of(r1, r2), List.of(), List.of(), Map.of(), Map.of(), Map.of(), Map.of(), Optional.empty());
        Owned want = new Owned(List.of(), List.of(r1moved), List.of(), List.of(), Map.of(), Map.of(), Map.of(), Map.of(), Optional.empty());
        assertThat(Planner.plan(live, want, Planner.NftMemory.NONE).changes()).extracting(Change::describe).containsExactly(
                "~ 10.53.0.53 via 192.168.1.99 dev eth1 proto 77 metric 1 (was 10.53.0.53 via 192.168.1.53 dev eth1 proto 77 metric 1)",
                "- 10.53.0.53 via 192.168.1.54 dev eth1 proto 77 metric 2");
    }

    @Test
    void addressesOutsideTheScopeAreNeverAnyloopsToRemove() {
        DeviceState pi1 = HOME.host("pi1").orElseThrow();
        List<Address> withHand = new ArrayList<>(pi1.addresses());
        withHand.add(Address.global("lo", InterfaceAddress.parse("10.99.0.1/32")));
        DeviceState live = new DeviceState(pi1.host(), pi1.links(), withHand, pi1.routes(), pi1.rules(), pi1.sysctls(), pi1.ipv4(), pi1.ipv6(),
                pi1.listeners());
        Owned want = Ownership.desired(pi1, Backend.IPTABLES);
        Set<Address> scope = new java.util.HashSet<>();
        want.addresses().forEach(a -> scope.add(Ownership.key(a)));
        Owned have = Ownership.live(live, new Ownership.Scope(scope, want.sysctls().keySet(), Set.of()), Optional.empty());
        assertThat(have.addresses()).extracting(a -> a.address().toString()).doesNotContain("10.99.0.1/32");
        assertThat(Planner.plan(have, want, Planner.NftMemory.NONE).changes()).isEmpty();
    }

    @Test
    void nftTableIsReplacedOnDriftOrOnANewIntentAndLeftAloneOtherwise() {
        Owned want = new Owned(List.of(), List.of(), List.of(), List.of(), Map.of(), Map.of(), Map.of(), Map.of(), Optional.of("table inet anyloop {}\n"));
        Owned live = new Owned(List.of(), List.of(), List.of(), List.of(), Map.of(), Map.of(), Map.of(), Map.of(), Optional.of("listing A"));
        Planner.NftMemory same = new Planner.NftMemory(Planner.hash("table inet anyloop {}\n"), "listing A");
        assertThat(Planner.plan(live, want, same).changes()).isEmpty();
        assertThat(Planner.plan(live, want, new Planner.NftMemory(same.loadedHash(), "listing B")).changes()).extracting(Change::kind)
                .containsExactly("nft-table-replace");
        assertThat(Planner.plan(live, want, new Planner.NftMemory("other", "listing A")).changes()).extracting(Change::kind)
                .containsExactly("nft-table-replace");
        assertThat(Planner.plan(Owned.none(), want, same).changes()).extracting(Change::kind).containsExactly("nft-table-add");
        assertThat(Planner.plan(live, Owned.none(), same).changes()).extracting(Change::kind).containsExactly("nft-table-del");
    }
}
