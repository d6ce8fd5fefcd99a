package dev.anyloop.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.intent.ConfigException;
import dev.anyloop.os.TargetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The inventory file: what it says, and every malformed one refused at file:line:col with the reason. */
class InventoryTest {
    private static final List<String> HOSTS = List.of("router", "desktop", "pi1", "pi2");

    @TempDir
    Path tmp;

    private Path write(String text) throws Exception {
        Path p = tmp.resolve("inventory.yaml");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsTargetsAndSshSettings() throws Exception {
        Path p = write("hosts:\n  router: ssh://root@192.168.1.1\n  pi2: ssh://admin@pi2.lan:2222\n  desktop: local\n"
                + "ssh:\n  known-hosts: keys/known_hosts\n  identity: [~/.ssh/id_fleet, /etc/anyloop/key]\n  connect-timeout: 5\n");
        Inventory inv = Inventory.load(p, HOSTS);
        assertThat(inv.hosts().get("router").target()).isEqualTo(TargetSpec.ssh("root", "192.168.1.1", 22));
        assertThat(inv.hosts().get("pi2").target().toString()).isEqualTo("ssh://admin@pi2.lan:2222");
        assertThat(inv.hosts().get("desktop").target()).isEqualTo(TargetSpec.local());
        assertThat(inv.hosts().get("router").pos().toString()).isEqualTo(p + ":2:11");
        assertThat(inv.knownHosts()).contains(tmp.resolve("keys/known_hosts"));
        assertThat(inv.identities().orElseThrow()).containsExactly(Path.of(System.getProperty("user.home"), ".ssh/id_fleet"), Path.of("/etc/anyloop/key"));
        assertThat(inv.connectTimeout()).contains(5);
        assertThat(inv.hosts()).doesNotContainKey("pi1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hosts:\\n  router: ftp://root@x\\n|2:11: hosts: router: Invalid target 'ftp://root@x': unknown scheme 'ftp'",
        "hosts:\\n  routr: local\\n|2:3: hosts: 'routr' is not a host of network.yaml (did you mean 'router'?)",
        "hosts:\\n  router: local\\n  router: local\\n|3:3: hosts: 'router' is given twice",
        "hosts:\\n  router: ssh://root@host:99999\\n|2:11: hosts: router: Invalid target 'ssh://root@host:99999': port 99999 is not in 1-65535",
        "hosts:\\n  router: [a, b]\\n|2:11: hosts: router: expected local, netns:NAME or ssh://user@host[:port]",
        "host:\\n  router: local\\n|1:1: unknown key 'host' (did you mean 'hosts'?)",
        "hosts:\\n  router: local\\nssh:\\n  connect-timeout: soon\\n|4:20: ssh: connect-timeout: expected whole seconds from 1 to 300, found 'soon'",
        "hosts:\\n  router: local\\nssh:\\n  knownhosts: x\\n|4:3: ssh: unknown key 'knownhosts' (did you mean 'known-hosts'?)",
        "hosts: [router]\\n|1:8: hosts: expected a mapping",
        "hosts:\\n  router: local\\n bad\\n|3:2: YAML syntax error",
        "  \\n|1:1: file is empty",
    })
    void refusesAtFileLineColumn(String text, String error) throws Exception {
        Path p = write(text.replace("\\n", "\n"));
        assertThatThrownBy(() -> Inventory.load(p, HOSTS)).isInstanceOf(ConfigException.class).hasMessageContaining(p + ":" + error);
    }

    @Test
    void everyErrorIsReportedAtOnce() throws Exception {
        Path p = write("hosts:\n  routr: local\n  pi1: telnet:x\n");
        assertThatThrownBy(() -> Inventory.load(p, HOSTS)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.diagnostics()).hasSize(2));
    }
}
