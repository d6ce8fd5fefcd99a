package dev.anyloop.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.os.Netns;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** examples/home.yaml built for real: the how-to's techniques T1-T8, proven with real packets. */
@Tag("root")
class LabHomeTest {
    private static final Ip WEB = Ip.parse("10.10.10.10");
    private static final Ip GHOST = Ip.parse("10.10.10.20");

    @ParameterizedTest
    @EnumSource(dev.anyloop.apply.Backend.class)
    void homeNetworkDoesWhatTheHowToSays(dev.anyloop.apply.Backend backend) throws Exception {
        Network n = Compiler.compile(IntentLoader.load(Path.of("examples/home.yaml")));
        String name = "rthome" + backend.name().substring(0, 1).toLowerCase();
        Lab lab = Lab.up(LabPlan.of(name, n), n, backend);
        try {
            // a stand-in for sshd on every address of the desktop (T4, T5: the firewall must hide it on the service addresses)
            lab.listen("desktop", Listener.of(Proto.TCP, Ip.parse("0.0.0.0"), 22, "sshd"));

            // T1/T2: the laptop reaches the web service on the desktop's loopback address through the router
            assertThat(lab.probe("laptop", new Probe.Tcp(WEB, 80)).answeredBy()).isEqualTo("desktop");
            // T3: the router drops what does not come from the lan
            assertThat(lab.probe("cam", new Probe.Tcp(WEB, 80)).reachable()).isFalse();
            // T4: on the loopback address only tcp/80 and ping; ssh is there (on the LAN address) but hidden on X
            assertThat(lab.probe("laptop", new Probe.Icmp(WEB)).reachable()).isTrue();
            assertThat(lab.probe("laptop", new Probe.Tcp(WEB, 22)).reachable()).isFalse();
            assertThat(lab.probe("laptop", new Probe.Tcp(Ip.parse("192.168.1.20"), 22)).answeredBy()).isEqualTo("desktop");
            // T5: the container answers on X:80 through Docker's DNAT, the host's own ssh on X:22 does not
            assertThat(lab.probe("laptop", new Probe.Tcp(GHOST, 80)).answeredBy()).isEqualTo("desktop-ghost");
            assertThat(lab.probe("laptop", new Probe.Tcp(GHOST, 22)).reachable()).isFalse();
            // T6: DNS at the router's loopback address answers; nothing answers DNS at the router's interface addresses
            assertThat(lab.probe("laptop", new Probe.Dns(Ip.parse("10.53.0.1"), 53)).answeredBy()).isEqualTo("router");
            assertThat(lab.probe("cam", new Probe.Dns(Ip.parse("10.53.0.1"), 53)).answeredBy()).isEqualTo("router");
            assertThat(lab.probe("laptop", new Probe.Dns(Ip.parse("192.168.1.1"), 53)).reachable()).isFalse();
            assertThat(lab.probe("cam", new Probe.Dns(Ip.parse("192.168.20.1"), 53)).reachable()).isFalse();
            assertThat(lab.exec("router", List.of("ss", "-Hlnu")).out()).doesNotContain("127.0.0.1:53").doesNotContain("0.0.0.0:53");
            // T7: pi1 answers the shared address; delete the metric-1 route on the router and pi2 does
            Probe dns = new Probe.Dns(Ip.parse("10.53.0.53"), 53);
            assertThat(lab.probe("laptop", dns).answeredBy()).isEqualTo("pi1");
            String routes = lab.exec("router", List.of("ip", "route", "show", "10.53.0.53/32")).out();
            assertThat(routes).contains("via 192.168.1.53").contains("metric 1").contains("via 192.168.1.54").contains("metric 2");
            lab.exec("router", List.of("ip", "route", "del", "10.53.0.53/32", "via", "192.168.1.53", "metric", "1")).orThrow();
            assertThat(lab.probe("laptop", dns).answeredBy()).isEqualTo("pi2");
            // T8: the router's own connection to pi1 leaves from its loopback address: pi1's ss shows it as the peer
            assertThat(lab.probe("router", new Probe.Tcp(Ip.parse("192.168.1.53"), 443)).answeredBy()).isEqualTo("pi1");
            assertThat(lab.exec("pi1", List.of("ss", "-Htan")).out().lines()
                    .filter(l -> l.contains("192.168.1.53:443") && l.contains("10.255.0.1:"))).isNotEmpty();
        } finally {
            lab.close();
        }
        assertThat(new Netns().list()).noneMatch(x -> x.startsWith("al-" + name + "-"));
    }
}
