package dev.anyloop.snapshot;

import dev.anyloop.net.Family;
import dev.anyloop.snapshot.IptablesTokenizer.Token;
import dev.anyloop.state.Chain;
import dev.anyloop.state.IptablesTable;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads iptables-save / ip6tables-save output into a {@link Netfilter}: {@code *table}, chain lines
 * {@code :NAME POLICY [packets:bytes]}, {@code -A CHAIN ...} rules and {@code COMMIT}. Counters are ignored.
 * An empty file is a host with no tables at all (what the nf_tables backend prints for a fresh namespace).
 */
public final class IptablesSaveParser {
    private IptablesSaveParser() { }

    public static Netfilter parse(String file, String text, Family family) throws SnapshotException {
        List<Table> tables = new ArrayList<>();
        List<String> seenTables = new ArrayList<>();
        String table = null;
        int tableLine = 0;
        Map<String, Optional<Target>> policies = new LinkedHashMap<>();
        Map<String, List<Rule>> rules = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int n = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("*")) {
                if (table != null) {
                    throw SnapshotException.atLine(file, n, "expected COMMIT to end table '" + table + "' (opened at line "
                            + tableLine + "), found '" + line + "'");
                }
                table = line.substring(1).strip();
                if (table.isEmpty() || !table.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
                    throw SnapshotException.atLine(file, n, "expected a table name after '*', found '" + line + "'");
                }
                if (seenTables.contains(table)) throw SnapshotException.atLine(file, n, "table '" + table + "' appears twice");
                seenTables.add(table);
                tableLine = n;
                policies.clear();
                rules.clear();
            } else if (table == null) {
                throw SnapshotException.atLine(file, n, "expected '*TABLE' before any chain or rule, found '" + line + "'");
            } else if (line.equals("COMMIT")) {
                List<Chain> chains = new ArrayList<>();
                for (Map.Entry<String, Optional<Target>> c : policies.entrySet()) {
                    chains.add(new Chain(c.getKey(), c.getValue(), rules.get(c.getKey())));
                }
                tables.add(new Table(table, chains));
                table = null;
            } else if (line.startsWith(":")) {
                declareChain(file, n, line, table, policies, rules);
            } else {
                List<Token> tokens = IptablesTokenizer.split(file, n, line);
                // iptables-save -c puts the counters first: "[5:300] -A INPUT ..."
                if (!tokens.isEmpty() && tokens.get(0).text().matches("\\[\\d+:\\d+\\]")) tokens = tokens.subList(1, tokens.size());
                if (tokens.size() < 2 || !(tokens.get(0).is("-A") || tokens.get(0).is("--append"))) {
                    throw SnapshotException.atLine(file, n, "expected '*TABLE', ':CHAIN POLICY', '-A CHAIN ...' or COMMIT, found '"
                            + line + "'");
                }
                String chain = tokens.get(1).text();
                if (!policies.containsKey(chain)) {
                    throw SnapshotException.atLine(file, n, "expected a chain declared in table '" + table
                            + "' (':" + chain + " ...'), found '-A " + chain + "' to an undeclared chain");
                }
                IptablesRuleParser rp = new IptablesRuleParser(file, n, family, policies.keySet());
                rules.get(chain).add(rp.parse(tokens.subList(2, tokens.size())));
            }
        }
        if (table != null) {
            throw SnapshotException.atLine(file, lines.length, "expected COMMIT to end table '" + table + "' (opened at line "
                    + tableLine + "), found the end of the file");
        }
        return new Netfilter(family, tables);
    }

    private static void declareChain(String file, int n, String line, String table, Map<String, Optional<Target>> policies,
                                     Map<String, List<Rule>> rules) throws SnapshotException {
        String[] w = line.substring(1).trim().split("\\s+");
        if (w.length < 2 || w[0].isEmpty() || (w.length == 3 && !w[2].matches("\\[\\d+:\\d+\\]")) || w.length > 3) {
            throw SnapshotException.atLine(file, n, "expected ':CHAIN POLICY [packets:bytes]', found '" + line + "'");
        }
        String name = w[0];
        if (policies.containsKey(name)) throw SnapshotException.atLine(file, n, "chain '" + name + "' is declared twice");
        Optional<Target> policy;
        if (w[1].equals("-")) {
            policy = Optional.empty();
            if (IptablesTable.builtinsOf(table).contains(name)) {
                throw SnapshotException.atLine(file, n, "expected a policy ACCEPT or DROP for built-in chain " + name + ", found '-'");
            }
        } else if (w[1].equals("ACCEPT")) {
            policy = Optional.of(new Target.Accept());
        } else if (w[1].equals("DROP")) {
            policy = Optional.of(new Target.Drop());
        } else {
            throw SnapshotException.atLine(file, n, "expected policy ACCEPT, DROP or '-' for chain " + name + ", found '" + w[1] + "'");
        }
        policies.put(name, policy);
        rules.put(name, new ArrayList<>());
    }
}
