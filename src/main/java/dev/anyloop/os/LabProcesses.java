package dev.anyloop.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and ends the processes living in named network namespaces. A process is in namespace NS when
 * its /proc/PID/ns/net link names the inode that /run/netns/NS is bound to; this is what
 * {@code ip netns pids} does, for every namespace in one pass over /proc instead of one process each.
 */
public final class LabProcesses {
    private LabProcesses() { }

    /** The pids in each of {@code namespaces} (absent namespaces map to empty lists). */
    public static Map<String, List<Long>> pidsIn(List<String> namespaces) {
        Map<Long, String> byInode = new HashMap<>();
        Map<String, List<Long>> out = new HashMap<>();
        for (String ns : namespaces) {
            out.put(ns, new ArrayList<>());
            inode(Path.of("/run/netns", Netns.check(ns))).ifPresent(i -> byInode.put(i, ns));
        }
        if (byInode.isEmpty()) return out;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                Optional<Long> ino = netInode(p.resolve("ns/net"));
                if (ino.isPresent() && byInode.containsKey(ino.get())) out.get(byInode.get(ino.get())).add(Long.parseLong(name));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list /proc", e);
        }
        return out;
    }

    /**
     * SIGKILLs each pid (one that already left is fine). No waiting: a killed process drops its
     * namespaces in do_exit, before it is even a zombie, so the namespace can go at once.
     */
    public static void kill(List<Long> pids) {
        for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static Optional<Long> inode(Path p) {
        try {
            return Optional.of(((Number) Files.getAttribute(p, "unix:ino")).longValue());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** "/proc/PID/ns/net" links to "net:[INODE]"; a process gone meanwhile has none. */
    private static Optional<Long> netInode(Path link) {
        try {
            String t = Files.readSymbolicLink(link).toString();
            int a = t.indexOf('[');
            int b = t.indexOf(']');
            if (t.startsWith("net:") && a > 0 && b > a) return Optional.of(Long.parseLong(t.substring(a + 1, b)));
        } catch (IOException | NumberFormatException e) {
            // raced with exit, or a kernel thread
        }
        return Optional.empty();
    }
}
