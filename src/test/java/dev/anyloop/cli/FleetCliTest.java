package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet forms' usage and config errors: each exit 2 with the reason, before any host is reached. */
class FleetCliTest {
    private static final String FILE = "examples/home.yaml";

    @TempDir
    Path tmp;

    @Test
    void anUnknownSchemeNamesTheValue() {
        Cli r = Cli.run("apply", FILE, "--all", "--target", "cam=telnet://192.168.20.10");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid target 'telnet://192.168.20.10': unknown scheme 'telnet'", "nothing was changed");
    }

    @Test
    void aTargetForAnUnknownHostSuggestsTheRightOne() {
        Cli r = Cli.run("snapshot", FILE, "--all", "--target", "routr=local", "--out", tmp.resolve("s").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'routr' is not a host of network.yaml (did you mean 'router'?)");
    }

    @Test
    void inventoryErrorsComeWithFileLineAndColumn() throws Exception {
        Path inv = tmp.resolve("inventory.yaml");
        Files.writeString(inv, "hosts:\n  router: ssh://root@192.168.1.1:0\n  pie: local\n");
        Cli r = Cli.run("check", FILE, "--live", "--inventory", inv.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(inv + ":2:11: hosts: router: Invalid target 'ssh://root@192.168.1.1:0': port 0 is not in 1-65535",
                inv + ":3:3: hosts: 'pie' is not a host of network.yaml", "2 errors; nothing was changed");
    }

    @Test
    void withoutAnyTargetEveryHostIsSkippedAndNothingRuns() {
        Cli r = Cli.run("apply", FILE, "--all", "--json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("\"changed\" : false", "no host has a target");
        Cli t = Cli.run("apply", FILE, "--all");
        assertThat(t.out()).contains("skipped: router (no target (give --inventory FILE, --target router=URI or --lab NAME))");
    }

    @Test
    void fleetOptionsOutsideTheFleetFormsAreRefused() {
        assertThat(Cli.run("check", FILE, "--all").exit()).isEqualTo(2);
        assertThat(Cli.run("apply", FILE, "--all", "--report", tmp.resolve("r.html").toString()).err()).contains("--report goes with --dry-run");
        assertThat(Cli.run("apply", FILE, "--all", "--host", "pi1").err()).contains("--all applies every host with a target");
        assertThat(Cli.run("confirm", FILE).err()).contains("go with --all");
        assertThat(Cli.run("apply", FILE, "--all", "--lab", "Bad-Name").err()).contains("Invalid lab name 'Bad-Name'");
        assertThat(Cli.run("apply", FILE, "--all", "--lab", "fl1", "--connect-timeout", "0").err()).contains("--connect-timeout takes 1 to 300 seconds");
    }
}
