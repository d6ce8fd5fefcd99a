package dev.anyloop.sim;

import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.IcmpTypes;
import dev.anyloop.net.Family;
import dev.anyloop.state.Match;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Test helper: reads the rule part of an iptables command line ("-d 10.1.1.1 -p tcp --dport 80 -j ACCEPT"). */
final class RuleSpec {
    private RuleSpec() { }

    static Rule parse(Family f, String spec, Set<String> chains) {
        List<String> t = new ArrayList<>(Arrays.asList(spec.trim().split("\\s+")));
        List<Match> ms = new ArrayList<>();
        Target target = new Target.None();
        boolean not = false;
        for (int i = 0; i < t.size(); i++) {
            String w = t.get(i);
            switch (w) {
                case "!": not = true; continue;
                case "-s": ms.add(new Match.Source(prefix(t.get(++i)), not)); break;
                case "-d": ms.add(new Match.Destination(prefix(t.get(++i)), not)); break;
                case "-i": ms.add(new Match.InInterface(t.get(++i), not)); break;
                case "-o": ms.add(new Match.OutInterface(t.get(++i), not)); break;
                case "-p": ms.add(new Match.Protocol(t.get(++i), not)); break;
                case "--dport": case "--dports": ms.add(new Match.DstPorts(ports(t.get(++i)), not)); break;
                case "--sport": case "--sports": ms.add(new Match.SrcPorts(ports(t.get(++i)), not)); break;
                case "--icmp-type": case "--icmpv6-type": {
                    int[] tc = IcmpTypes.parse(f, t.get(++i)).orElseThrow();
                    ms.add(new Match.IcmpType(tc[0], tc[1], not));
                    break;
                }
                case "--state": case "--ctstate": ms.add(new Match.ConnState(Set.of(t.get(++i).split(",")), not)); break;
                case "--dst-type": ms.add(new Match.AddrType(false, t.get(++i), not)); break;
                case "--src-type": ms.add(new Match.AddrType(true, t.get(++i), not)); break;
                case "-m": {
                    String mod = t.get(++i);
                    if (List.of("tcp", "udp", "icmp", "icmp6", "state", "conntrack", "addrtype", "multiport").contains(mod)) break;
                    StringBuilder sb = new StringBuilder("-m " + mod);
                    while (i + 1 < t.size() && !t.get(i + 1).equals("-j") && !t.get(i + 1).equals("-m")) sb.append(' ').append(t.get(++i));
                    ms.add(new Match.Unsupported(sb.toString()));
                    break;
                }
                case "-g": target = new Target.Goto(t.get(++i)); break;
                case "-j": {
                    String name = t.get(++i);
                    List<String> rest = t.subList(i + 1, t.size());
                    target = target(name, rest, chains);
                    i = t.size();
                    break;
                }
                default: throw new IllegalArgumentException("test rule spec: unknown word '" + w + "' in " + spec);
            }
            not = false;
        }
        return new Rule(ms, target, Optional.empty());
    }

    private static Target target(String name, List<String> rest, Set<String> chains) {
        String arg = rest.size() >= 2 ? rest.get(1) : "";
        switch (name) {
            case "ACCEPT": return new Target.Accept();
            case "DROP": return new Target.Drop();
            case "RETURN": return new Target.Return();
            case "REJECT": return new Target.Reject(arg);
            case "LOG": return new Target.Log(arg);
            case "MASQUERADE": return new Target.Masquerade();
            case "DNAT": return new Target.Dnat(addr(arg), port(arg));
            case "SNAT": return new Target.Snat(addr(arg), port(arg));
            case "REDIRECT": return new Target.Redirect(arg.isEmpty() ? Optional.empty() : Optional.of(PortRange.parse(arg)));
            default:
                if (chains.contains(name)) return new Target.Jump(name);
                return new Target.Unsupported("-j " + name + (rest.isEmpty() ? "" : " " + String.join(" ", rest)));
        }
    }

    private static Ip addr(String s) {
        if (s.startsWith("[")) return Ip.parse(s.substring(1, s.indexOf(']')));
        int c = s.indexOf(':');
        return Ip.parse(c < 0 || s.indexOf(':', c + 1) >= 0 ? s : s.substring(0, c));
    }

    private static Optional<PortRange> port(String s) {
        if (s.startsWith("[")) {
            int e = s.indexOf("]:");
            return e < 0 ? Optional.empty() : Optional.of(PortRange.parse(s.substring(e + 2)));
        }
        int c = s.indexOf(':');
        if (c < 0 || s.indexOf(':', c + 1) >= 0) return Optional.empty();
        return Optional.of(PortRange.parse(s.substring(c + 1)));
    }

    private static Prefix prefix(String s) {
        return s.contains("/") ? Prefix.parse(s) : Prefix.host(Ip.parse(s));
    }

    private static List<PortRange> ports(String s) {
        return Arrays.stream(s.split(",")).map(PortRange::parse).toList();
    }
}
