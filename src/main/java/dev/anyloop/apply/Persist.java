package dev.anyloop.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.os.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code apply --persist}: keeps the network.yaml that was applied (and the host and backend it was applied
 * for) in the target's state folder, and installs a systemd unit that applies it again at boot, once the
 * network is up: packaging/anyloop-apply.service, with ExecStart and ConditionPathExists written for this
 * target and state folder. {@code apply --persisted} is what that unit runs.
 */
public final class Persist {
    /** The unit for this host; a namespace gets its own ({@code anyloop-apply-netns-NS.service}). */
    public static final String UNIT = "anyloop-apply.service";
    public static final Path UNIT_DIR = Path.of("/etc/systemd/system");
    /** Where a packaged anyloop lives; a checkout's launcher sets {@code anyloop.launcher} to itself instead. */
    public static final String PACKAGED = "/usr/bin/anyloop";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./-]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Persist() { }

    /** What was saved: the file's copy, the host it was applied for, the backend. */
    public record Saved(Path file, String host, Backend backend) { }

    static Path dir(Path stateDir) { return stateDir.resolve("persist"); }

    /** The unit file's name for {@code target}. */
    public static String unitName(Target target) {
        return target.id().equals("host") ? UNIT : "anyloop-apply-" + target.id() + ".service";
    }

    /**
     * The unit for a target: the packaged text with ExecStart naming {@code launcher} and {@code args} (which
     * select the target and state folder), and the condition on the saved file. systemd splits ExecStart at
     * blanks and expands '%' and '$', so only words of plain characters are written.
     */
    public static String unit(String launcher, List<String> args, Path saved) {
        List<String> words = new ArrayList<>(List.of(launcher, "apply", "--persisted"));
        words.addAll(args);
        for (String w : words) {
            if (!SAFE.matcher(w).matches()) throw new IllegalArgumentException("Invalid word '" + w + "' for the unit's ExecStart: only [A-Za-z0-9_./-]");
        }
        if (!SAFE.matcher(saved.toString()).matches()) throw new IllegalArgumentException("Invalid path '" + saved + "' for the unit");
        return "# Installed by 'anyloop apply --persist': applies the network.yaml that command saved again at boot, once the\n"
                + "# network is up (interface addresses and gateways are the host's network manager's; anyloop adds its part).\n"
                + "# anyloop rewrites ExecStart and ConditionPathExists when --netns or --state-dir were given.\n"
                + "[Unit]\n"
                + "Description=anyloop: apply the saved network.yaml again at boot\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target\n"
                + "ConditionPathExists=" + saved + "\n"
                + "\n"
                + "[Service]\n"
                + "Type=oneshot\n"
                + "ExecStart=" + String.join(" ", words) + "\n"
                + "RemainAfterExit=yes\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    /**
     * Saves {@code yaml} for {@code host} into the target's state folder {@code targetDir}, installs the unit
     * into {@code unitDir} and enables it (the multi-user.target.wants link {@code systemctl enable} makes;
     * where systemd runs, it is told to reload). Returns the unit's path.
     */
    public static Path install(Target target, Path targetDir, Path unitDir, String yaml, String host, Backend backend, String launcher,
                               List<String> args) {
        Path d = dir(targetDir);
        target.write(d.resolve("network.yaml"), yaml);
        target.write(d.resolve("apply.json"), "{\"host\": \"" + checked(host) + "\", \"backend\": \"" + backend.name().toLowerCase(java.util.Locale.ROOT) + "\"}\n");
        String name = unitName(target);
        Path unit = unitDir.resolve(name);
        target.write(unit, unit(launcher, args, d.resolve("network.yaml")));
        Path wants = unitDir.resolve("multi-user.target.wants");
        target.run(List.of("mkdir", "-p", wants.toString()), Optional.empty(), Duration.ofSeconds(10)).orThrow();
        target.run(List.of("ln", "-sfn", unit.toString(), wants.resolve(name).toString()), Optional.empty(), Duration.ofSeconds(10)).orThrow();
        if (target.list(Path.of("/run/systemd/system")).size() > 0 && unitDir.equals(UNIT_DIR)) {
            target.run(List.of("systemctl", "daemon-reload"), Optional.empty(), Duration.ofSeconds(30));
        }
        return unit;
    }

    /** What {@link #install} saved for the target whose state folder is {@code targetDir}, if anything. */
    public static Optional<Saved> load(Target target, Path targetDir) throws ApplyException {
        Path d = dir(targetDir);
        Optional<String> args = target.read(d.resolve("apply.json"));
        if (args.isEmpty() || target.read(d.resolve("network.yaml")).isEmpty()) return Optional.empty();
        try {
            JsonNode o = JSON.readTree(args.get());
            return Optional.of(new Saved(d.resolve("network.yaml"), checked(o.get("host").asText()),
                    Backend.valueOf(o.get("backend").asText().toUpperCase(java.util.Locale.ROOT))));
        } catch (Exception e) {
            throw new ApplyException(2, d.resolve("apply.json") + " is corrupt (" + e.getMessage() + "); run 'anyloop apply --persist' again");
        }
    }

    private static String checked(String host) {
        if (!host.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("Invalid host name '" + host + "'");
        return host;
    }
}
