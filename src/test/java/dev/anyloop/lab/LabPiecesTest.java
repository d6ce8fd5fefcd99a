package dev.anyloop.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure parts of the lab: service commands, ss parsing, probe commands and their reading, sysctls. */
class LabPiecesTest {
    private static final Path RUN = Path.of("/run/anyloop-lab/t");

    @Test
    void dnsListenersShareOneDnsmasqBoundToTheirAddressesOnly() {
        DeviceState d = Hosts.host("router").lo("10.53.0.1/32").listen(Proto.UDP, "10.53.0.1", 53)
                .listen(Proto.TCP, "10.53.0.1", 53).listen(Proto.TCP, "10.53.0.1", 80).build();
        List<LabService> s = LabService.of(d, RUN);
        assertThat(s).extracting(LabService::kind).containsExactly("dnsmasq", "answer");
        assertThat(s.get(0).argv()).contains("--bind-interfaces", "--listen-address=10.53.0.1", "--txt-record=whoami.anyloop,router",
                "--pid-file=/run/anyloop-lab/t/router-dnsmasq.pid", "--conf-file=/dev/null").doesNotContain("--interface=*");
        assertThat(s.get(0).argv().stream().filter(a -> a.startsWith("--listen-address"))).hasSize(1);
        LabService answer = s.get(1);
        Path list = RUN.resolve("router-answer-" + Integer.toHexString("tcp 10.53.0.1 80 80 0\n".hashCode()) + ".sockets");
        assertThat(answer.argv()).containsExactly("perl", "/run/anyloop-lab/t/answer.pl", "router", list.toString());
        assertThat(answer.files()).containsEntry(list, "tcp 10.53.0.1 80 80 0\n").containsKey(RUN.resolve("answer.pl"));
        assertThat(answer.files().get(RUN.resolve("answer.pl"))).startsWith("#!/usr/bin/perl").contains("$s->recv(").contains("$s->send(");
    }

    @Test
    void oneAnswerServerPerHostWithConsecutivePortsAsOneLine() {
        DeviceState d = Hosts.host("h").listen(Proto.TCP, "10.0.0.1", 8001).listen(Proto.TCP, "10.0.0.1", 8000)
                .listen(Proto.TCP, "10.0.0.1", 8002).listen(Proto.TCP, "10.0.0.1", 8004).listen(Proto.UDP, "0.0.0.0", 123)
                .listen(Proto.UDP, "::", 123).build();
        List<LabService> s = LabService.of(d, RUN);
        assertThat(s).singleElement().satisfies(a -> assertThat(a.files().values()).contains(
                "tcp 10.0.0.1 8000 8002 0\ntcp 10.0.0.1 8004 8004 0\nudp 0.0.0.0 123 123 0\nudp :: 123 123 0\n"));
    }

