package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** --version names the Maven version and the commit the build read from git (never a hard-coded string). */
class VersionTest {
    @Test
    void versionNamesTheProjectVersionAndTheCheckedOutCommit() throws IOException, InterruptedException {
        Cli v = Cli.run("--version");
        assertThat(v.exit()).isZero();
        // The test runs in the checkout that was built: the commit there is HEAD, as git prints it.
        Process git = new ProcessBuilder("git", "rev-parse", "--short=7", "HEAD").redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes()).trim();
        boolean inGit = git.waitFor() == 0;
        String expected = "anyloop " + System.getProperty("anyloop.project.version") + " (commit " + (inGit ? head : "unknown") + ")";
        assertThat(v.out().trim()).isEqualTo(expected);
    }
}
