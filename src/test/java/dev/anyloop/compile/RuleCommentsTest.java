package dev.anyloop.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.net.Family;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.snapshot.IptablesSaveParser;
import dev.anyloop.state.Chain;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rule of anyloop's chains, and every jump into one, names its service, segment or host in a comment written
 * from the provenance the compiler recorded for it; the comment survives iptables-save's text.
 */
class RuleCommentsTest {
    @ParameterizedTest
    @ValueSource(strings = {"home", "campus", "office"})
    void everyRuleOfAnyloopsChainsSaysWhoseItIs(String example) throws Exception {
        Intent intent = IntentLoader.load(Path.of("examples", example + ".yaml"));
        Compiled c = Compiler.compiled(intent);
        int checked = 0;
        for (DeviceState d : c.network().hosts().values()) {
            for (Family f : Family.values()) {
                for (Table t : d.netfilter(f).tables()) {
                    for (Chain ch : t.chains()) {
                        for (int i = 0; i < ch.rules().size(); i++) {
                            Rule r = ch.rules().get(i);
                            boolean ours = ch.name().startsWith("AL-") || jumpsToOurs(r);
                            if (!ours) continue;
                            var why = c.provenance().rule(d.host(), f, t.name(), ch.name(), i + 1);
                            assertThat(why).as(d.host() + " " + t.name() + " " + ch.name() + " rule " + (i + 1)).isPresent();
                            assertThat(r.comment()).contains(why.get().comment());
                            assertThat(why.get().comment()).startsWith("anyloop ").containsAnyOf("service ", "segment ", "host ");
                            checked++;
                        }
                    }
                }
                // the comment is in the rendered rules and read back by the snapshot's parser
                if (!d.netfilter(f).isEmpty()) {
                    String text = IptablesRenderer.render(d.netfilter(f));
                    assertThat(IptablesSaveParser.parse(d.host() + ".rules", text, f)).isEqualTo(d.netfilter(f));
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    private static boolean jumpsToOurs(Rule r) {
        Target t = r.target();
        return t instanceof Target.Jump && ((Target.Jump) t).chain().startsWith("AL-");
    }
}
