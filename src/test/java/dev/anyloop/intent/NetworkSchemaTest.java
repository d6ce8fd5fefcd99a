package dev.anyloop.intent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * schema/network.schema.json against the loader: the same keys in every mapping ({@link Section}), every file the
 * loader accepts validates, every file it refuses for a reason the schema can see is refused by the schema too,
 * and the schema's address patterns accept exactly what {@link Ip} and {@link Prefix} parse.
 */
class NetworkSchemaTest {
    static final Path SCHEMA = Path.of("schema/network.schema.json");
    static final String MODELINE = "# yaml-language-server: $schema=../schema/network.schema.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema VALIDATOR = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(read(SCHEMA), InputFormat.JSON);

    /** Loader messages about one value or one mapping's keys: what a JSON Schema can see without the whole file. */
    private static final List<String> SCHEMA_VISIBLE = List.of("unknown key", "missing key", "expected a mapping",
            "expected a list", "expected a single value", "expected true or false", "expected an integer", "is not one of",
            "the list is empty", "is invalid: use a lower-case letter", "characters long, over the limit", "Invalid IP",
            "invalid IP", "invalid port", "must be a single address", "YAML syntax error");

    @ParameterizedTest
    @EnumSource(Section.class)
    void everySectionOfTheLoaderIsASchemaObjectWithExactlyItsKeys(Section section) throws IOException {
        JsonNode schema = JSON.readTree(SCHEMA.toFile());
        JsonNode object = section == Section.NETWORK ? schema : schema.path("$defs").path(section.name().toLowerCase(Locale.ROOT));
        assertThat(object.isMissingNode()).as("schema has no $defs/%s for the loader's Section.%s",
                section.name().toLowerCase(Locale.ROOT), section).isFalse();
        Set<String> properties = new LinkedHashSet<>();
        object.path("properties").fieldNames().forEachRemaining(properties::add);
        Set<String> missing = new LinkedHashSet<>(section.keys());
        missing.removeAll(properties);
        Set<String> extra = new LinkedHashSet<>(properties);
        extra.removeAll(section.keys());
        assertThat(missing).as("keys the loader accepts in %s that the schema lacks", section).isEmpty();
        assertThat(extra).as("keys the schema allows in %s that the loader refuses", section).isEmpty();
        assertThat(object.path("additionalProperties").asBoolean(true)).as("%s refuses unknown keys", section).isFalse();
    }

