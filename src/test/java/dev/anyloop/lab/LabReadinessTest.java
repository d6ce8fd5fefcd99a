package dev.anyloop.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabReadinessTest {
    /** What a switch namespace showed right after lab up (kernel 6.18, seed 12 of the kernel suite): carrier, but linkwatch not run. */
    static final String LINKS_PENDING = "[{\"ifindex\":2,\"ifname\":\"br0\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"UP\",\"LOWER_UP\"],"
            + "\"operstate\":\"UNKNOWN\"},{\"ifindex\":3,\"ifname\":\"v0-r0\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"UP\","
            + "\"LOWER_UP\"],\"master\":\"br0\",\"operstate\":\"DOWN\"},{\"ifindex\":4,\"ifname\":\"v1-h2\",\"flags\":[\"BROADCAST\","
            + "\"MULTICAST\",\"UP\",\"LOWER_UP\"],\"master\":\"br0\",\"operstate\":\"UP\"}]";
    static final String PORTS_PENDING = "[{\"ifindex\":3,\"ifname\":\"v0-r0\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"UP\","
            + "\"LOWER_UP\"],\"master\":\"br0\",\"state\":\"disabled\"},{\"ifindex\":4,\"ifname\":\"v1-h2\",\"flags\":[\"BROADCAST\","
            + "\"MULTICAST\",\"UP\",\"LOWER_UP\"],\"master\":\"br0\",\"state\":\"forwarding\"}]";

    @Test
    void aPortWithCarrierThatLinkwatchHasNotSeenIsNotReady() {
        assertThat(LabReadiness.unsettled(LINKS_PENDING, PORTS_PENDING))
                .containsExactly("v0-r0 (carrier, operstate DOWN)", "v0-r0 (bridge port disabled)");
    }

    @Test
    void aLinkWithoutCarrierIsNotWaitedFor() {
        // a host interface the network declares down leaves its peer without carrier for good
        String links = "[{\"ifname\":\"v2-h3\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"UP\"],\"operstate\":\"DOWN\"}]";
        String ports = "[{\"ifname\":\"v2-h3\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"UP\"],\"state\":\"disabled\"}]";
        assertThat(LabReadiness.unsettled(links, ports)).isEmpty();
    }

    @Test
    void nothingToShowIsSettled() {
        assertThat(LabReadiness.unsettled("[]", "")).isEmpty();
    }
}
