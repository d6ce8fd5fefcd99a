package dev.anyloop.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Family;
import dev.anyloop.state.Address;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The state file: a round trip, what each change records, and every way a file can be unusable. */
class HostRecordTest {
    private static final Address X = Address.global("lo", InterfaceAddress.parse("10.53.0.53/32"));
    private static final Ownership.SrcKey LAN = new Ownership.SrcKey(Family.V4, 254, Prefix.parse("192.168.1.0/24"), 0, "eth1");

    static HostRecord full() {
        return new HostRecord(List.of(X), Map.of("net.ipv4.ip_forward", "0"), Map.of(LAN, Optional.of(Ip.parse("192.168.1.1"))),
                List.of(new Drain("dns", "pi1", List.of(Ip.parse("10.53.0.53")), List.of(Ip.parse("192.168.1.53")), 1700000000L)),
                new Planner.NftMemory("abc", "table inet anyloop {\n}\n"), Optional.of(Backend.NFT),
                Optional.of(new HostRecord.Journal("j1", 1700000001L, 42, List.of(X), Set.of("net.ipv4.ip_forward"), Set.of(LAN))),
                Optional.of(new HostRecord.Pending("p1", 1700000100L, 30)), Optional.of("l1"));
    }

    @Test
    void everyFieldSurvivesARoundTrip() throws Exception {
        HostRecord r = full();
        assertThat(HostRecord.parse("state.json", r.toJson())).isEqualTo(r);
        assertThat(HostRecord.parse("state.json", HostRecord.fresh().toJson())).isEqualTo(HostRecord.fresh());
    }

    @Test
    void aChangeRecordsWhatItAddedAndTheFirstValueItReplaced() {
        HostRecord r = HostRecord.fresh().after(List.of(new Change.AddressAdd(X),
                new Change.SysctlSet("net.ipv4.ip_forward", "1", Optional.of("0")),
                new Change.SysctlSet("net.ipv4.conf.all.rp_filter", "2", Optional.empty())), Set.of("net.ipv4.ip_forward", "net.ipv4.conf.all.rp_filter"),
                Set.of());
        assertThat(r.added()).containsExactly(X);
        // a key that could not be read has no value to go back to: nothing is recorded for it
        assertThat(r.sysctls()).containsExactly(Map.entry("net.ipv4.ip_forward", "0"));
        HostRecord again = r.after(List.of(new Change.SysctlSet("net.ipv4.ip_forward", "0", Optional.of("1"))), Set.of("net.ipv4.ip_forward"), Set.of());
        assertThat(again.sysctls()).containsEntry("net.ipv4.ip_forward", "0"); // still the value from before anyloop
        HostRecord gone = again.after(List.of(new Change.AddressDel(X)), Set.of(), Set.of());
        assertThat(gone.added()).isEmpty();
        assertThat(gone.sysctls()).isEmpty(); // set back, no longer anyloop's
    }

    @Test
    void theScopeIncludesWhatAChangeInFlightIsAboutToTakeOn() {
        Ownership.Scope s = full().scope();
        assertThat(s.addresses()).containsExactly(X);
        assertThat(s.sysctls()).containsExactly("net.ipv4.ip_forward");
        assertThat(s.srcRoutes()).containsExactly(LAN);
    }

    @Test
    void aNewerFileIsRefusedNotMisread() {
        assertThatThrownBy(() -> HostRecord.parse("/var/lib/anyloop/host/state.json", "{\"schema\": 2}"))
                .hasMessage("state file /var/lib/anyloop/host/state.json was written by a newer anyloop (schema 2, this one reads 1); "
                        + "nothing was changed: use that anyloop, or move the file away to start afresh");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{not json|not JSON",
        "[]|expected a JSON object",
        "{}|no \"schema\" number",
        "{\"schema\": 0}|schema 0 is not one anyloop ever wrote",
        "{\"schema\": 1, \"added\": {}}|\"added\" is not a list",
        "{\"schema\": 1, \"added\": [\"10.1.1.1\"]}|address '10.1.1.1' is not 'ADDR/LEN dev DEV'",
        "{\"schema\": 1, \"added\": [\"10.1.1.300/32 dev lo\"]}|10.1.1.300",
        "{\"schema\": 1, \"drains\": [{\"host\": \"pi1\"}]}|\"service\" is missing or not a string",
        "{\"schema\": 1, \"backend\": \"pf\"}|\"backend\" is 'pf', not iptables or nft",
        "{\"schema\": 1, \"srcRoutes\": [{\"dst\": \"10.0.0.1/24\", \"dev\": \"eth0\"}]}|10.0.0.1/24",
    })
    void aCorruptFileIsRefusedWithTheReason(String text, String reason) {
        assertThatThrownBy(() -> HostRecord.parse("state.json", text)).isInstanceOf(HostRecord.StateException.class)
                .hasMessageStartingWith("state file state.json is corrupt: ").hasMessageContaining(reason)
                .hasMessageContaining("nothing was changed");
    }
}
