package dev.anyloop.lab;

import dev.anyloop.os.LineProcess;
import dev.anyloop.os.Netns;
import dev.anyloop.os.RunDirs;
import dev.anyloop.os.SelfProcess;
import dev.anyloop.state.Network;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Failure drills for watch's root tests and its benchmark: a lab host's dnsmasq killed and started again, and a DNS
 * client in a host's namespace (dev.anyloop.watch.DnsLoop) whose answers name the host that gave them.
 */
public final class WatchDrill {
    private final String lab;
    private final Network network;

    public WatchDrill(String lab, Network network) {
        this.lab = lab;
        this.network = network;
    }

    public String ns(String host) { return LabPlan.prefix(lab) + host; }

    public Path runDir() { return Lab.runDir(lab); }

    /** One answer: when it arrived (epoch ms) and who gave it. */
    public record Answer(long at, String host) { }

    /** A DNS client asking {@code server} every {@code everyMs} from {@code host}'s namespace. */
    public static final class Client implements AutoCloseable {
        private final LineProcess process;
        public final List<Answer> answers;

        Client(LineProcess p, List<Answer> answers) {
            this.process = p;
            this.answers = answers;
        }

        /** The first answer from {@code host} that arrived at or after {@code after}, waiting up to {@code max}. */
        public Optional<Answer> first(String host, long after, Duration max) {
            long deadline = System.currentTimeMillis() + max.toMillis();
            while (System.currentTimeMillis() < deadline) {
                synchronized (answers) {
                    for (Answer a : answers) if (a.at() >= after && a.host().equals(host)) return Optional.of(a);
                }
                sleep(5);
            }
            return Optional.empty();
        }

        @Override
        public void close() { process.close(); }
    }

    public Client client(String host, String server, int everyMs, int seconds) {
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns(host), "--"));
        argv.addAll(SelfProcess.java("dev.anyloop.watch.DnsLoop", List.of(server, Integer.toString(everyMs), Integer.toString(seconds))));
        LineProcess p = LineProcess.start(argv, line -> {
            String[] w = line.split(" ");
            if (w.length == 2 && w[0].matches("[0-9]+")) answers.add(new Answer(Long.parseLong(w[0]), w[1]));
        }, exit -> { });
        return new Client(p, answers);
    }

    Optional<Long> dnsmasqPid(String host) {
        return RunDirs.read(runDir().resolve(host + "-dnsmasq.pid")).map(String::strip).filter(s -> s.matches("[0-9]+")).map(Long::parseLong);
    }

    public boolean dnsmasqAlive(String host) { return dnsmasqPid(host).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false); }

    /** SIGKILL to each host's dnsmasq; returns once they are gone. */
    public void killDnsmasq(String... hosts) {
        // every SIGKILL first, then the waits: "at once" for the all-instances-down drill
        List<ProcessHandle> killed = new ArrayList<>();
        for (String host : hosts) {
            ProcessHandle p = dnsmasqPid(host).flatMap(ProcessHandle::of).orElseThrow(() -> new IllegalStateException("no dnsmasq on " + host));
            p.destroyForcibly();
            killed.add(p);
        }
        for (ProcessHandle p : killed) p.onExit().join();
    }

    /** Starts {@code host}'s dnsmasq as lab up did; returns once it listens on {@code address}:53. */
    public void startDnsmasq(String host, String address) {
        LabService s = LabService.of(network.host(host).orElseThrow(), runDir()).stream()
                .filter(x -> x.kind().equals("dnsmasq")).findFirst().orElseThrow();
        new Netns().startDetached(List.of(Map.entry(ns(host), s.argv())), runDir().resolve("services.log"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && new Netns().listening(ns(host)).stream().noneMatch(l -> l.contains(address + ":53"))) sleep(5);
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
