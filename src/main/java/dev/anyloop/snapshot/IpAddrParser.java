package dev.anyloop.snapshot;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.state.Address;
import dev.anyloop.state.Link;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code ip -json addr show} (with or without {@code -d}) into links and their addresses. */
public final class IpAddrParser {
    private IpAddrParser() { }

    /** The interfaces of one host and the addresses configured on them, in the order ip printed them. */
    public record Parsed(List<Link> links, List<Address> addresses) {
        public Parsed {
            links = List.copyOf(links);
            addresses = List.copyOf(addresses);
        }
    }

    public static Parsed parse(String file, String json) throws SnapshotException {
        List<Link> links = new ArrayList<>();
        List<Address> addresses = new ArrayList<>();
        for (Json l : Json.parseArray(file, json)) {
            String name = l.string("ifname");
            List<String> flags = l.strings("flags");
            // UP is the administrative flag, LOWER_UP the carrier (IFF_LOWER_UP); lo and a bridge without
            // ports report operstate UNKNOWN yet carry traffic, so operstate alone would mislead.
            boolean up = flags.contains("UP") && flags.contains("LOWER_UP");
            links.add(new Link(name, kind(l), up));
            Optional<Json> infos = l.field("addr_info");
            if (infos.isEmpty()) continue;
            for (Json a : infos.get().elements()) addresses.add(address(name, a));
        }
        return new Parsed(links, addresses);
    }

    private static Link.Kind kind(Json l) throws SnapshotException {
        // linkinfo only appears with ip -d; without it a bridge or dummy shows link_type "ether"
        Optional<Json> info = l.field("linkinfo");
        if (info.isPresent()) {
            Optional<String> k = info.get().optString("info_kind");
            if (k.isPresent()) {
                if (k.get().equals("bridge")) return Link.Kind.BRIDGE;
                if (k.get().equals("dummy")) return Link.Kind.DUMMY;
            }
        }
        String type = l.optString("link_type").orElse("");
        if (type.equals("loopback")) return Link.Kind.LOOPBACK;
        if (type.equals("ether")) return Link.Kind.ETHER;
        return Link.Kind.OTHER;
    }

    private static Address address(String dev, Json a) throws SnapshotException {
        String fam = a.string("family");
        Family family;
        if (fam.equals("inet")) family = Family.V4;
        else if (fam.equals("inet6")) family = Family.V6;
        else throw a.require("family").error("expected inet or inet6, found '" + fam + "'");
        Ip ip = a.require("local").asIp();
        if (ip.family() != family) {
            throw a.require("local").error("expected an " + family.word() + " address (family " + fam + "), found '" + ip + "'");
        }
        long len = a.require("prefixlen").asLong();
        if (len < 0 || len > family.bits()) {
            throw a.require("prefixlen").error("expected a length 0-" + family.bits() + ", found " + len);
        }
        String scope = a.string("scope");
        Address.Scope s;
        switch (scope) {
            case "global": s = Address.Scope.GLOBAL; break;
            case "link": s = Address.Scope.LINK; break;
            case "host": s = Address.Scope.HOST; break;
            default: throw a.require("scope").error("expected global, link or host, found '" + scope + "'");
        }
        return new Address(dev, InterfaceAddress.of(ip, (int) len), s);
    }
}
