package dev.anyloop.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Family;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.nft.NftFamily;
import dev.anyloop.state.nft.NftTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nft.json and ipset.txt in a host folder, and iptables-nft tables counted once. */
class SnapshotNftTest {
    @TempDir
    Path tmp;

    private Path host(String iptables, String nft) throws IOException {
        Path h = Files.createDirectories(tmp.resolve("h"));
        Files.writeString(h.resolve(SnapshotReader.IP_ADDR), Fixtures.real("router/ip-addr.json"));
        Files.writeString(h.resolve(SnapshotReader.IP_ROUTE), "[]");
        if (iptables != null) Files.writeString(h.resolve(SnapshotReader.IPTABLES), iptables);
        if (nft != null) Files.writeString(h.resolve(SnapshotReader.NFT), nft);
        return h;
    }

    /** iptables 1.8.9 (nf_tables) and nft 1.0.6 on one namespace: src/test/resources/nft/iptables-nft.{rules,json}. */
    @Test
    void iptablesNftTablesAreCountedOnceAndAnIncompatibleTableIsNative() throws Exception {
        DeviceState d = SnapshotReader.readHost("h", host(Fixtures.resource("/nft/iptables-nft.rules"),
                Fixtures.resource("/nft/iptables-nft.json")));
        // filter: in iptables-save with its xt matches spelled out, so not again as nft's "table ip filter"
        assertThat(d.ipv4().chain("filter", "MYCHAIN")).isPresent();
        assertThat(d.nftables().table(NftFamily.IP, "filter")).isEmpty();
        // nat: iptables-save printed an empty table under "contains incompatible base-chains"; the real one is native
        assertThat(d.ipv4().table("nat")).isEmpty();
        assertThat(d.nftables().table(NftFamily.IP, "nat").orElseThrow().chain("prerouting_native")).isPresent();
        assertThat(d.nftables().tables()).extracting(NftTable::toString).containsExactly("ip nat", "inet fw");
    }

    @Test
    void withTheLegacyBackendBothAreKept() throws Exception {
        String legacy = Fixtures.resource("/nft/iptables-nft.rules").replace("(nf_tables)", "(legacy)");
        DeviceState d = SnapshotReader.readHost("h", host(legacy, Fixtures.resource("/nft/iptables-nft.json")));
        assertThat(d.ipv4().chain("filter", "MYCHAIN")).isPresent();
        assertThat(d.nftables().table(NftFamily.IP, "filter")).isPresent();
    }

    @Test
    void aNativeTableNamedFilterIsNotTakenForIptablesOne() throws Exception {
        String json = "{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"filter\"}}, {\"chain\": {\"family\": \"ip\", \"table\": "
                + "\"filter\", \"name\": \"input\", \"type\": \"filter\", \"hook\": \"input\", \"prio\": 0, \"policy\": \"accept\"}}]}";
        String ipt = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";
        DeviceState d = SnapshotReader.readHost("h", host(ipt, json));
        assertThat(d.nftables().table(NftFamily.IP, "filter")).isPresent();
    }

    @Test
    void ipsetsAreRead() throws Exception {
        Path h = host(null, null);
        Files.writeString(h.resolve(SnapshotReader.IPSET), Fixtures.resource("/nft/ipset.txt"));
        DeviceState d = SnapshotReader.readHost("h", h);
        assertThat(d.ipsets().get("nets").orElseThrow().family()).isEqualTo(Family.V6);
        assertThat(d.nftables().isEmpty()).isTrue();
    }
}
