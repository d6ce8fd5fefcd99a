package dev.anyloop.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code comment:} on hosts and services: free text kept as written; anything but one value is an error with its place. */
class CommentKeyTest {
    static Intent parse(String yaml) throws ConfigException {
        return IntentLoader.parse("c.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void commentsAreKeptAsWritten() throws ConfigException {
        Intent i = parse("hosts:\n  a:\n    comment: \"<b>the & router</b>\"\nservices:\n  s:\n    comment: blog\n"
                + "    addresses: [10.0.0.1]\n    hosts: [a]\n");
        assertThat(i.hosts().get("a").comment()).contains("<b>the & router</b>");
        assertThat(i.services().get("s").comment()).contains("blog");
        assertThat(parse("hosts:\n  a: {}\n").hosts().get("a").comment()).isEmpty();
    }

    @Test
    void aCommentThatIsAListIsRefusedWithItsPlace() {
        assertThatThrownBy(() -> parse("hosts:\n  a:\n    comment: [x, y]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("c.yaml:3:14: host a: comment: expected a single value, got a list");
    }
}
