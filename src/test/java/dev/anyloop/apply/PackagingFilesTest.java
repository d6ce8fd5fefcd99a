package dev.anyloop.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What apply writes on a host is what packaging/ ships: one text each, kept equal here. */
class PackagingFilesTest {
    @Test
    void theProtoNameApplyInstallsIsThePackagedFile() throws Exception {
        assertThat(Engine.PROTO_NAME_TEXT).isEqualTo(Files.readString(Path.of("packaging/rt_protos.d/anyloop.conf")));
        assertThat(Engine.PROTO_NAME_TEXT).contains("\n77\tanyloop\n");
    }

    @Test
    void theUnitForThisHostIsThePackagedUnit() throws Exception {
        assertThat(Persist.unit(Persist.PACKAGED, List.of(), Path.of("/var/lib/anyloop/host/persist/network.yaml")))
                .isEqualTo(Files.readString(Path.of("packaging/anyloop-apply.service")));
    }

    @Test
    void aNamespaceAndAStateFolderGoIntoExecStart() {
        String u = Persist.unit("/opt/anyloop/anyloop", List.of("--netns", "ns1", "--state-dir", "/srv/al"), Path.of("/srv/al/netns-ns1/persist/network.yaml"));
        assertThat(u).contains("ExecStart=/opt/anyloop/anyloop apply --persisted --netns ns1 --state-dir /srv/al\n",
                "ConditionPathExists=/srv/al/netns-ns1/persist/network.yaml\n");
    }

    @Test
    void wordsSystemdWouldSplitOrExpandAreRefused() {
        for (String bad : List.of("/a b", "/a%n", "/a$HOME", "/a\"b", "/a;b")) {
            assertThatThrownBy(() -> Persist.unit(bad, List.of(), Path.of("/x"))).as(bad).hasMessageContaining("Invalid word");
        }
        assertThatThrownBy(() -> Persist.unit("/usr/bin/anyloop", List.of(), Path.of("/x y"))).hasMessageContaining("Invalid path");
    }
}
