package dev.anyloop.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.state.ChainType;
import dev.anyloop.state.nft.NftChain;
import dev.anyloop.state.nft.NftExpr;
import dev.anyloop.state.nft.NftFamily;
import dev.anyloop.state.nft.NftRule;
import dev.anyloop.state.nft.NftRuleset;
import dev.anyloop.state.nft.NftSet;
import dev.anyloop.state.nft.NftStatement;
import dev.anyloop.state.nft.NftTable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** nft 1.0.6's own JSON for src/test/resources/nft/sample.nft (written with nft -f, listed with nft -j). */
class NftJsonParserTest {
    static NftRuleset sample() throws SnapshotException { return NftJsonParser.parse("nft.json", Fixtures.resource("/nft/sample.json")); }

    @Test
    void tablesChainsAndBaseChains() throws Exception {
        NftRuleset r = sample();
        assertThat(r.tables()).extracting(NftTable::toString).containsExactly("inet filter", "ip6 t6");
        NftTable t = r.table(NftFamily.INET, "filter").orElseThrow();
        assertThat(t.chains()).extracting(NftChain::name).containsExactly("x", "input", "pre", "post");
        NftChain.Base in = t.chain("input").orElseThrow().base().orElseThrow();
        assertThat(in.type()).isEqualTo(ChainType.FILTER);
        assertThat(in.hook()).isEqualTo("input");
        assertThat(in.priority()).isEqualTo(10);
        assertThat(in.drop()).isTrue();
        assertThat(t.chain("x").orElseThrow().base()).isEmpty();
        assertThat(t.chain("pre").orElseThrow().base().orElseThrow().type()).isEqualTo(ChainType.NAT);
        assertThat(t.chain("pre").orElseThrow().base().orElseThrow().priority()).isEqualTo(-100);
    }

    @Test
    void namedSetsAndMaps() throws Exception {
        NftTable t = sample().table(NftFamily.INET, "filter").orElseThrow();
        NftSet allow = t.set("allow").orElseThrow();
        assertThat(allow.interval()).isTrue();
        assertThat(allow.keyType()).containsExactly("ipv4_addr");
        assertThat(allow.elements()).extracting(NftSet.Element::key).containsExactly(new NftExpr.Value("10.0.0.1"),
                new NftExpr.Prefix("10.1.0.0", 16), new NftExpr.Range(new NftExpr.Value("10.2.0.1"), new NftExpr.Value("10.2.0.9")));
        NftSet svc = t.set("svc").orElseThrow();
        assertThat(svc.keyType()).containsExactly("ipv4_addr", "inet_service");
        assertThat(svc.elements().get(0).key()).isEqualTo(new NftExpr.Concat(List.of(new NftExpr.Value("10.0.0.1"), new NftExpr.Value("80"))));
        NftSet vm = t.set("vm").orElseThrow();
        assertThat(vm.dataType()).contains("verdict");
        assertThat(vm.elements().get(1).data()).contains(new NftExpr.VerdictValue(
                new NftStatement.Verdict(NftStatement.Verdict.Kind.JUMP, java.util.Optional.of("x"))));
    }

