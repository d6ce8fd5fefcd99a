package dev.anyloop.os;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Several commands run on a target by one POSIX {@code sh} process, each one's output framed so that it
 * comes back apart: one process start (one {@code nsenter}, one SSH round trip) instead of one per command.
 * The script text is built here from quoted words only ({@link Shell#quote}); the frame marker carries a
 * random nonce, so no command output can fake a frame.
 */
public final class HostScript {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The script after the prelude, one line per section. */
    private final List<String> body = new ArrayList<>();
    private final java.util.Set<String> steps = new java.util.LinkedHashSet<>();

    /** What one section gave: its stdout (stdout and stderr for a step), its exit code, or that its tool is missing. */
    public record Output(String name, String out, int exit, boolean missing) {
        public boolean ok() { return !missing && exit == 0; }
    }

    /** Every section's output in script order, the script's own stderr and exit code, and which sections were steps. */
    public record Result(Map<String, Output> sections, String err, int exit, java.util.Set<String> steps) {
        public Optional<Output> section(String name) { return Optional.ofNullable(sections.get(name)); }

        /** The first step that failed, if one did (the script stops there); a step that never ran after it is not one. */
        public Optional<Output> failedStep() {
            return sections.values().stream().filter(o -> steps.contains(o.name()) && o.exit() != 0).findFirst();
        }
    }

    /** Captures {@code argv}'s stdout as section {@code name}; stderr goes to the script's stderr. */
    public HostScript capture(String name, List<String> argv) {
        body.add("_c " + checkName(name) + " " + Shell.words(argv));
        return this;
    }

    /** As {@link #capture}, but only when {@code tool} is installed; otherwise the section says it is missing. */
    public HostScript captureIf(String tool, String name, List<String> argv) {
        checkName(name);
        body.add("if command -v " + Shell.quote(checkName(tool)) + " >/dev/null 2>&1; then _c " + name + " " + Shell.words(argv)
                + "; else _m " + name + "; fi");
        return this;
    }

    /**
     * A step that changes the target: its stdout and stderr are its section, stdin comes from
     * {@code stdinFile} on the target if given, and a failing step ends the script (later sections do not run).
     */
    public HostScript step(String name, List<String> argv, Optional<String> stdinFile) {
        steps.add(checkName(name));
        body.add("_s " + name + " " + Shell.quote(stdinFile.orElse("/dev/null")) + " " + Shell.words(argv));
        return this;
    }

    /** Says which of {@code tools} are not installed: section "tool-NAME" is missing for each one. */
    public HostScript tools(List<String> tools) {
        for (String t : tools) body.add("command -v " + Shell.quote(checkName(t)) + " >/dev/null 2>&1 || _m " + checkName("tool-" + t));
        return this;
    }

    /** A command run between sections, its output discarded (a test pause, a marker file). */
    public HostScript plain(List<String> argv) {
        body.add(Shell.words(argv) + " </dev/null >/dev/null 2>&1");
        return this;
    }

    public boolean isEmpty() { return body.isEmpty(); }

    /** The script: a fixed prelude (the frame functions), then one line per section. The marker is its first argument. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("# anyloop: commands framed by the marker in $1; a failing step stops the script\n");
        sb.append("M=$1\n");
        sb.append("_c() { _n=$1; shift; printf '%s begin %s\\n' \"$M\" \"$_n\"; \"$@\" </dev/null; _r=$?; printf '\\n%s end %s %d\\n' \"$M\" \"$_n\" \"$_r\"; }\n");
        sb.append("_m() { printf '%s missing %s\\n' \"$M\" \"$1\"; }\n");
        sb.append("_s() { _n=$1; _i=$2; shift 2; printf '%s begin %s\\n' \"$M\" \"$_n\"; \"$@\" <\"$_i\" 2>&1; _r=$?; "
                + "printf '\\n%s end %s %d\\n' \"$M\" \"$_n\" \"$_r\"; [ \"$_r\" -eq 0 ] || exit 0; }\n");
        for (String line : body) sb.append(line).append('\n');
        return sb.toString();
    }

    /** Runs the script on {@code target} ({@code sh -s MARKER}, the script on stdin) and takes its output apart. */
    public Result run(Target target, Duration timeout) {
        String marker = "@@anyloop-" + HexFormat.of().formatHex(bytes());
        CommandRunner.Result r = target.run(List.of("sh", "-s", marker), Optional.of(text()), timeout);
        if (r.exit() == 127 && r.out().isEmpty()) {
            throw new CommandRunner.CommandFailedException(r);
        }
        return parse(marker, r.out(), r.err(), r.exit(), steps);
    }

    private static byte[] bytes() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Splits framed output into sections; text outside frames is ignored. */
    static Result parse(String marker, String out, String err, int exit, java.util.Set<String> steps) {
        Map<String, Output> sections = new LinkedHashMap<>();
        String begin = marker + " begin ";
        String end = marker + " end ";
        String missing = marker + " missing ";
        int i = 0;
        while (i < out.length()) {
            int nl = out.indexOf('\n', i);
            String line = out.substring(i, nl < 0 ? out.length() : nl);
            int next = nl < 0 ? out.length() : nl + 1;
            if (line.startsWith(missing)) {
                String name = line.substring(missing.length());
                sections.put(name, new Output(name, "", 127, true));
            } else if (line.startsWith(begin)) {
                String name = line.substring(begin.length());
                int close = out.indexOf("\n" + end + name + " ", next - 1);
                if (close < 0) {
                    // the script was cut short inside this section (killed, timed out): what came is all there is
                    sections.put(name, new Output(name, out.substring(next), exit == 0 ? -1 : exit, false));
                    break;
                }
                String body = out.substring(next, Math.max(next, close));
                int codeStart = close + 1 + end.length() + name.length() + 1;
                int codeEnd = out.indexOf('\n', codeStart);
                String code = out.substring(codeStart, codeEnd < 0 ? out.length() : codeEnd).strip();
                sections.put(name, new Output(name, body, Integer.parseInt(code), false));
                next = codeEnd < 0 ? out.length() : codeEnd + 1;
            }
            i = next;
        }
        return new Result(sections, err, exit, java.util.Set.copyOf(steps));
    }

    private static String checkName(String name) {
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("Invalid section name '" + name + "'");
        return name;
    }
}
