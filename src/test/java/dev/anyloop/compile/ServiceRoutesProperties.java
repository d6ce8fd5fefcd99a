package dev.anyloop.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;

class ServiceRoutesProperties {
    /** T7 for any preference order: the router's metric i+1 route goes via the i-th host, and compiling twice agrees. */
    @Property(tries = 50)
    void metricsFollowThePreferenceOrder(@ForAll @Size(min = 1, max = 6) @UniqueElements List<@IntRange(min = 2, max = 250) Integer> hostOctets) {
        Fixture f = new Fixture().segment("lan", "192.168.1.0/24")
                .host("r").forwarding().iface("eth1", "lan", "192.168.1.1/24").done();
        List<String> names = new ArrayList<>();
        for (int o : hostOctets) {
            String n = "h" + o;
            names.add(n);
            f.host(n).iface("eth0", "lan", "192.168.1." + o + "/24").done();
        }
        f.service("dns").addresses("10.53.0.53").ports("udp/53").hosts(names.toArray(String[]::new)).done();
        Network n = Compiler.compile(f.build());
        List<Route> routes = n.host("r").orElseThrow().routes().stream().filter(Route::ownedByAnyloop).toList();
        assertThat(routes).hasSize(hostOctets.size());
        for (int i = 0; i < routes.size(); i++) {
            assertThat(routes.get(i).metric()).isEqualTo(i + 1);
            assertThat(routes.get(i).nexthops().get(0).via().orElseThrow().toString()).isEqualTo("192.168.1." + hostOctets.get(i));
        }
        assertThat(Compiler.compile(f.build())).isEqualTo(n);
    }
}
