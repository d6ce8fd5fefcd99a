package dev.anyloop.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.state.DeviceState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which routes a drain withdraws, and the simulation that says who would lose the service. */
class DrainsTest {
    private static final Intent INTENT = intent();

    private static Intent intent() {
        try {
            return IntentLoader.load(Path.of("examples/home.yaml"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Drain drain(String service, String host) { return Drains.of(INTENT, PlannerTest.HOME, service, host, 0); }

    @Test
    void aDrainWithdrawsTheServicesRoutesThroughThatHostOnly() {
        DeviceState router = PlannerTest.HOME.host("router").orElseThrow();
        Drain d = drain("dns", "pi1");
        // the service route, and watch's probe route to that instance (table 7702; watch expects it gone while drained)
        assertThat(Drains.routes(router, d)).extracting(Object::toString).containsExactly("10.53.0.53 via 192.168.1.53 dev eth1 proto 77 metric 1",
                "10.53.0.53 table 7702 via 192.168.1.53 dev eth1 proto 77");
        DeviceState drained = Drains.apply(router, List.of(d));
        assertThat(drained.routes()).hasSize(router.routes().size() - 2);
        assertThat(drained.routes()).extracting(Object::toString).contains("10.53.0.53 via 192.168.1.54 dev eth1 proto 77 metric 2",
                "10.10.10.43 via 192.168.1.53 dev eth1 proto 77 metric 1");
        assertThat(Drains.withdraw(router, INTENT, PlannerTest.HOME, "dns", "pi1")).isEqualTo(drained);
    }

    @Test
    void theBackupServesEveryClientSoTheFirstDrainIsSafe() {
        assertThat(Drains.wouldLose(INTENT, PlannerTest.HOME, "router", List.of(), drain("dns", "pi1"))).isEmpty();
        assertThat(Drains.wouldLose(INTENT, PlannerTest.HOME, "router", List.of(), drain("dns", "pi2"))).isEmpty();
    }

    @Test
    void drainingTheLastHostNamesEveryClientThatWouldLoseIt() {
        List<String> lost = Drains.wouldLose(INTENT, PlannerTest.HOME, "router", List.of(drain("dns", "pi1")), drain("dns", "pi2"));
        assertThat(lost).contains("laptop -> udp 10.53.0.53:53", "desktop -> tcp 10.53.0.53:53");
        assertThat(lost).noneMatch(l -> l.startsWith("cam ")); // cam was never allowed: it loses nothing
    }

    @Test
    void aSingleHostServiceCannotBeDrainedWithoutLosingClients() {
        assertThat(Drains.wouldLose(INTENT, PlannerTest.HOME, "router", List.of(), drain("web", "desktop"))).contains("laptop -> tcp 10.10.10.10:80");
    }

    @Test
    void unknownServicesAndHostsAreNamedWithWhatThereIs() {
        assertThatThrownBy(() -> drain("dnss", "pi1")).hasMessageContaining("no service 'dnss'").hasMessageContaining("did you mean 'dns'");
        assertThatThrownBy(() -> drain("dns", "desktop")).hasMessage("service dns does not run on 'desktop' (its hosts: pi1, pi2)");
    }
}
