package dev.anyloop.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Golden files for renderers and compilers: {@code src/test/resources/golden/<case>/<host>.<ext>},
 * compared byte for byte with what the code produces now.
 *
 * <p>To refresh them after an intended change, run the tests with the update flag, then read the diff:
 * <pre>
 *   mvn -B -q test -Danyloop.golden.update=true -Dtest='GoldenRenderTest'
 *   git diff src/test/resources/golden
 * </pre>
 * With the flag set, every {@code assertMatches} rewrites its file instead of comparing (and passes);
 * without it, a missing file fails with this same hint. Paths are relative to the module directory,
 * which is the working directory surefire runs tests in.
 */
public final class Golden {
    private Golden() { }

    /** The system property that turns comparing into rewriting. */
    public static final String UPDATE_PROPERTY = "anyloop.golden.update";
    public static final Path ROOT = Path.of("src", "test", "resources", "golden");

    public static boolean updating() { return Boolean.getBoolean(UPDATE_PROPERTY); }

    public static Path path(String caseName, String host, String ext) {
        return ROOT.resolve(caseName).resolve(host + "." + ext);
    }

    /** Compares {@code actual} with the golden file of {@code caseName}/{@code host}.{@code ext} (or rewrites it). */
    public static void assertMatches(String caseName, String host, String ext, String actual) {
        Path p = path(caseName, host, ext);
        try {
            if (updating()) {
                Files.createDirectories(p.getParent());
                Files.writeString(p, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(p)) {
                fail("golden file " + p + " does not exist; create it with mvn test -D" + UPDATE_PROPERTY + "=true");
            }
            String expected = Files.readString(p, StandardCharsets.UTF_8);
            assertThat(actual).as("output differs from golden file %s (refresh with -D%s=true, then review git diff)",
                    p, UPDATE_PROPERTY).isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Several files as one golden: each under a "==> NAME <==" header, in the map's order. */
    public static void assertMatches(String caseName, String host, String ext, Map<String, String> files) {
        assertMatches(caseName, host, ext, join(files));
    }

    public static String join(Map<String, String> files) {
        StringBuilder sb = new StringBuilder();
        files.forEach((name, content) -> sb.append("==> ").append(name).append(" <==\n").append(content).append('\n'));
        return sb.toString();
    }
}
