package dev.anyloop.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.cli.CliAccess;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Linux would accept but cannot do what it says: a warning with the position of the value, and nothing refused. */
class IntentWarningsTest {
    static List<String> warnings(String yaml) throws ConfigException {
        return IntentLoader.parse("w.yaml", yaml.getBytes(StandardCharsets.UTF_8)).warnings().stream().map(Diagnostic::asWarning).toList();
    }

    @Test
    void anIpv6ServiceAddressOnAnIpv4OnlyHost() throws Exception {
        assertThat(warnings(String.join("\n",
                "segments:",
                "  lan: { prefixes: [10.0.1.0/24] }",
                "hosts:",
                "  a:",
                "    interfaces:",
                "      eth0: { segment: lan, addresses: [10.0.1.2/24] }",
                "services:",
                "  dns:",
                "    addresses: [10.53.0.53, \"fd53::53\"]",
                "    hosts: [a]",
                ""))).containsExactly("w.yaml:9:29: warning: service dns: address fd53::53 is IPv6, but host a has no IPv6 address on"
                + " any interface: no packet of that family can reach it there");
    }

    @Test
    void anIpv4ServiceWhoseAllowedSourcesAreIpv6Only() throws Exception {
        assertThat(warnings(String.join("\n",
                "segments:",
                "  lan: { prefixes: [10.0.1.0/24, \"fd00:1::/64\"] }",
                "  v6lan: { prefixes: [\"fd00:2::/64\"] }",
                "hosts:",
                "  a:",
                "    interfaces:",
                "      eth0: { segment: lan, addresses: [10.0.1.2/24, \"fd00:1::2/64\"] }",
                "services:",
                "  web:",
                "    addresses: [10.10.10.10]",
                "    hosts: [a]",
                "    allow: { sources: [\"fd00:1::/64\"], segments: [v6lan] }",
                ""))).containsExactly("w.yaml:12:12: warning: service web: allow admits no IPv4 source (segments v6lan, sources"
                + " fd00:1::/64), so no client may reach 10.10.10.10");
    }

    @Test
    void theOnlyPathThroughAHostThatDoesNotForward() throws Exception {
        // r1 -- core -- m (forwarding: false) -- srv -- s: r1's route to the service ends at m
        assertThat(warnings(String.join("\n",
                "segments:",
                "  core: { prefixes: [10.0.0.0/24] }",
                "  srv: { prefixes: [10.0.1.0/24] }",
                "hosts:",
                "  r1:",
                "    forwarding: true",
                "    interfaces:",
                "      eth0: { segment: core, addresses: [10.0.0.1/24] }",
                "  m:",
                "    interfaces:",
                "      eth0: { segment: core, addresses: [10.0.0.2/24] }",
                "      eth1: { segment: srv, addresses: [10.0.1.1/24] }",
                "  s:",
                "    interfaces:",
                "      eth0: { segment: srv, addresses: [10.0.1.10/24], gateway: 10.0.1.1 }",
                "services:",
                "  web:",
                "    addresses: [10.10.10.10]",
                "    hosts: [s]",
                ""))).containsExactly("w.yaml:19:13: warning: service web: router r1 reaches service host s only through host m,"
                + " which has forwarding: false; the routes anyloop derives there end at m (FORWARDING_DISABLED)");
    }

    @Test
    void validatePrintsWarningsAndSucceeds() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("w", ".yaml");
        try {
            java.nio.file.Files.writeString(f, "hosts:\n  a:\n    interfaces:\n      eth0: { segment: lan, addresses: [10.0.1.2/24] }\n"
                    + "segments:\n  lan: { prefixes: [10.0.1.0/24] }\nservices:\n  dns: { addresses: [\"fd53::53\"], hosts: [a] }\n");
            CliAccess.Result r = CliAccess.run("validate", f.toString());
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains(": ok (1 segments, 1 hosts, 1 services, 0 source intents, 0 expectations) with 1 warning");
            assertThat(r.err()).startsWith(f + ":8:22: warning: service dns: address fd53::53 is IPv6");
        } finally {
            java.nio.file.Files.delete(f);
        }
    }
}
