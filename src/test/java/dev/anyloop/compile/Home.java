package dev.anyloop.compile;

/** The how-to's network as a fixture: router (wan, lan, iot), desktop and laptop on lan, pi1/pi2, an iot host. */
final class Home {
    private Home() { }

    /** Hosts and segments only; tests add the services they are about. */
    static Fixture base() {
        return new Fixture()
                .segment("wan", "198.51.100.0/24")
                .segment("lan", "192.168.1.0/24")
                .segment("iot", "192.168.20.0/24")
                .host("router").forwarding()
                    .iface("eth0", "wan", "198.51.100.2/24").gateway("eth0", "198.51.100.1")
                    .iface("eth1", "lan", "192.168.1.1/24")
                    .iface("eth2", "iot", "192.168.20.1/24").done()
                .host("desktop").iface("eth0", "lan", "192.168.1.20/24").gateway("eth0", "192.168.1.1").done()
                .host("laptop").iface("wlan0", "lan", "192.168.1.30/24").gateway("wlan0", "192.168.1.1").done()
                .host("pi1").iface("eth0", "lan", "192.168.1.53/24").gateway("eth0", "192.168.1.1").done()
                .host("pi2").iface("eth0", "lan", "192.168.1.54/24").gateway("eth0", "192.168.1.1").done()
                .host("cam").iface("eth0", "iot", "192.168.20.10/24").gateway("eth0", "192.168.20.1").done();
    }

    /** T1-T4: web on desktop's lo, tcp/80 and ping, allowed only from lan. */
    static Fixture withWeb() {
        return base().service("web").addresses("10.10.10.10").ports("tcp/80").hosts("desktop").allowSegments("lan").done();
    }
}
