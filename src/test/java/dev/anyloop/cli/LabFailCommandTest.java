package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code lab fail HOST[:IFACE]}: what the argument means, and how a bad one is refused before anything runs. */
class LabFailCommandTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pi1           | pi1     |",
        "router:eth1   | router  | eth1",
        "desktop-ghost | desktop-ghost |",
        "h:v0-desktop-ghos | h   | v0-desktop-ghos",
    })
    void aTargetIsAHostOrOneOfItsInterfaces(String arg, String host, String dev) {
        assertThat(LabFailCommand.Target.parse(arg)).isEqualTo(new LabFailCommand.Target(host, Optional.ofNullable(dev)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:b:c", ":eth0", "pi1:"})
    void aBadTargetExitsTwoQuotingIt(String arg) {
        Cli r = Cli.run("lab", "fail", "--name", "nolab", arg);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid interface '" + arg + "': expected HOST:IFACE");
    }

    @ParameterizedTest
    @ValueSource(strings = {""})
    void anEmptyTargetIsRefused(String arg) {
        assertThatThrownBy(() -> LabFailCommand.Target.parse(arg)).hasMessage("Invalid target '': expected HOST or HOST:IFACE");
        assertThat(Cli.run("lab", "fail", arg).exit()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"probe", "fail", "restore"})
    void theNewSubcommandsAreListedUnderLab(String sub) {
        Cli r = Cli.run("lab", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("  " + sub + " ");
    }
}
