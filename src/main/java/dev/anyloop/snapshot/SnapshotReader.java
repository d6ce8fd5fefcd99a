package dev.anyloop.snapshot;

import dev.anyloop.net.Family;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.IpSet;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Network;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Sysctls;
import dev.anyloop.state.nft.NftRuleset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a snapshot folder (DESIGN.md "Snapshot format"): one sub-folder per host, named after it, holding
 * the plain outputs of ip, iptables-save, sysctl and ss, and an optional links.txt beside them.
 */
public final class SnapshotReader {
    public static final String IP_ADDR = "ip-addr.json";
    public static final String IP_ROUTE = "ip-route.json";
    public static final String IP6_ROUTE = "ip6-route.json";
    public static final String IP_RULE = "ip-rule.json";
    public static final String IP6_RULE = "ip6-rule.json";
    public static final String IPTABLES = "iptables.rules";
    public static final String IP6TABLES = "ip6tables.rules";
    public static final String SYSCTL = "sysctl.txt";
    public static final String LISTEN = "listen.txt";
    public static final String NFT = "nft.json";
    public static final String IPSET = "ipset.txt";
    public static final String LINKS = "links.txt";

    private SnapshotReader() { }

    /** Every host folder of {@code dir} (sorted by name) and the segments joining them. */
    public static Network read(Path dir) throws SnapshotException {
        if (!Files.isDirectory(dir)) throw SnapshotException.inFile(dir.toString(), "expected a snapshot folder, found none");
        List<Path> folders;
        try (Stream<Path> s = Files.list(dir)) {
            folders = s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw SnapshotException.inFile(dir.toString(), "cannot list the folder: " + e.getMessage());
        }
        if (folders.isEmpty()) {
            throw SnapshotException.inFile(dir.toString(), "expected one folder per host (holding " + IP_ADDR + " and "
                    + IP_ROUTE + "), found none");
        }
        Map<String, DeviceState> hosts = new LinkedHashMap<>();
        for (Path f : folders) {
            String host = f.getFileName().toString();
            try {
                hosts.put(host, readHost(host, f));
            } catch (SnapshotException e) {
                throw e.under(host);
            }
        }
        Optional<String> links = optional(dir, LINKS);
        List<LinksParser.Cable> cables = links.isPresent() ? LinksParser.parse(LINKS, links.get(), hosts) : List.of();
        return new Network(hosts, Segments.build(hosts, cables));
    }

    /** One host folder; file names in errors are relative to it. */
    public static DeviceState readHost(String host, Path dir) throws SnapshotException {
        return readHost(host, file -> optional(dir, file));
    }

    /** The files of one host, by name (what a live read returns without a folder in between). */
    public static DeviceState readHost(String host, Map<String, String> files) throws SnapshotException {
        return readHost(host, file -> Optional.ofNullable(files.get(file)));
    }

    /** Where a host's files come from: a folder, or text already read. */
    private interface HostFiles {
        Optional<String> get(String file) throws SnapshotException;
    }

    private static DeviceState readHost(String host, HostFiles dir) throws SnapshotException {
        IpAddrParser.Parsed addr = IpAddrParser.parse(IP_ADDR, required(dir, IP_ADDR));
        List<Route> routes = new ArrayList<>();
        List<Route> mixed = IpRouteParser.parse(IP_ROUTE, required(dir, IP_ROUTE), Optional.empty());
        Optional<String> v6 = dir.get(IP6_ROUTE);
        // "ip route show table all" already lists IPv6 routes too; when ip6-route.json is there it is the one
        // source of IPv6 routes, so each route is read once
        if (v6.isPresent()) {
            mixed.stream().filter(r -> r.family() == Family.V4).forEach(routes::add);
            routes.addAll(IpRouteParser.parse(IP6_ROUTE, v6.get(), Optional.of(Family.V6)));
        } else {
            routes.addAll(mixed);
        }
        List<PolicyRule> rules = new ArrayList<>();
        rules.addAll(rules(dir, IP_RULE, Family.V4));
        rules.addAll(rules(dir, IP6_RULE, Family.V6));
        Optional<String> sys = dir.get(SYSCTL);
        Sysctls sysctls = sys.isPresent() ? SysctlParser.parse(SYSCTL, sys.get()) : Sysctls.of(Map.of());
        Optional<String> ipt4 = dir.get(IPTABLES);
        Optional<String> ipt6 = dir.get(IP6TABLES);
        Netfilter v4 = netfilter(dir, IPTABLES, Family.V4);
        Netfilter v6nf = netfilter(dir, IP6TABLES, Family.V6);
        Optional<String> nftText = dir.get(NFT);
        NftRuleset nft = nftText.isPresent() ? NftJsonParser.parse(NFT, nftText.get()) : NftRuleset.empty();
        IptablesNft.Read fw = IptablesNft.reconcile(ipt4, v4, ipt6, v6nf, nft);
        Optional<String> ipsetText = dir.get(IPSET);
        IpSet.Sets ipsets = ipsetText.isPresent() ? IpsetSaveParser.parse(IPSET, ipsetText.get()) : IpSet.Sets.none();
        Optional<String> ss = dir.get(LISTEN);
        List<Listener> listeners = ss.isPresent() ? SsParser.parse(LISTEN, ss.get()) : List.of();
        return new DeviceState(host, addr.links(), addr.addresses(), routes, rules, sysctls, fw.ipv4(), fw.ipv6(), listeners,
                fw.nft(), ipsets);
    }

    private static List<PolicyRule> rules(HostFiles dir, String file, Family f) throws SnapshotException {
        Optional<String> text = dir.get(file);
        return text.isPresent() ? IpRuleParser.parse(file, text.get(), f) : PolicyRule.defaults(f);
    }

    private static Netfilter netfilter(HostFiles dir, String file, Family f) throws SnapshotException {
        Optional<String> text = dir.get(file);
        return text.isPresent() ? IptablesSaveParser.parse(file, text.get(), f) : Netfilter.empty(f);
    }

    private static String required(HostFiles dir, String file) throws SnapshotException {
        Optional<String> text = dir.get(file);
        if (text.isEmpty()) throw SnapshotException.inFile(file, "this file is required and is missing");
        return text.get();
    }

    private static Optional<String> optional(Path dir, String file) throws SnapshotException {
        Path p = dir.resolve(file);
        if (!Files.exists(p)) return Optional.empty();
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw SnapshotException.inFile(file, "cannot read it: " + e);
        }
    }
}
