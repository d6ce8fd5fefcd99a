package dev.anyloop.render;

import dev.anyloop.state.DeviceState;
import java.util.Map;

/** Renders a host's sysctls as a sysctl.d file: "key = value" lines in key order. */
public final class SysctlRenderer {
    private SysctlRenderer() { }

    public static String render(DeviceState s) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : s.sysctls().sorted().entrySet()) {
            sb.append(Names.token("sysctl key", e.getKey())).append(" = ")
                    .append(Names.oneLine("sysctl value", e.getValue())).append('\n');
        }
        return sb.toString();
    }
}
