package dev.anyloop.lab;

import dev.anyloop.net.Proto;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Segment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Generated networks: random ones for plan properties, and a routed one of any size for the lab benchmark. */
public final class Generated {
    private Generated() { }

    /** {@code hosts} hosts with random interfaces (some bridges) on {@code segments} segments. */
    static Network network(int hosts, int segments, long seed) {
        Random r = new Random(seed);
        List<Hosts> hs = new ArrayList<>();
        Map<String, List<String>> ports = new LinkedHashMap<>();
        for (int s = 0; s < segments; s++) ports.put("s" + s, new ArrayList<>());
        for (int h = 0; h < hosts; h++) {
            Hosts b = Hosts.host("host" + h);
            int ifaces = r.nextInt(4);
            for (int i = 0; i < ifaces; i++) {
                String dev = r.nextInt(5) == 0 ? "br" + i : "eth" + i;
                String cidr = "10." + h + "." + i + ".1/24";
                if (dev.startsWith("br")) b.bridge(dev, cidr);
                else b.iface(dev, cidr);
                if (segments > 0 && r.nextInt(4) != 0) ports.get("s" + r.nextInt(segments)).add("host" + h + ":" + dev);
            }
            hs.add(b);
        }
        List<Segment> segs = new ArrayList<>();
        ports.forEach((name, p) -> segs.add(Hosts.segment(name, p.toArray(String[]::new))));
        return Hosts.network(hs.stream().map(Hosts::build).toList(), segs.toArray(Segment[]::new));
    }

    /**
     * A routed network of {@code total} hosts: routers r0.. on a shared core segment, each with its own
     * LAN of hosts (a direct pair when it has one host, a switch otherwise); every fifth host runs
     * Docker with one container behind docker0 and a web listener; routers serve DNS on a loopback.
     */
    public static Network routed(int total) {
        int routers = Math.max(2, total / 10);
        List<DeviceState> out = new ArrayList<>();
        List<Segment> segs = new ArrayList<>();
        List<String> core = new ArrayList<>();
        List<List<String>> lans = new ArrayList<>();
        for (int i = 0; i < routers; i++) lans.add(new ArrayList<>(List.of("r" + i + ":eth1")));
        int left = total - routers;
        int h = 0;
        List<Hosts> hostB = new ArrayList<>();
        List<String[]> loopbacks = new ArrayList<>(); // {address, lan index, LAN address of its host}
        while (left > 0) {
            int lan = h % routers;
            int idx = lans.get(lan).size() + 1;
            Hosts b = Hosts.host("h" + h).iface("eth0", "10." + lan + ".0." + idx + "/24")
                    .via("0.0.0.0/0", "10." + lan + ".0.1", "eth0", 0)
                    .lo("10.200." + h / 250 + "." + (h % 250 + 1) + "/32")
                    .listen(Proto.TCP, "10.200." + h / 250 + "." + (h % 250 + 1), 80);
            lans.get(lan).add("h" + h + ":eth0");
            loopbacks.add(new String[] {"10.200." + h / 250 + "." + (h % 250 + 1), Integer.toString(lan), "10." + lan + ".0." + idx});
            left--;
            if (h % 5 == 0 && left > 0) {
                String c = "h" + h + "-c";
                b.bridge("docker0", "172.17.0.1/16");
                out.add(Hosts.host(c).iface("eth0", "172.17.0.2/16").via("0.0.0.0/0", "172.17.0.1", "eth0", 0)
                        .listen(Proto.TCP, "0.0.0.0", 2368).build());
                segs.add(Hosts.segment("dk" + h, "h" + h + ":docker0", c + ":eth0"));
                left--;
            }
            hostB.add(b);
            h++;
        }
        for (int i = 0; i < routers; i++) {
            Hosts r = Hosts.host("r" + i).forwarding().iface("eth0", "10.255.0." + (i + 1) + "/24")
                    .iface("eth1", "10." + i + ".0.1/24").lo("10.53.0." + (i + 1) + "/32")
                    .listen(Proto.UDP, "10.53.0." + (i + 1), 53).listen(Proto.TCP, "10.53.0." + (i + 1), 53);
            for (int j = 0; j < routers; j++) {
                if (j == i) continue;
                r.via("10." + j + ".0.0/24", "10.255.0." + (j + 1), "eth0", 0);
                r.via("10.53.0." + (j + 1) + "/32", "10.255.0." + (j + 1), "eth0", 0);
            }
            // T2: each host's loopback service address, via the host on the owning router, via that router elsewhere
            for (String[] lb : loopbacks) {
                int owner = Integer.parseInt(lb[1]);
                if (owner == i) r.via(lb[0] + "/32", lb[2], "eth1", 1);
                else r.via(lb[0] + "/32", "10.255.0." + (owner + 1), "eth0", 1);
            }
            core.add("r" + i + ":eth0");
            out.add(0, r.build());
        }
        for (Hosts b : hostB) out.add(b.build());
        segs.add(0, Hosts.segment("core", core.toArray(String[]::new)));
        for (int i = 0; i < routers; i++) segs.add(Hosts.segment("lan" + i, lans.get(i).toArray(String[]::new)));
        return Hosts.network(out, segs.toArray(Segment[]::new));
    }
}
