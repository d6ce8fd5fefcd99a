package dev.anyloop.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.compile.Compiler;
import dev.anyloop.lab.LabProbe;
import dev.anyloop.lab.ProbeResult;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Drift between a plan and a live host; probe rows made from typed results equal those read back from lab probe --json. */
class DriftAndProbeRowTest {
    static final Network HOME = Compiler.compile(Pages.example("home"));

    @Test
    void driftNamesWhatIsMissingAndWhatIsExtraOfWhatAnyloopOwns() {
        DeviceState router = HOME.hosts().get("router");
        assertThat(Drift.of(router, Optional.of(router)).none()).isTrue();
        assertThat(Drift.of(router, Optional.empty()).inSnapshot()).isFalse();

        List<Route> routes = router.routes().stream().filter(r -> !(r.dst().toString().equals("10.53.0.53/32") && r.metric() == 1)).toList();
        List<Address> addrs = new ArrayList<>(router.addresses());
        addrs.add(Address.global("lo", InterfaceAddress.parse("10.99.0.1/32")));
        DeviceState live = new DeviceState(router.host(), router.links(), addrs, routes, router.rules(), router.sysctls(), router.ipv4(),
                router.ipv6(), router.listeners());
        Drift d = Drift.of(router, Optional.of(live));
        assertThat(d.missing()).containsExactly("route 10.53.0.53 via 192.168.1.53 dev eth1 proto 77 metric 1");
        assertThat(d.extra()).containsExactly("address 10.99.0.1/32 dev lo");

        // a live host without anyloop's chains: every AL- chain and jump is missing
        DeviceState bare = router.withNetfilter(dev.anyloop.state.Netfilter.empty(dev.anyloop.net.Family.V4), router.ipv6());
        assertThat(Drift.of(router, Optional.of(bare)).missing()).anyMatch(m -> m.startsWith("iptables -t filter :AL-FWD-web"))
                .anyMatch(m -> m.contains("-j AL-FWD-web"));
    }

    @Test
    void probeRowsFromTypedResultsEqualThoseReadBackFromJson() throws Exception {
        Simulator sim = Simulator.of(HOME);
        var flow = dev.anyloop.sim.Flow.of("laptop", dev.anyloop.net.Ip.parse("10.53.0.53"), dev.anyloop.net.Proto.UDP, 53);
        var flow2 = dev.anyloop.sim.Flow.of("cam", dev.anyloop.net.Ip.parse("10.10.10.10"), dev.anyloop.net.Proto.TCP, 80);
        List<LabProbe.Result> results = List.of(
                new LabProbe.Result(new LabProbe.Query("T7", flow, Optional.of(true), Optional.empty(), sim.roundTrip(flow)),
                        ProbeResult.answered("pi1", "TXT pi1")),
                new LabProbe.Result(new LabProbe.Query("T3/T4", flow2, Optional.of(false), Optional.empty(), sim.roundTrip(flow2)),
                        ProbeResult.failed("Connection timed out")));
        String json = new ObjectMapper().writeValueAsString(Map.of("results", results.stream().map(LabProbe.Result::toJson).toList()));
        List<ProbeRow> typed = results.stream().map(ProbeRow::of).toList();
        assertThat(ProbeRow.read("p.json", json)).isEqualTo(typed);
        assertThat(typed.get(0).simText()).isEqualTo("answered by pi1");
        assertThat(typed.get(1).simText()).startsWith("DROPPED at router");
        assertThat(typed.get(1).kernelText()).isEqualTo("Connection timed out");
    }
}
