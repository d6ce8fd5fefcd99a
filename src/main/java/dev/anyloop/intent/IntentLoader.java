package dev.anyloop.intent;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Loads and validates network.yaml (docs/network-yaml.md) into an {@link Intent}, or throws a
 * {@link ConfigException} listing every error found, each as "file:line:col: message".
 */
public final class IntentLoader {
    private static final Node ABSENT = new ScalarNode(Tag.NULL, "", org.snakeyaml.engine.v2.common.ScalarStyle.PLAIN);

    private IntentLoader() { }

    /** Reads {@code file}; diagnostics name the file as given. */
    public static Intent load(Path file) throws ConfigException {
        String name = file.toString();
        byte[] content;
        try {
            if (Files.size(file) > YamlInput.MAX_BYTES) {
                throw fail(name, 0, "file is " + Files.size(file) + " bytes, over the limit of " + YamlInput.MAX_BYTES + " bytes");
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw fail(name, 0, "cannot read file: no such file");
        } catch (AccessDeniedException e) {
            throw fail(name, 0, "cannot read file: permission denied");
        } catch (IOException e) {
            throw fail(name, 0, "cannot read file: " + (Files.isDirectory(file) ? "it is a directory" : e.getMessage()));
        }
        return parse(name, content);
    }

    /** Parses and validates {@code content}; {@code fileName} is only used in diagnostics and {@link Intent#file()}. */
    public static Intent parse(String fileName, byte[] content) throws ConfigException {
        Problems problems = new Problems(fileName);
        Optional<Node> root = YamlInput.read(content, problems);
        if (root.isEmpty()) throw problems.exception();
        Optional<Fields> top = Fields.of(problems, root.get(), "", "", Section.NETWORK);
        if (top.isEmpty()) throw problems.exception();
        Fields f = top.get();
        f.required("hosts");
        HostReader hosts = new HostReader(problems);
        ServiceReader services = new ServiceReader(problems);
        var serviceDefs = services.services(f.get("services").orElse(ABSENT));
        Intent intent = new Intent(fileName,
                hosts.segments(f.get("segments").orElse(ABSENT)),
                hosts.hosts(f.get("hosts").orElse(ABSENT)),
                serviceDefs,
                services.sources(f.get("source-addresses").orElse(ABSENT)),
                services.expectations(f.get("expect").orElse(ABSENT)),
                f.get("health").flatMap(n -> new HealthReader(problems).health(n, serviceDefs)));
        BgpReader.Raw bgp = new BgpReader(problems).read(f.get("bgp"));
        // BGP first: which services BGP announces instead of static routes decides the routes the validator
        // derives (ServicePaths), what it checks source addresses against and which probe paths health needs
        intent = intent.withBgp(new BgpResolver(intent, bgp, problems).resolve());
        List<Diagnostic> warnings = new Validator(intent, problems).run();
        new HealthChecks(intent, problems).run();
        if (problems.any()) throw problems.exception();
        return intent.withWarnings(warnings);
    }

    private static ConfigException fail(String file, int line, String message) {
        return new ConfigException(List.of(new Diagnostic(new Pos(file, line, 0), message)));
    }
}
