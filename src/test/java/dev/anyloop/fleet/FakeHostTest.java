package dev.anyloop.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.LocalTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts that answer badly, played by this machine with a PATH of stand-in tools: a snapshot that comes back
 * truncated, a host without iptables. Each is refused with the host named and nothing read as if it were whole.
 */
class FakeHostTest {
    @TempDir
    Path bin;

    /** This machine, with only the tools in {@code bin} (and the shell's own utilities). */
    private LocalTarget host() {
        return new LocalTarget(new CommandRunner(Duration.ofSeconds(20))) {
            @Override
            public CommandRunner.Result run(List<String> argv, Optional<String> stdin, Duration timeout) {
                List<String> all = new ArrayList<>(List.of("env", "PATH=" + bin + ":/usr/bin:/bin"));
                all.addAll(argv);
                return super.run(all, stdin, timeout);
            }
        };
    }

    private void tool(String name, String script) throws Exception {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void aTruncatedSnapshotIsAnErrorNamingTheHostAndTheFile() throws Exception {
        // ip -json addr show stops in the middle of its JSON, as when the connection dropped mid-transfer
        tool("ip", "case \"$*\" in *addr*) printf '[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\"' ;; *) echo '[]' ;; esac");
        FleetSnapshot.Read r = FleetSnapshot.readOne("pi2", host());
        assertThat(r).isInstanceOfSatisfying(FleetSnapshot.Bad.class, b -> assertThat(b.why())
                .contains("this host returned a snapshot that does not read (truncated or garbled)", "ip-addr.json"));
        assertThat(r.host()).isEqualTo("pi2");
    }

    @Test
    void aHostWithoutIptablesIsNamedWithThePackageToInstall() throws Exception {
        tool("ip", "echo '[]'");
        Optional<String> why = Fleet.missingTools(host(), List.of("ip", "iptables-save", "iptables-restore"));
        assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("iptables-save, iptables-restore are not installed there", "apt install iptables"));
        assertThat(Fleet.missingTools(host(), List.of("ip"))).isEmpty();
    }
}