    static Stream<Path> yamlFiles() throws IOException {
        List<Path> all = new ArrayList<>();
        for (Path root : List.of(Path.of("examples"), Path.of("src/test/resources"))) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().forEach(all::add);
            }
        }
        return all.stream();
    }

    /** Every example and test file: accepted by the loader means valid; refused for a schema-visible reason means invalid. */
    @ParameterizedTest
    @MethodSource("yamlFiles")
    void schemaAgreesWithTheLoader(Path file) throws IOException {
        Optional<List<String>> schemaErrors = schemaErrors(Files.readAllBytes(file));
        try {
            IntentLoader.load(file);
            assertThat(schemaErrors.orElse(List.of("not YAML the schema can read"))).as("%s loads, so it must validate", file)
                    .isEmpty();
        } catch (ConfigException e) {
            List<String> visible = e.diagnostics().stream().map(Diagnostic::toString)
                    .filter(d -> SCHEMA_VISIBLE.stream().anyMatch(d::contains)).toList();
            if (!visible.isEmpty()) {
                assertThat(schemaErrors.map(List::isEmpty).orElse(false))
                        .as("%s is refused by the loader for %s, so the schema must refuse it too", file, visible).isFalse();
            }
        }
    }

    @Test
    void theBadFilesIncludeSchemaErrorsThatTheSchemaRefuses() throws IOException {
        // Guards the test above against passing vacuously: these are refused by value or key, not by reference.
        for (String bad : List.of("unknown-key-adresses", "forwarding-yes", "address-octet-256", "port-zero", "hosts-is-list",
                "metric-not-integer", "rp-filter-word", "host-name-upper", "iface-slash", "route-missing-to")) {
            byte[] content = Files.readAllBytes(Path.of("src/test/resources/bad/" + bad + ".yaml"));
            assertThat(schemaErrors(content)).as(bad).isPresent().get().asList().isNotEmpty();
        }
    }

    @Test
    void examplesStartWithTheModelineEditorsRead() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("examples"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                assertThat(Files.readAllLines(p, StandardCharsets.UTF_8).get(0)).as(p.toString()).isEqualTo(MODELINE);
            }
        }
        assertThat(Files.exists(Path.of("examples").resolve(MODELINE.substring(MODELINE.indexOf('=') + 1)))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "0.0.0.0", "255.255.255.255", "256.0.0.1", "010.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3",
        "::", "::1", "fd00:1::1", "2001:db8::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1::2::3", "::ffff:10.0.0.1",
        "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0", "12345::", "g::1", ":1", "1:", "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8", "1::3:4:5:6:7:8", ""})
    void addressPatternAcceptsWhatIpParses(String text) {
        assertThat(matches("ip", text)).as(text).isEqualTo(Ip.tryParse(text).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "10.0.0.0/08", "10.0.0.0/008", "10.0.0.0/33", "10.0.0.0/", "10.0.0.5", "0.0.0.0/0",
        "fd00::/64", "fd00::/128", "fd00::/129", "fd00::/0128", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0.0/24/1"})
    void prefixPatternsAcceptWhatTheParsersReadAsAddressAndLength(String text) {
        // host bits are the Validator's business (the whole value), so the pattern is compared with InterfaceAddress
        assertThat(matches("interfaceAddress", text)).as(text).isEqualTo(InterfaceAddress.tryParse(text).isPresent());
        assertThat(matches("prefix", text)).as(text).isEqualTo(InterfaceAddress.tryParse(text).isPresent());
        if (Prefix.tryParse(text).isPresent()) assertThat(matches("prefix", text)).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "10.0.0.1/32", "10.0.0.0/24", "fd00::1", "fd00::1/128", "fd00::/64", "10.0.0.1/032"})
    void hostAddressPatternAcceptsWhatServiceAddressesAccept(String text) {
        boolean service;
        try {
            ServiceReader.serviceAddress(text);
            service = true;
        } catch (IllegalArgumentException e) {
            service = false;
        }
        assertThat(matches("hostAddress", text)).as(text).isEqualTo(service);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp/80", "udp/53", "tcp/1", "tcp/65535", "tcp/65536", "tcp/0", "tcp/080", "icmp", "sctp/1", "tcp/", "tcp"})
    void portPatternsAcceptWhatServicesAndExpectationsAccept(String text) {
        assertThat(matches("port", text)).as(text).isEqualTo(accepts(() -> ServiceReader.port(text, false)));
        assertThat(matches("expectPort", text)).as(text).isEqualTo(accepts(() -> ServiceReader.port(text, true)));
    }

    /** The schema's errors for {@code content} read as YAML 1.2 (as the loader reads it), or empty when it is no YAML. */
    static Optional<List<String>> schemaErrors(byte[] content) {
        Object doc;
        try {
            LoadSettings settings = LoadSettings.builder().setSchema(new CoreSchema()).setAllowDuplicateKeys(true).build();
            Iterator<Object> docs = new Load(settings).loadAllFromString(new String(content, StandardCharsets.UTF_8)).iterator();
            doc = docs.hasNext() ? docs.next() : null;
            if (docs.hasNext()) return Optional.empty(); // two documents: no single instance to validate
        } catch (YamlEngineException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(VALIDATOR.validate(JSON.writeValueAsString(doc), InputFormat.JSON).stream()
                    .map(com.networknt.schema.Error::toString).toList());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean matches(String def, String text) {
        try {
            String pattern = JSON.readTree(SCHEMA.toFile()).path("$defs").path(def).path("pattern").asText();
            assertThat(pattern).as("$defs/%s/pattern", def).isNotEmpty();
            return Pattern.compile(pattern).matcher(text).find();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean accepts(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
