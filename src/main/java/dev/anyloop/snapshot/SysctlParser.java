package dev.anyloop.snapshot;

import dev.anyloop.state.Sysctls;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads sysctl output or a sysctl.conf: "key = value" or "key=value" lines; '#' and ';' start comments.
 * A key written with '/' separators ("net/ipv4/ip_forward") is turned into the dotted form, in which a dot
 * inside an interface name shows as '/' ("net.ipv4.conf.eth0/100.rp_filter"), as sysctl(8) does.
 */
public final class SysctlParser {
    private SysctlParser() { }

    public static Sysctls parse(String file, String text) throws SnapshotException {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) throw SnapshotException.atLine(file, i + 1, "expected 'key = value', found '" + line + "'");
            String key = line.substring(0, eq).strip();
            if (key.startsWith("-")) key = key.substring(1); // sysctl.conf: "-key = v" ignores errors setting it
            if (key.isEmpty() || !key.matches("[A-Za-z0-9_./:@+-]+")) {
                throw SnapshotException.atLine(file, i + 1, "expected a key such as net.ipv4.ip_forward before '=', found '"
                        + line.substring(0, eq).strip() + "'");
            }
            values.put(dotted(key), line.substring(eq + 1).strip());
        }
        return Sysctls.of(values);
    }

    static String dotted(String key) {
        int dot = key.indexOf('.'), slash = key.indexOf('/');
        if (slash >= 0 && (dot < 0 || slash < dot)) {
            StringBuilder sb = new StringBuilder();
            for (char c : key.toCharArray()) sb.append(c == '/' ? '.' : c == '.' ? '/' : c);
            return sb.toString();
        }
        return key;
    }
}
