package dev.anyloop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The failover benchmark's client: its query is a well-formed DNS message and it reads dnsmasq's TXT answer. */
class DnsProberTest {
    @Test
    void queryAndAnswer() {
        byte[] q = DnsProber.query(0x1234);
        // id, flags RD, 1 question; whoami.anyloop; TXT IN
        assertThat(q).startsWith(0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 6, 'w', 'h', 'o', 'a', 'm', 'i', 7);
        assertThat(q).endsWith(0, 0, 16, 0, 1);

        ByteBuffer r = ByteBuffer.allocate(q.length + 12 + 1 + 6);
        r.put(q).put(2, (byte) 0x85).put(3, (byte) 0x80).putShort(6, (short) 1);  // response, one answer
        r.putShort((short) 0xc00c).putShort((short) 16).putShort((short) 1).putInt(0).putShort((short) 7);
        r.put((byte) 6).put("dns-a2".getBytes(StandardCharsets.US_ASCII));
        r.flip();
        assertThat(DnsProber.txt(r)).isEqualTo("dns-a2");

        ByteBuffer refused = ByteBuffer.wrap(q.clone());
        assertThat(DnsProber.txt(refused)).isEmpty();
    }
}
