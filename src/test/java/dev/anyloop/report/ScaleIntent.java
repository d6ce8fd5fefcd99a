package dev.anyloop.report;

/**
 * A 1,000-host network.yaml for the report's benchmark and tests: {@code routers} routers on one core segment, each
 * with a LAN of {@code hostsPerRouter} hosts, and per router one service on the LAN's first two hosts (failover
 * order), tcp/80 and ping, open to anyone; every other router routes the service's /24 through its router.
 */
public final class ScaleIntent {
    private ScaleIntent() { }

    public static String yaml(int routers, int hostsPerRouter) {
        StringBuilder sb = new StringBuilder("segments:\n  core: { prefixes: [10.255.0.0/24] }\n");
        for (int r = 0; r < routers; r++) sb.append("  lan").append(r).append(": { prefixes: [10.").append(r).append(".0.0/16] }\n");
        sb.append("hosts:\n");
        for (int r = 0; r < routers; r++) {
            sb.append("  r").append(r).append(":\n    forwarding: true\n    interfaces:\n")
                    .append("      eth0: { segment: core, addresses: [10.255.0.").append(r + 1).append("/24] }\n")
                    .append("      eth1: { segment: lan").append(r).append(", addresses: [10.").append(r).append(".0.1/16] }\n")
                    .append("    routes:\n");
            for (int o = 0; o < routers; o++) {
                if (o == r) continue;
                sb.append("      - { to: 10.").append(o).append(".0.0/16, via: 10.255.0.").append(o + 1).append(" }\n");
                sb.append("      - { to: 10.200.").append(o).append(".0/24, via: 10.255.0.").append(o + 1).append(" }\n");
            }
        }
        for (int r = 0; r < routers; r++) {
            for (int h = 0; h < hostsPerRouter; h++) {
                sb.append("  h").append(r).append('-').append(h).append(": { interfaces: { eth0: { segment: lan").append(r)
                        .append(", addresses: [10.").append(r).append('.').append(1 + h / 200).append('.').append(2 + h % 200)
                        .append("/16], gateway: 10.").append(r).append(".0.1 } } }\n");
            }
        }
        sb.append("services:\n");
        for (int r = 0; r < routers; r++) {
            sb.append("  svc").append(r).append(": { addresses: [10.200.").append(r).append(".1], ports: [tcp/80], hosts: [h")
                    .append(r).append("-0, h").append(r).append("-1] }\n");
        }
        return sb.toString();
    }
}