    @Test
    void aWildcardDnsListenerBindsEverything() {
        DeviceState d = Hosts.host("pi").listen(Proto.UDP, "0.0.0.0", 53).build();
        assertThat(LabService.of(d, RUN).get(0).argv()).contains("--interface=*").doesNotContain("--bind-interfaces");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tcp | 10.0.0.1 | 22  | false | tcp 10.0.0.1 22 22 0",
        "udp | 10.0.0.1 | 7   | false | udp 10.0.0.1 7 7 0",
        "tcp | 0.0.0.0  | 22  | false | tcp 0.0.0.0 22 22 0",
        "tcp | ::       | 22  | false | tcp :: 22 22 0",
        "udp | ::       | 9   | true  | udp :: 9 9 1",
        "tcp | fd00::1  | 443 | false | tcp fd00::1 443 443 0",
    })
    void answerListensWhereTheListenerSays(String proto, String ip, int port, boolean v6only, String expected) {
        Listener l = new Listener(Proto.parse(proto), Ip.parse(ip), port, v6only, "");
        assertThat(LabService.sockets(List.of(l))).isEqualTo(expected + "\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "udp   UNCONN 0      0          10.53.0.1:53        0.0.0.0:*     | udp | 10.53.0.1 | 53",
        "tcp   LISTEN 0      32         10.53.0.1%lo:53     0.0.0.0:*     | tcp | 10.53.0.1 | 53",
        "tcp   LISTEN 0      5                  *:80              *:*     | tcp |           | 80",
        "tcp   LISTEN 0      5            0.0.0.0:22        0.0.0.0:*     | tcp |           | 22",
        "udp   UNCONN 0      0               [::]:53           [::]:*     | udp |           | 53",
        "tcp   LISTEN 0      5        [fd00::1]:443            [::]:*     | tcp | fd00::1   | 443",
    })
    void ssLinesParse(String line, String proto, String ip, int port) {
        Optional<Ip> addr = ip == null ? Optional.empty() : Optional.of(Ip.parse(ip));
        assertThat(Sockets.parse(line)).contains(new Sockets.Socket(Proto.parse(proto), addr, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "raw UNCONN 0 0 *:1 *:*", "tcp LISTEN 0 5", "tcp LISTEN 0 5 nocolon *:*", "tcp LISTEN 0 5 1.2.3.4:x *:*",
        "tcp LISTEN 0 5 bogus:80 *:*"})
    void junkSsLinesAreSkipped(String line) {
        assertThat(Sockets.parse(line)).isEmpty();
    }

    @Test
    void aListenerIsPresentOnlyOnItsOwnAddressOrTheWildcard() {
        List<String> ss = List.of("udp UNCONN 0 0 10.53.0.1:53 0.0.0.0:*", "tcp LISTEN 0 5 0.0.0.0:22 0.0.0.0:*");
        assertThat(Sockets.present(Listener.of(Proto.UDP, Ip.parse("10.53.0.1"), 53, ""), ss)).isTrue();
        assertThat(Sockets.present(Listener.of(Proto.TCP, Ip.parse("10.53.0.1"), 53, ""), ss)).isFalse();
        assertThat(Sockets.present(Listener.of(Proto.UDP, Ip.parse("0.0.0.0"), 53, ""), ss)).isFalse();
        assertThat(Sockets.present(Listener.of(Proto.TCP, Ip.parse("0.0.0.0"), 22, ""), ss)).isTrue();
    }

    @Test
    void probeCommandsAreArgvLists() {
        assertThat(new Probe.Icmp(Ip.parse("10.0.0.1")).argv()).containsExactly("ping", "-4", "-n", "-c1", "-i0.5", "-w2", "10.0.0.1");
        assertThat(new Probe.Icmp(Ip.parse("fd00::1")).argv()).startsWith("ping", "-6");
        assertThat(new Probe.Tcp(Ip.parse("fd00::1"), 80).argv()).containsExactly("socat", "-T2", "-u",
                "TCP:[fd00::1]:80,connect-timeout=2", "STDOUT");
        assertThat(new Probe.Dns(Ip.parse("10.53.0.1"), 53).argv()).containsExactly("dig", "@10.53.0.1", "-p", "53",
                "whoami.anyloop", "TXT", "+short", "+time=2", "+tries=1");
        Probe.Udp udp = new Probe.Udp(Ip.parse("10.0.0.1"), 7, "hi\n");
        assertThat(udp.argv()).containsExactly("socat", "-T2", "-t1", "-", "UDP:10.0.0.1:7");
        assertThat(udp.stdin()).contains("hi\n");
    }

    @Test
    void probeResultsReadTheAnswer() {
        Probe dns = new Probe.Dns(Ip.parse("10.53.0.1"), 53);
        assertThat(dns.read(result(0, "\"pi1\"\n", ""))).isEqualTo(ProbeResult.answered("pi1", "TXT \"pi1\""));
        assertThat(dns.read(result(9, ";; connection timed out; no servers could be reached\n", "")).reachable()).isFalse();
        assertThat(dns.read(result(0, "", "")).reachable()).isFalse();
        Probe tcp = new Probe.Tcp(Ip.parse("10.0.0.1"), 80);
        assertThat(tcp.read(result(0, "desktop\n", ""))).isEqualTo(ProbeResult.answered("desktop", "banner desktop"));
        assertThat(tcp.read(result(1, "", "2026/11/26 socat[1] E connect(5, AF=2 10.0.0.1:80, 16): Connection refused\n")))
                .isEqualTo(ProbeResult.failed("Connection refused"));
        assertThat(tcp.read(result(1, "", ""))).isEqualTo(ProbeResult.failed("no answer (exit 1)"));
        Probe ping = new Probe.Icmp(Ip.parse("10.0.0.1"));
        assertThat(ping.read(result(0, "1 packets transmitted, 1 received, 0% packet loss, time 0ms\n", "")).reachable()).isTrue();
        assertThat(ping.read(result(1, "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n", "")).detail())
                .contains("100% packet loss");
    }

    @Test
    void sysctlsStartFromAnExplicitBaselineForEveryInterface() {
        // the host's own values are anyloop's and come from apply, which records this baseline as what it replaced
        List<String> a = LabSysctls.baseline(List.of("eth0", "eth0.10"));
        assertThat(a).containsExactly("net.ipv4.ip_forward=0", "net.ipv6.conf.all.forwarding=0", "net.ipv4.conf.all.rp_filter=0",
                "net.ipv4.conf.default.rp_filter=0", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
                "net.ipv4.conf.eth0.rp_filter=0", "net.ipv6.conf.eth0.accept_dad=0", "net.ipv4.conf.eth0/10.rp_filter=0",
                "net.ipv6.conf.eth0/10.accept_dad=0");
    }

    private static CommandRunner.Result result(int exit, String out, String err) {
        return new CommandRunner.Result(List.of("x"), exit, out, err);
    }
}
