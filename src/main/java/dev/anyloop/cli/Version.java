package dev.anyloop.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code anyloop --version}: the Maven version and the git commit, both written into version.properties at build time. */
public final class Version implements IVersionProvider {
    static final String UNKNOWN = "unknown";

    /** The version as built, e.g. "0.1.0-SNAPSHOT". */
    public static String version() { return read().getProperty("version", UNKNOWN); }

    /** The abbreviated commit the jar was built from, or "unknown" when it was built outside a git checkout. */
    public static String commit() { return read().getProperty("commit", UNKNOWN); }

    @Override
    public String[] getVersion() {
        return new String[] {"anyloop " + version() + " (commit " + commit() + ")"};
    }

    private static Properties read() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties from the jar", e);
        }
        // An unfiltered placeholder (a build that skipped resource filtering) is no version.
        p.stringPropertyNames().forEach(k -> {
            if (p.getProperty(k).startsWith("${")) p.setProperty(k, UNKNOWN);
        });
        return p;
    }
}
