package dev.anyloop.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.256|octet 256 is over 255",
        "10.0.0|expected four dot-separated octets, found 3",
        "10.0.0.01|octet '01' has a leading zero",
        "10.0..1|empty octet",
        "10.0.0.x|'x' is not a decimal octet",
        "1::2::3|'::' appears more than once",
        "1:2:3:4:5:6:7|expected 8 groups, found 7",
        "fe80::1%eth0|zone ids are not allowed",
        "12345::|group '12345' has more than 4 hex digits",
        "::g|'g' is not a hex group",
    })
    void rejectsWithReason(String text, String reason) {
        assertThatThrownBy(() -> Ip.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'").hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0,0.0.0.0", "255.255.255.255,255.255.255.255", "::,::", "::1,::1",
        "2001:DB8:0:0:0:0:0:1,2001:db8::1", "2001:db8:0:0:1:0:0:1,2001:db8::1:0:0:1",
        "fd00:1:0:0:0:0:0:0,fd00:1::", "0:0:0:0:0:ffff:c000:201,::ffff:192.0.2.1", "1:0:2:0:3:0:4:0,1:0:2:0:3:0:4:0",
        "::ffff:10.1.2.3,::ffff:10.1.2.3", "2001:db8::,2001:db8::",
    })
    void canonicalText(String in, String out) {
        assertThat(Ip.parse(in).toString()).isEqualTo(out);
        assertThat(Ip.parse(out)).isEqualTo(Ip.parse(in));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.5/24|host bits are set (the network is 10.0.0.0/24)",
        "10.0.0.0/33|length /33 is over /32 for ipv4",
        "fd00::/129|length /129 is over /128 for ipv6",
        "10.0.0.0/x|length 'x' is not a number",
    })
    void prefixRejects(String text, String reason) {
        assertThatThrownBy(() -> Prefix.parse(text)).hasMessageContaining(reason).hasMessageContaining(text);
    }

    @org.junit.jupiter.api.Test
    void prefixContains() {
        Prefix p = Prefix.parse("192.168.1.0/24");
        assertThat(p.contains(Ip.parse("192.168.1.77"))).isTrue();
        assertThat(p.contains(Ip.parse("192.168.2.1"))).isFalse();
        assertThat(p.contains(Ip.parse("fd00::1"))).isFalse();
        assertThat(Prefix.containing(Ip.parse("10.0.0.5"), 24)).isEqualTo(Prefix.parse("10.0.0.0/24"));
        assertThat(Prefix.parse("fd00:1::/64").contains(Prefix.parse("fd00:1::5/128"))).isTrue();
        assertThat(Prefix.parse("0.0.0.0/0").contains(Ip.parse("1.2.3.4"))).isTrue();
    }

    /** tryParse's one-pass IPv4 reader accepts exactly what parse's octet-by-octet checks accept. */
    @Property(tries = 3000)
    void tryParseAgreesWithParseOnDotsAndDigits(@ForAll @StringLength(max = 17) @CharRange(from = '0', to = '9') @CharRange(from = '.', to = '.')
            @CharRange(from = 'x', to = 'x') String text) {
        Optional<Ip> strict;
        try {
            strict = Optional.of(Ip.parse(text));
        } catch (IllegalArgumentException e) {
            strict = Optional.empty();
        }
        assertThat(Ip.tryParse(text)).isEqualTo(strict);
    }

    @Property(tries = 2000)
    void everyDottedQuadReadsAsItsValue(@ForAll @IntRange(max = 255) int a, @ForAll @IntRange(max = 255) int b,
                                        @ForAll @IntRange(max = 255) int c, @ForAll @IntRange(max = 255) int d) {
        String text = a + "." + b + "." + c + "." + d;
        assertThat(Ip.parse(text).toString()).isEqualTo(text);
        assertThat(Ip.tryParse(text)).contains(Ip.parse(text));
        assertThat(Ip.tryParse("0" + text)).as("a leading zero or a fourth digit").isEmpty();
    }
}
