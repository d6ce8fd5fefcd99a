package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** packaging/anyloop-watch@.service starts a watch command line that anyloop parses, and reloads with SIGHUP. */
class WatchUnitFileTest {
    @Test
    void execStartIsAValidWatchCommandLine() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("packaging/anyloop-watch@.service"));
        String exec = lines.stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
        String[] argv = exec.replace("%i", "router").split(" ");
        assertThat(argv[0]).isEqualTo("/usr/bin/anyloop");
        CommandLine cl = Main.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(java.io.Writer.nullWriter()));
        CommandLine.ParseResult r = cl.parseArgs(Arrays.copyOfRange(argv, 1, argv.length));
        CommandLine.ParseResult watch = r.subcommand();
        assertThat(watch.commandSpec().name()).isEqualTo("watch");
        assertThat(watch.matchedOptionValue("--host", "")).isEqualTo("router");
        assertThat(watch.matchedOption("--metrics")).isNotNull();
        assertThat(lines).contains("ExecReload=/bin/kill -HUP $MAINPID", "Restart=always");
    }
}
