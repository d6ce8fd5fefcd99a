package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code trace --to SERVICE}, and verdicts that name the allow: entry that admitted or refused the packet. */
class TraceByServiceTest {
    @Test
    void aServiceNameIsTracedAtEachAddressTheSenderCanReach() {
        Cli t = Cli.run("trace", "examples/campus.yaml", "--from", "staff1", "--to", "intranet", "--proto", "tcp", "--port", "443");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out()).contains("== intranet at 10.80.0.1").contains("== intranet at 2001:db8:80::1")
                .contains("allow: service intranet: admitted (allow sources 10.2.0.0/24, examples/campus.yaml:")
                .contains(") at core1 filter AL-FWD-intranet rule 1");
        // logs has IPv4 only: syslog's one address, no header
        Cli v4 = Cli.run("trace", "examples/campus.yaml", "--from", "logs", "--to", "resolver", "--proto", "udp", "--port", "53");
        assertThat(v4.out()).doesNotContain("== resolver at").contains("udp 10.53.53.53:53");
    }

    @Test
    void aRefusalNamesTheServiceAndTheEntriesNoneOfWhichAdmitsTheSource() {
        Cli t = Cli.run("trace", "examples/home.yaml", "--from", "cam", "--to", "web", "--proto", "tcp", "--port", "80");
        assertThat(t.exit()).isEqualTo(1);
        assertThat(t.out()).contains("allow: service web: refused (not in allow; no entry admits source 192.168.20.10: segments lan)"
                + " at router filter AL-FWD-web rule 2")
                .contains("verdict: NOT REACHABLE — DROPPED at router: filter AL-FWD-web rule 2: -m comment --comment \"anyloop service web: not in allow\" -j DROP");
    }

    @Test
    void anUnknownNameIsAUsageErrorWithASuggestion() {
        Cli t = Cli.run("trace", "examples/home.yaml", "--from", "laptop", "--to", "wbe");
        assertThat(t.exit()).isEqualTo(2);
        assertThat(t.err()).contains("'wbe' is neither an address nor a service of examples/home.yaml (did you mean 'web'?)");
        Cli r = Cli.run("reach", "examples/home.yaml", "--from", "laptop", "--to", "web", "--proto", "tcp", "--port", "80");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("laptop -> tcp 10.10.10.10:80: reachable");
    }
}
