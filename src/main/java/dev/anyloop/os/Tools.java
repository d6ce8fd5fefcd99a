package dev.anyloop.os;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What this machine has: root, and which commands are on the PATH (plus /usr/sbin and /sbin). */
public final class Tools {
    private Tools() { }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name")) || Path.of("/proc/self").toFile().canWrite() && uid0();
    }

    private static boolean uid0() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The commands of {@code names} that are not found. */
    public static List<String> missing(List<String> names) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        return names.stream().filter(n -> {
            for (String dir : path.split(File.pathSeparator)) if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, n))) return false;
            return true;
        }).toList();
    }
}
