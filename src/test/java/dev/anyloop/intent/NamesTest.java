package dev.anyloop.intent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {
    @ParameterizedTest
    @CsvSource({"adresses,addresses,1", "adrdess,address,1", "pi3,pi2,1", "servics,services,1", "abc,abc,0",
            "ab,ba,1", "kitten,sitting,3", "'',abc,3"})
    void distance(String a, String b, int d) {
        assertThat(Names.distance(a, b)).isEqualTo(d);
        assertThat(Names.distance(b, a)).isEqualTo(d);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "adresses|addresses", "rp-filtr|rp-filter", "lna|lan", "wbe|web", "completely-different|", "x|"})
    void closest(String word, String expected) {
        List<String> candidates = List.of("addresses", "rp-filter", "lan", "web", "wan-uplink");
        assertThat(Names.closest(word, candidates).orElse(null)).isEqualTo(expected);
    }

    @Property(tries = 300)
    void safeInterfaceNamesAreAccepted(@ForAll @StringLength(min = 1, max = 15) @AlphaChars @NumericChars
                                       @Chars({'_', '-'}) String name) {
        assertThat(Names.checkInterface(name)).isEmpty();
    }

    @Property(tries = 300)
    void longInterfaceNamesAreRefused(@ForAll @StringLength(min = 16, max = 40) @CharRange(from = 'a', to = 'z') String name) {
        assertThat(Names.checkInterface(name)).hasValue("interface name '" + name + "' is " + name.getBytes(StandardCharsets.UTF_8).length
                + " bytes long, over Linux's limit of 15");
    }

    @Property(tries = 200)
    void multiByteCharactersCountAsBytes(@ForAll @StringLength(14) @CharRange(from = 'a', to = 'z') String name) {
        // 15 characters but 16 bytes: "é" is two bytes in UTF-8, and IFNAMSIZ counts bytes
        assertThat(Names.checkInterface(name + "é")).hasValue("interface name '" + name + "é' is 16 bytes long, over Linux's limit of 15");
    }
}