    /** The rule as nft lists it, where anyloop's spelling is nft's (nft prints counters' values and marks in hex). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1  | ct state established,related accept",
        "2  | ct state { established, related } accept",
        "3  | ct status dnat accept",
        "4  | iifname \"lo\" accept",
        "5  | iifname vmap @vm",
        "6  | meta nfproto ipv6 fib saddr . mark . iif oif missing drop",
        "8  | ip daddr . tcp dport @svc accept",
        "10 | tcp flags syn / fin,syn accept",
        "11 | meta l4proto { icmp, ipv6-icmp } accept",
        "12 | icmp type echo-request accept",
        "15 | ct mark set meta mark",
        "16 | meta mark set ct mark",
        "17 | th dport 53 accept",
        "18 | ip protocol tcp ip saddr != 10.0.0.0/8 log prefix \"x \" reject with tcp reset",
        "19 | reject with icmpx admin-prohibited",
        "20 | reject",
        "21 | meta skuid 1000 drop",
        "22 | iifname \"eth*\" ip saddr 10.0.0.0/8 ip daddr vmap { 10.1.1.1 : accept, 10.1.1.2 : drop }"})
    void rulesReadBackAsNftListsThem(int index, String nft) throws Exception {
        NftRule r = sample().table(NftFamily.INET, "filter").orElseThrow().chain("input").orElseThrow().rules().get(index - 1);
        assertThat(r.text()).isEqualTo(nft);
    }

    @Test
    void natStatements() throws Exception {
        NftTable t = sample().table(NftFamily.INET, "filter").orElseThrow();
        assertThat(t.chain("pre").orElseThrow().rules()).extracting(NftRule::text).containsExactly(
                "ip daddr 10.9.9.9 tcp dport 80 dnat ip to 10.0.0.2:8080", "ip daddr 10.9.9.8 dnat ip to 10.0.0.3",
                "tcp dport 8080 redirect to :80");
        assertThat(t.chain("post").orElseThrow().rules()).extracting(NftRule::text).containsExactly(
                "oifname \"eth*\" masquerade", "ip saddr 10.0.0.0/8 snat ip to 10.9.0.1");
    }

    @Test
    void iptablesNftCompatExpressionsAreKeptAsUnsupported() throws Exception {
        NftRuleset r = NftJsonParser.parse("nft.json", Fixtures.resource("/nft/iptables-nft.json"));
        NftRule first = r.table(NftFamily.IP, "filter").orElseThrow().chain("INPUT").orElseThrow().rules().get(0);
        assertThat(first.statements().get(0)).isEqualTo(new NftStatement.Unsupported("xt match conntrack",
                "{\"xt\":{\"type\":\"match\",\"name\":\"conntrack\"}}"));
    }

    @Test
    void anUnknownExpressionIsKeptNotRefused() throws Exception {
        String json = "{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"t\"}}, {\"chain\": {\"family\": \"inet\", \"table\": \"t\","
                + " \"name\": \"c\"}}, {\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"expr\": [{\"match\": {\"op\": \"==\","
                + " \"left\": {\"osf\": {\"key\": \"name\"}}, \"right\": \"Linux\"}}, {\"quota\": {\"val\": 10}}, {\"drop\": null}]}}]}";
        NftRule rule = NftJsonParser.parse("nft.json", json).tables().get(0).chains().get(0).rules().get(0);
        assertThat(rule.statements().get(0)).isEqualTo(new NftStatement.Match(new NftExpr.Unknown("{\"osf\":{\"key\":\"name\"}}"),
                NftStatement.Op.EQ, new NftExpr.Value("Linux")));
        assertThat(rule.statements().get(1)).isInstanceOf(NftStatement.Unsupported.class);
    }

    @Test
    void emptyOutputIsNoRuleset() throws Exception {
        assertThat(NftJsonParser.parse("nft.json", "").isEmpty()).isTrue();
        assertThat(NftJsonParser.parse("nft.json", "{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}}]}").isEmpty()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[1, 2] | expected {\"nftables\": [...]}",
        "{\"nftables\": [ | expected JSON",
        "{\"nftables\": [{\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"c\"}}]} | nftables[0].chain.table: expected a table listed before its contents",
        "{\"nftables\": [{\"table\": {\"family\": \"inet6\", \"name\": \"t\"}}]} | nftables[0].table.family: expected ip, ip6, inet",
        "{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"t\"}}, {\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"expr\": []}}]} | nftables[1].rule.chain: expected a chain listed before its rules"})
    void refusesWhatIsNotNftJson(String json, String reason) {
        assertThatThrownBy(() -> NftJsonParser.parse("nft.json", json)).isInstanceOf(SnapshotException.class).hasMessageContaining(reason);
    }
}
