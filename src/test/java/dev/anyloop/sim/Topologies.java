package dev.anyloop.sim;

/**
 * The seed's home network and variants, as test fixtures.
 *
 * <pre>
 *   lan 192.168.1.0/24, fd00:1::/64          iot 192.168.2.0/24
 *   router eth1 .1 --------------------------- router eth2 .1
 *   desktop eth0 .20 (lo 10.1.1.1)            iot eth0 .10
 *   laptop eth0 .30, pi eth0 .40
 * </pre>
 */
final class Topologies {
    private Topologies() { }

    static NetFixture home() {
        NetFixture n = new NetFixture();
        n.host("router").iface("eth1", "lan", "192.168.1.1/24", "fd00:1::1/64").iface("eth2", "iot", "192.168.2.1/24")
                .forwarding()
                .route("10.1.1.1 via 192.168.1.20 metric 1")
                .route("fd00:10::1/128 via fd00:1::20");
        n.host("desktop").iface("eth0", "lan", "192.168.1.20/24", "fd00:1::20/64").lo("10.1.1.1/32", "fd00:10::1/128")
                .route("default via 192.168.1.1").route("default via fd00:1::1")
                .listen("tcp 10.1.1.1:80").listen("tcp 0.0.0.0:22").listen("tcp [::]:80");
        n.host("laptop").iface("eth0", "lan", "192.168.1.30/24", "fd00:1::30/64")
                .route("default via 192.168.1.1").route("default via fd00:1::1");
        n.host("pi").iface("eth0", "lan", "192.168.1.40/24").route("default via 192.168.1.1").listen("tcp 0.0.0.0:22");
        n.host("iot").iface("eth0", "iot", "192.168.2.10/24").route("default via 192.168.2.1").listen("tcp 0.0.0.0:22");
        return n;
    }

    /** T5: a Docker host publishing 10.2.2.2:80 to a container's 2368, as Docker writes its rules. */
    static NetFixture docker() {
        NetFixture n = home();
        n.host("laptop").route("10.2.2.2 via 192.168.1.50");
        NetFixture.H d = n.host("dock").iface("eth0", "lan", "192.168.1.50/24").iface("docker0", "docker0", "172.17.0.1/16")
                .lo("10.2.2.2/32").forwarding().route("default via 192.168.1.1").listen("tcp 0.0.0.0:22");
        d.chain("nat", "DOCKER")
                .iptables("nat", "PREROUTING", "-m addrtype --dst-type LOCAL -j DOCKER")
                .iptables("nat", "OUTPUT", "! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER")
                .iptables("nat", "POSTROUTING", "-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE")
                .iptables("nat", "DOCKER", "-i docker0 -j RETURN")
                .iptables("nat", "DOCKER", "-d 10.2.2.2/32 ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:2368");
        d.chain("filter", "DOCKER").chain("filter", "DOCKER-USER")
                .chain("filter", "DOCKER-ISOLATION-STAGE-1").chain("filter", "DOCKER-ISOLATION-STAGE-2")
                .policy("filter", "FORWARD", "DROP")
                .iptables("filter", "FORWARD", "-j DOCKER-USER")
                .iptables("filter", "FORWARD", "-j DOCKER-ISOLATION-STAGE-1")
                .iptables("filter", "FORWARD", "-o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT")
                .iptables("filter", "FORWARD", "-o docker0 -j DOCKER")
                .iptables("filter", "FORWARD", "-i docker0 ! -o docker0 -j ACCEPT")
                .iptables("filter", "FORWARD", "-i docker0 -o docker0 -j ACCEPT")
                .iptables("filter", "DOCKER", "-d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 2368 -j ACCEPT")
                .iptables("filter", "DOCKER-ISOLATION-STAGE-1", "-i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2")
                .iptables("filter", "DOCKER-ISOLATION-STAGE-1", "-j RETURN")
                .iptables("filter", "DOCKER-ISOLATION-STAGE-2", "-o docker0 -j DROP")
                .iptables("filter", "DOCKER-ISOLATION-STAGE-2", "-j RETURN")
                .iptables("filter", "DOCKER-USER", "-j RETURN")
                .iptables("filter", "INPUT", "-d 10.2.2.2 -j DROP");
        n.host("dock-ghost").iface("eth0", "docker0", "172.17.0.2/16").route("default via 172.17.0.1").listen("tcp 0.0.0.0:2368");
        return n;
    }

    /**
     * Two routers between a client and a server: requests go through r1, the server answers through r2.
     * <pre>
     *   seg a 10.0.1.0/24: client .10, r1 .1, r2 .2     seg b 10.0.2.0/24: server .10, r1 .1, r2 .2
     * </pre>
     */
    static NetFixture asymmetric() {
        NetFixture n = new NetFixture();
        n.host("client").iface("eth0", "a", "10.0.1.10/24").route("default via 10.0.1.1");
        n.host("r1").iface("eth0", "a", "10.0.1.1/24").iface("eth1", "b", "10.0.2.1/24").forwarding();
        n.host("r2").iface("eth0", "a", "10.0.1.2/24").iface("eth1", "b", "10.0.2.2/24").forwarding();
        n.host("server").iface("eth0", "b", "10.0.2.10/24").route("default via 10.0.2.2")
                .listen("tcp 0.0.0.0:22").listen("udp 0.0.0.0:53");
        return n;
    }

    /** A multi-homed server reachable through a router on one side and directly on the other (rp_filter). */
    static NetFixture multiHomed(String rpFilter) {
        NetFixture n = new NetFixture();
        n.host("client").iface("eth0", "a", "10.0.1.10/24").route("10.0.2.0/24 via 10.0.1.1");
        n.host("r").iface("eth0", "a", "10.0.1.1/24").iface("eth1", "b", "10.0.2.1/24").forwarding();
        n.host("server").iface("eth0", "a", "10.0.1.2/24").iface("eth1", "b", "10.0.2.2/24")
                .sysctl("net.ipv4.conf.all.rp_filter", rpFilter).listen("tcp 0.0.0.0:22");
        return n;
    }
}
