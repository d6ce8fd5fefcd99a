package dev.anyloop.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading BIRD's answers: which services a server announces (the live state a health check's actuator reads). */
class BirdcTest {
    private static final String HEADER = "Name       Proto      Table      State  Since         Info\n";

    @Test
    void aServiceIsAnnouncedWhileEveryFamilyIsUp() {
        String show = HEADER
                + "announce.dns.v4 Static     master4    up     22:10:01.123  \n"
                + "announce.dns.v6 Static     master6    up     22:10:01.123  \n"
                + "announce.web-1.v4 Static   master4    up     22:10:01.124  \n"
                + "announce.ntp.v4 Static     master4    down   22:11:02.000  \n"
                + "announce.ldap.v4 Static    master4    up     22:10:01.124  \n"
                + "announce.ldap.v6 Static    master6    down   22:12:00.000  \n"
                + "ra.v4      BGP        ---        up     22:10:02.500  Established   \n"
                + "kernel.v4  Kernel     master4    up     22:10:01.123  \n";
        assertThat(Birdc.announcedIn(show)).containsExactly("dns", "web-1");
    }

    @Test
    void eachAnnounceProtocolIsReadByServiceAndFamily() {
        String show = HEADER
                + "announce.dns.v4 Static     master4    down   22:10:01.123  \n"
                + "announce.dns.v6 Static     master6    up     22:10:01.123  \n"
                + "announce.web-1.v4 Static   master4    up     22:10:01.124  \n"
                + "ra.v4      BGP        ---        up     22:10:02.500  Established   \n";
        assertThat(Birdc.announcementsIn(show)).containsOnlyKeys("dns", "web-1");
        assertThat(Birdc.announcementsIn(show).get("dns"))
                .hasSize(2).containsEntry(dev.anyloop.net.Family.V4, false).containsEntry(dev.anyloop.net.Family.V6, true);
        assertThat(Birdc.announcementsIn(show).get("web-1")).containsOnlyKeys(dev.anyloop.net.Family.V4);
        assertThat(Birdc.announcementsIn(HEADER + "announce..v4 Static master4 up 22:10:01.123\n")).isEmpty();
    }

    @Test
    void noAnnounceProtocolsNoServices() {
        assertThat(Birdc.announcedIn("No protocols match\n")).isEmpty();
        assertThat(Birdc.announcedIn("")).isEmpty();
        assertThat(Birdc.announcedIn(HEADER + "announcement Static master4 up 22:10:01.123\n")).isEmpty();
    }

    /** A BIRD that does not answer is an error (watch refuses to start, or logs read-failed), not "no announcements". */
    @Test
    void aBirdThatDoesNotAnswerIsAnError() {
        Birdc b = new Birdc(new CommandRunner(), java.util.Optional.empty(), java.nio.file.Path.of("/nonexistent/anyloop-birdc-test.ctl"));
        org.assertj.core.api.Assertions.assertThatThrownBy(b::announcements).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/nonexistent/anyloop-birdc-test.ctl");
    }

    @Test
    void describeNamesTheSocketAndNamespace() {
        Birdc b = new Birdc(new CommandRunner(), java.util.Optional.of("al-x-dns-a1"), java.nio.file.Path.of("/run/x/dns-a1.ctl"));
        assertThat(b.describe()).isEqualTo("BIRD at /run/x/dns-a1.ctl (netns al-x-dns-a1)");
    }
}
