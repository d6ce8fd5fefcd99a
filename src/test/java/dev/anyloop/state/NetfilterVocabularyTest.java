package dev.anyloop.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Family;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class NetfilterVocabularyTest {
    @Test
    void eachHookRunsItsBuiltinChainsInPriorityOrder() {
        assertThat(BuiltinChain.on(Hook.PREROUTING)).containsExactly(BuiltinChain.RAW_PREROUTING, BuiltinChain.MANGLE_PREROUTING,
                BuiltinChain.NAT_PREROUTING);
        assertThat(BuiltinChain.on(Hook.OUTPUT)).containsExactly(BuiltinChain.RAW_OUTPUT, BuiltinChain.MANGLE_OUTPUT,
                BuiltinChain.NAT_OUTPUT, BuiltinChain.FILTER_OUTPUT, BuiltinChain.SECURITY_OUTPUT);
        assertThat(BuiltinChain.on(Hook.INPUT)).containsExactly(BuiltinChain.MANGLE_INPUT, BuiltinChain.FILTER_INPUT,
                BuiltinChain.SECURITY_INPUT, BuiltinChain.NAT_INPUT);
    }

    @ParameterizedTest
    @EnumSource(IptablesTable.class)
    void everyBuiltinChainOfEveryTableHasItsHook(IptablesTable t) {
        for (String c : t.builtinChains()) assertThat(BuiltinChain.of(t.word(), c)).isPresent();
        assertThat(Table.BUILTIN.get(t.word())).isEqualTo(t.builtinChains());
    }

    @ParameterizedTest
    @CsvSource({"nat, PREROUTING, nat, dstnat", "nat, OUTPUT, nat, -100", "nat, INPUT, nat, 100", "nat, POSTROUTING, nat, srcnat",
            "mangle, OUTPUT, route, mangle", "raw, PREROUTING, filter, raw", "filter, FORWARD, filter, filter"})
    void nftTypesAndPrioritiesAreWhatNftAccepts(String table, String chain, String type, String priority) {
        BuiltinChain b = BuiltinChain.of(table, chain).orElseThrow();
        assertThat(b.type().nft()).isEqualTo(type);
        assertThat(b.nftPriority()).isEqualTo(priority);
        assertThat(Priority.parse(priority)).contains(b.priority());
    }

    @Test
    void priorityNamesTakeAnOffset() {
        assertThat(Priority.parse("filter + 10")).contains(10);
        assertThat(Priority.parse("dstnat - 5")).contains(-105);
        assertThat(Priority.parse("bogus")).isEmpty();
    }

    @Test
    void conntrackStatusBitsAreApartFromStates() {
        assertThat(List.of(ConntrackState.values())).filteredOn(ConntrackState::status)
                .containsExactly(ConntrackState.SNAT, ConntrackState.DNAT);
        assertThat(ConntrackState.of("established")).contains(ConntrackState.ESTABLISHED);
    }

    @ParameterizedTest
    @CsvSource({"V4, '', icmp-port-unreachable, icmp type port-unreachable", "V6, '', icmp6-port-unreachable, icmpv6 type port-unreachable",
            "V4, host-prohib, icmp-host-prohibited, icmp type host-prohibited", "V6, adm-prohibited, icmp6-adm-prohibited, icmpv6 type admin-prohibited",
            "V4, tcp-rst, tcp-reset, tcp reset"})
    void rejectWordsAliasesAndNftSpelling(Family f, String word, String canonical, String nft) {
        RejectWith.Kind k = RejectWith.of(f, word).orElseThrow();
        assertThat(k.word()).isEqualTo(canonical);
        assertThat(k.nft()).isEqualTo(nft);
    }

    @Test
    void aRejectWordOfTheOtherFamilyIsRefused() {
        assertThat(RejectWith.of(Family.V6, "icmp-host-prohibited")).isEmpty();
    }
}
