package dev.anyloop.apply;

import dev.anyloop.os.Shell;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The confirm-or-rollback timer that runs on the target itself, independent of anyloop and of the session
 * that started it: a POSIX sh script, started detached, that waits for {@code armed} to disappear (confirm
 * renames it) and otherwise undoes the change with the undo files anyloop left beside it. It needs no
 * Java on the target. Every value in its text is quoted by {@link Shell#quote}. {@code mv} of {@code armed}
 * is one rename(2), so exactly one of timer and confirm wins.
 */
final class TimerScript {
    /** The files the timer finds in its folder. */
    static final String ARMED = "armed";
    static final String FIRING = "firing";
    static final String CONFIRMED = "confirmed";
    static final String ROLLED_BACK = "rolled-back";
    static final String PID = "timer.pid";
    /** A staged timer's limit, read every second, so that {@code Engine.extend} can move it. */
    static final String SECONDS = "seconds";
    /**
     * Held by anyloop while it runs one step of a staged change (from before it writes the step's undo files until
     * the step and its undo are done): a staged timer that fires then waits for it, so that it never runs half-written
     * undo files or undoes while the step is still changing the host. {@code armed} stays where it is meanwhile.
     */
    static final String STEPPING = "stepping";
    /** Written by the first step's script before it changes anything: without it a staged timer has nothing to undo. */
    static final String APPLIED = "applied";
    static final String SYSCTL_FILE = "steps.sysctl";
    /** Every undo file a staged timer may find. */
    static final List<String> STAGED_FILES = List.of(SYSCTL_FILE, "steps.ip", "steps.ip6", "steps.iptables", "steps.ip6tables", "steps.nft");

    private TimerScript() { }

    /**
     * The undo step files, in the order the timer runs them (a file the undo does not need is absent), and the
     * commands that remove tables iptables-nft made only for anyloop's rules.
     */
    record Undo(List<String> sysctl, boolean ip, boolean ip6, boolean iptables, boolean ip6tables, boolean nft, List<List<String>> cleanup) {
        static Undo of(Steps s, List<List<String>> cleanup) {
            return new Undo(s.sysctl(), !s.ip().isEmpty(), !s.ip6().isEmpty(), !s.iptables().isEmpty(), !s.ip6tables().isEmpty(),
                    s.nft().isPresent(), cleanup);
        }
    }

    /** The files of {@code steps} under the names the timer (and the journal) use. */
    static java.util.Map<String, String> files(Steps s) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        if (!s.ip().isEmpty()) m.put("steps.ip", s.ip());
        if (!s.ip6().isEmpty()) m.put("steps.ip6", s.ip6());
        if (!s.iptables().isEmpty()) m.put("steps.iptables", s.iptables());
        if (!s.ip6tables().isEmpty()) m.put("steps.ip6tables", s.ip6tables());
        s.nft().ifPresent(t -> m.put("steps.nft", t));
        return m;
    }

    /**
     * The timer of a change made in steps (armed before the first one): it waits while {@code armed} exists and the
     * seconds counted stay under the number in {@code seconds}; then, if a step ran ({@code applied}), runs the
     * undo files the last step left, each one only if present. Once it has taken {@code armed}, it waits while
     * {@link #STEPPING} exists, at most {@code stepGrace} seconds (an anyloop that died mid-step never removes it).
     */
    static String renderStaged(Path dir, int stepGrace) {
        String d = Shell.quote(dir.toString());
        StringBuilder sb = new StringBuilder();
        sb.append("#!/bin/sh\n");
        sb.append("# anyloop: rolls a change made in steps back unless 'anyloop confirm' renames ").append(ARMED).append(" in time\n");
        sb.append("d=").append(d).append('\n');
        sb.append("echo $$ > \"$d/").append(PID).append("\"\n");
        sb.append("i=0\n");
        sb.append("while [ \"$i\" -lt \"$(cat \"$d/").append(SECONDS).append("\" 2>/dev/null || echo 0)\" ]; do\n");
        sb.append("  [ -e \"$d/").append(ARMED).append("\" ] || exit 0\n");
        sb.append("  sleep 1\n");
        sb.append("  i=$((i + 1))\n");
        sb.append("done\n");
        sb.append("mv \"$d/").append(ARMED).append("\" \"$d/").append(FIRING).append("\" 2>/dev/null || exit 0\n");
        // anyloop creates stepping before it checks armed, this checks stepping after taking armed: either the step
        // sees armed gone and does nothing, or this sees stepping and waits for the step and its undo files
        sb.append("j=0\n");
        sb.append("while [ -e \"$d/").append(STEPPING).append("\" ] && [ \"$j\" -lt ").append(stepGrace).append(" ]; do sleep 1; j=$((j + 1)); done\n");
        sb.append("r=0\n");
        sb.append("if [ -e \"$d/").append(APPLIED).append("\" ]; then\n");
        sb.append("  if [ -e \"$d/").append(SYSCTL_FILE).append("\" ]; then\n");
        sb.append("    while IFS= read -r kv; do [ -z \"$kv\" ] || sysctl -q -w \"$kv\" || r=1; done < \"$d/").append(SYSCTL_FILE).append("\"\n");
        sb.append("  fi\n");
        // -force: go past a line that fails (something already gone, or a step that never got that far) and undo the rest
        sb.append("  if [ -e \"$d/steps.ip\" ]; then ip -force -batch \"$d/steps.ip\" || r=1; fi\n");
        sb.append("  if [ -e \"$d/steps.ip6\" ]; then ip -6 -force -batch \"$d/steps.ip6\" || r=1; fi\n");
        sb.append("  if [ -e \"$d/steps.iptables\" ]; then iptables-restore --noflush \"$d/steps.iptables\" || r=1; fi\n");
        sb.append("  if [ -e \"$d/steps.ip6tables\" ]; then ip6tables-restore --noflush \"$d/steps.ip6tables\" || r=1; fi\n");
        sb.append("  if [ -e \"$d/steps.nft\" ]; then nft -f \"$d/steps.nft\" || r=1; fi\n");
        sb.append("fi\n");
        sb.append("{ date +%s; echo \"$r\"; } > \"$d/").append(ROLLED_BACK).append(".tmp\"\n");
        sb.append("mv \"$d/").append(ROLLED_BACK).append(".tmp\" \"$d/").append(ROLLED_BACK).append("\"\n");
        return sb.toString();
    }

    static String render(Path dir, int seconds, Undo undo) {
        if (seconds < 1) throw new IllegalArgumentException("Invalid confirm time " + seconds + ": at least 1 second");
        String d = Shell.quote(dir.toString());
        StringBuilder sb = new StringBuilder();
        sb.append("#!/bin/sh\n");
        sb.append("# anyloop: rolls the change back unless 'anyloop confirm' renames ").append(ARMED).append(" within ")
                .append(seconds).append(" s\n");
        sb.append("d=").append(d).append('\n');
        sb.append("echo $$ > \"$d/").append(PID).append("\"\n");
        sb.append("i=0\n");
        sb.append("while [ \"$i\" -lt ").append(seconds).append(" ]; do\n");
        sb.append("  [ -e \"$d/").append(ARMED).append("\" ] || exit 0\n");
        sb.append("  sleep 1\n");
        sb.append("  i=$((i + 1))\n");
        sb.append("done\n");
        sb.append("mv \"$d/").append(ARMED).append("\" \"$d/").append(FIRING).append("\" 2>/dev/null || exit 0\n");
        sb.append("r=0\n");
        if (!undo.sysctl().isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("sysctl", "-q", "-w"));
            argv.addAll(undo.sysctl());
            sb.append(Shell.words(argv)).append(" || r=1\n");
        }
        // -force: go past a line that fails (something already gone) and undo the rest
        if (undo.ip()) sb.append("ip -force -batch \"$d/steps.ip\" || r=1\n");
        if (undo.ip6()) sb.append("ip -6 -force -batch \"$d/steps.ip6\" || r=1\n");
        if (undo.iptables()) sb.append("iptables-restore --noflush \"$d/steps.iptables\" || r=1\n");
        if (undo.ip6tables()) sb.append("ip6tables-restore --noflush \"$d/steps.ip6tables\" || r=1\n");
        if (undo.nft()) sb.append("nft -f \"$d/steps.nft\" || r=1\n");
        for (List<String> c : undo.cleanup()) sb.append(Shell.words(c)).append(" 2>/dev/null\n");
        sb.append("{ date +%s; echo \"$r\"; } > \"$d/").append(ROLLED_BACK).append(".tmp\"\n");
        sb.append("mv \"$d/").append(ROLLED_BACK).append(".tmp\" \"$d/").append(ROLLED_BACK).append("\"\n");
        return sb.toString();
    }
}
