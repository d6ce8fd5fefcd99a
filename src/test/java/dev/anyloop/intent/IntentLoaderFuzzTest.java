package dev.anyloop.intent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Whatever the bytes, the loader answers with an Intent or a ConfigException: never another exception. */
class IntentLoaderFuzzTest {
    private static final byte[] GOOD;

    static {
        try {
            GOOD = IntentLoaderErrorsTest.resource("good/full.yaml");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Provide
    Arbitrary<Byte> yamlByte() {
        return Arbitraries.of((byte) ':', (byte) '-', (byte) '[', (byte) ']', (byte) '{', (byte) '}', (byte) ' ',
                (byte) '\n', (byte) '&', (byte) '*', (byte) '"', (byte) '/', (byte) '0', (byte) 'x', (byte) 0xff, (byte) '#');
    }

    @Property(tries = 200)
    void mutatedConfigNeverCrashes(@ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll("yamlByte") byte b,
                                   @ForAll @IntRange(min = 0, max = 10_000) int where2, @ForAll("yamlByte") byte b2) {
        byte[] content = GOOD.clone();
        content[where % content.length] = b;
        content[where2 % content.length] = b2;
        try {
            IntentLoader.parse("fuzz.yaml", content);
        } catch (ConfigException e) {
            assertThat(e.diagnostics()).isNotEmpty();
            assertThat(e.getMessage()).doesNotContain("null");
            e.diagnostics().forEach(d -> assertThat(d.pos().file()).isEqualTo("fuzz.yaml"));
        }
    }
}
