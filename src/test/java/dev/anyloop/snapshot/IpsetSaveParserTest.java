package dev.anyloop.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Family;
import dev.anyloop.state.IpSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ipset 7.17's own 'ipset save' output (src/test/resources/nft/ipset.txt). */
class IpsetSaveParserTest {
    @Test
    void readsEveryTypeFamilyAndMember() throws Exception {
        IpSet.Sets s = IpsetSaveParser.parse("ipset.txt", Fixtures.resource("/nft/ipset.txt"));
        assertThat(s.sets()).extracting(IpSet::name).containsExactly("allow", "nets", "svc", "ports", "ni", "t", "r", "l");
        IpSet nets = s.get("nets").orElseThrow();
        assertThat(nets.family()).isEqualTo(Family.V6);
        assertThat(nets.members()).containsExactly(new IpSet.Member(List.of("fd00::5"), true), new IpSet.Member(List.of("fd00::/64"), false));
        assertThat(s.get("svc").orElseThrow().members().get(0).parts()).containsExactly("10.0.0.1", "tcp:80");
        assertThat(s.get("svc").orElseThrow().dimensions()).containsExactly("ip", "port");
        assertThat(s.get("l").orElseThrow().method()).isEqualTo("list");
        assertThat(s.get("t").orElseThrow().members()).containsExactly(new IpSet.Member(List.of("10.9.9.9"), false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "add a 10.0.0.1 | ipset.txt:1: expected 'create a' before its members",
        "create a hash:ip\\ncreate a hash:ip | ipset.txt:2: set 'a' is created twice",
        "create a foo | ipset.txt:1: expected a set type such as hash:ip, found 'foo'",
        "flush a b | ipset.txt:1: expected 'create NAME TYPE ...'"})
    void refusesWhatIpsetSaveNeverPrints(String text, String reason) {
        assertThatThrownBy(() -> IpsetSaveParser.parse("ipset.txt", text.replace("\\n", "\n"))).hasMessageContaining(reason);
    }
}
