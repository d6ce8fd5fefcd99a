package dev.anyloop.snapshot;

import dev.anyloop.net.Family;
import dev.anyloop.snapshot.IptablesTokenizer.Token;
import dev.anyloop.state.IpSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code ipset save}: {@code create NAME TYPE [family inet|inet6] [options]} and {@code add NAME MEMBER
 * [nomatch] [options]} lines. Options such as timeout, counters and comment change no verdict and are skipped;
 * a member's parts are kept as written (the simulator decides which set types it models).
 */
public final class IpsetSaveParser {
    private IpsetSaveParser() { }

    public static IpSet.Sets parse(String file, String text) throws SnapshotException {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, List<IpSet.Member>> members = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<Token> t = IptablesTokenizer.split(file, i + 1, line);
            String verb = t.get(0).text();
            if (t.size() < 3 || !(verb.equals("create") || verb.equals("add") || verb.equals("-N") || verb.equals("-A"))) {
                throw SnapshotException.atLine(file, i + 1, "expected 'create NAME TYPE ...' or 'add NAME MEMBER ...', found '" + line + "'");
            }
            String name = t.get(1).text();
            if (verb.equals("create") || verb.equals("-N")) {
                String type = t.get(2).text();
                if (!type.matches("(hash|bitmap|list):[a-z,]+")) {
                    throw SnapshotException.atLine(file, i + 1, "expected a set type such as hash:ip, found '" + type + "'");
                }
                if (types.put(name, type) != null) throw SnapshotException.atLine(file, i + 1, "set '" + name + "' is created twice");
                Family f = Family.V4;
                for (int j = 3; j + 1 < t.size(); j++) {
                    if (t.get(j).text().equals("family")) f = t.get(j + 1).text().equals("inet6") ? Family.V6 : Family.V4;
                }
                families.put(name, f);
                members.put(name, new ArrayList<>());
            } else {
                List<IpSet.Member> ms = members.get(name);
                if (ms == null) throw SnapshotException.atLine(file, i + 1, "expected 'create " + name + "' before its members");
                boolean nomatch = t.subList(3, t.size()).stream().anyMatch(x -> x.text().equals("nomatch") && !x.quoted());
                ms.add(new IpSet.Member(List.of(t.get(2).text().split(",")), nomatch));
            }
        }
        List<IpSet> out = new ArrayList<>();
        for (Map.Entry<String, String> e : types.entrySet()) {
            out.add(new IpSet(e.getKey(), e.getValue(), families.get(e.getKey()), members.get(e.getKey())));
        }
        return new IpSet.Sets(out);
    }
}
