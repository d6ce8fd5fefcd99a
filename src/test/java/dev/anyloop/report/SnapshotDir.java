package dev.anyloop.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a small snapshot folder (DESIGN.md "Snapshot format") for tests: per host the ip-addr.json and
 * ip-route.json that ip -json prints, optionally iptables.rules, listen.txt and sysctl.txt.
 */
public final class SnapshotDir {
    private final Path dir;

    public SnapshotDir(Path dir) { this.dir = dir; }

    public Path path() { return dir; }

    /** One host: its interfaces as "dev address/len" ("lo" gets 127.0.0.1/8 by itself), and its routes as ip -json objects. */
    public SnapshotDir host(String name, List<String> ifaces, List<String> routes) {
        List<String> links = new ArrayList<>();
        links.add("{\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\",\"LOWER_UP\"],\"link_type\":\"loopback\",\"addr_info\":["
                + addr("127.0.0.1", 8, "host") + loAddrs(ifaces) + "]}");
        for (String i : ifaces) {
            String[] p = i.split(" ");
            if (p[0].equals("lo")) continue;
            String[] a = p[1].split("/");
            links.add("{\"ifname\":" + quote(p[0]) + ",\"flags\":[\"BROADCAST\",\"UP\",\"LOWER_UP\"],\"link_type\":\"ether\",\"addr_info\":["
                    + addr(a[0], Integer.parseInt(a[1]), "global") + "]}");
        }
        write(name, "ip-addr.json", "[" + String.join(",", links) + "]");
        write(name, "ip-route.json", "[" + String.join(",", routes) + "]");
        return this;
    }

    public SnapshotDir file(String host, String file, String content) {
        write(host, file, content);
        return this;
    }

    private static String loAddrs(List<String> ifaces) {
        StringBuilder sb = new StringBuilder();
        for (String i : ifaces) {
            String[] p = i.split(" ");
            if (!p[0].equals("lo")) continue;
            String[] a = p[1].split("/");
            sb.append(',').append(addr(a[0], Integer.parseInt(a[1]), "global"));
        }
        return sb.toString();
    }

    private static String addr(String ip, int len, String scope) {
        return "{\"family\":\"" + (ip.contains(":") ? "inet6" : "inet") + "\",\"local\":\"" + ip + "\",\"prefixlen\":" + len
                + ",\"scope\":\"" + scope + "\"}";
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    private void write(String host, String file, String content) {
        try {
            Files.createDirectories(dir.resolve(host));
            Files.writeString(dir.resolve(host).resolve(file), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
