package dev.anyloop.docgen;

import dev.anyloop.cli.Main;
import dev.anyloop.cli.Version;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Build-time generator of the installed documentation, run by packaging/build-deb on the built jar:
 * {@code java -cp anyloop.jar dev.anyloop.docgen.DocGen OUT DATE docs/network-yaml.md} writes
 * OUT/man1/*.1, OUT/man5/network.yaml.5, OUT/bash/anyloop and OUT/zsh/_anyloop.
 */
public final class DocGen {
    private DocGen() { }

    /** The command tree the man pages and completions describe: the real one, subcommands added by any room included. */
    public static CommandSpec commandSpec() {
        return Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).getCommandSpec();
    }

    /** Every generated file, by its path under OUT. */
    public static Map<String, String> files(String date, String networkYamlMarkdown) {
        CommandSpec root = commandSpec();
        Map<String, String> out = new java.util.LinkedHashMap<>();
        ManPages.render(root, Version.version(), date).forEach((name, page) -> out.put("man1/" + name, page));
        out.put("man5/network.yaml.5", MarkdownMan.render(networkYamlMarkdown, "network.yaml", 5, Version.version(), date));
        out.put("bash/anyloop", Completion.bash(root));
        out.put("zsh/_anyloop", Completion.zsh(root));
        return out;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !args[1].matches("\\d{4}-\\d{2}-\\d{2}")) {
            System.err.println("usage: DocGen OUT_DIR YYYY-MM-DD NETWORK_YAML_MD");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        String md = Files.readString(Path.of(args[2]), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> f : files(args[1], md).entrySet()) {
            Path p = out.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
        }
    }
}
