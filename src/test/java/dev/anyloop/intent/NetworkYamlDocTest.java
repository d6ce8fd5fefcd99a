package dev.anyloop.intent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * docs/network-yaml.md's reference block (its first {@code yaml} block) against {@link Section}: walked as the loader
 * walks a file, every mapping holds exactly the keys its Section lists, so the reference shows every key where it
 * belongs and no key the loader would refuse.
 */
class NetworkYamlDocTest {
    private static final Path DOC = Path.of("docs/network-yaml.md");

    static String referenceBlock() throws IOException {
        String md = Files.readString(DOC, StandardCharsets.UTF_8);
        int start = md.indexOf("```yaml\n");
        assertThat(start).as("%s has a ```yaml block", DOC).isNotNegative();
        int from = start + "```yaml\n".length();
        return md.substring(from, md.indexOf("\n```", from));
    }

    @Test
    void theReferenceBlockShowsEveryKeyOfEverySectionInItsPlace() throws IOException {
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(referenceBlock());
        Map<Section, Set<String>> seen = new EnumMap<>(Section.class);
        for (Section s : Section.values()) seen.put(s, new LinkedHashSet<>());
        Map<?, ?> top = (Map<?, ?>) doc;
        keys(seen, Section.NETWORK, top);
        for (Object seg : values(top.get("segments"))) keys(seen, Section.SEGMENT, seg);
        for (Object host : values(top.get("hosts"))) {
            keys(seen, Section.HOST, host);
            for (Object itf : values(((Map<?, ?>) host).get("interfaces"))) keys(seen, Section.INTERFACE, itf);
            for (Object route : items(((Map<?, ?>) host).get("routes"))) keys(seen, Section.ROUTE, route);
        }
        for (Object svc : values(top.get("services"))) {
            keys(seen, Section.SERVICE, svc);
            Map<?, ?> m = (Map<?, ?>) svc;
            if (m.get("allow") != null) keys(seen, Section.ALLOW, m.get("allow"));
            if (m.get("docker") != null) keys(seen, Section.DOCKER, m.get("docker"));
        }
        for (Object src : items(top.get("source-addresses"))) keys(seen, Section.SOURCE, src);
        for (Object e : items(top.get("expect"))) keys(seen, Section.EXPECT, e);
        for (Section s : Section.values()) {
            assertThat(seen.get(s)).as("keys of %s in the reference block of %s", s, DOC).containsExactlyInAnyOrderElementsOf(s.keys());
        }
    }

    private static void keys(Map<Section, Set<String>> seen, Section s, Object mapping) {
        assertThat(mapping).as("a %s in the reference block is a mapping", s).isInstanceOf(Map.class);
        for (Object k : ((Map<?, ?>) mapping).keySet()) seen.get(s).add(String.valueOf(k));
    }

    private static Iterable<?> values(Object mapping) {
        return mapping == null ? List.of() : ((Map<?, ?>) mapping).values();
    }

    private static Iterable<?> items(Object list) {
        return list == null ? List.of() : (List<?>) list;
    }
}
