package dev.anyloop.cli;

import dev.anyloop.apply.Engine;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.ConfigException;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.net.Ip;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.LocalTarget;
import dev.anyloop.os.NetnsTarget;
import dev.anyloop.os.Target;
import dev.anyloop.os.Netns;
import dev.anyloop.os.SelfProcess;
import dev.anyloop.os.Birdc;
import dev.anyloop.watch.Actuator;
import dev.anyloop.watch.AnnounceActuator;
import dev.anyloop.watch.HealthTable;
import dev.anyloop.watch.LogLine;
import dev.anyloop.watch.Metrics;
import dev.anyloop.watch.MetricsServer;
import dev.anyloop.watch.Outcome;
import dev.anyloop.watch.Recorded;
import dev.anyloop.watch.RouteActuator;
import dev.anyloop.watch.ServerPlan;
import dev.anyloop.watch.StateFile;
import dev.anyloop.watch.Supervisor;
import dev.anyloop.watch.Watch;
import dev.anyloop.watch.WatchPlan;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

/** {@code watch network.yaml --host ROUTER [--netns NS]}: the health-checking failover daemon (docs/watch.md). */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Check every instance of every service the router routes, along each instance's own probe path, and keep "
                + "the routes right: a failing instance's route is withdrawn after 'fall' failed checks and restored after 'rise' "
                + "good ones; the most preferred healthy host wins. All instances failing at once is taken as a checker fault "
                + "(routes kept, alarm). Stopping watch leaves the routes as they are. SIGHUP reloads FILE. One log line per "
                + "state change on stdout. On a BGP server (bgp: section) it checks the server's own services and withdraws a "
                + "failing one's BIRD announcement (birdc disable, no restart) so the routers fail over to another server.")
public final class WatchCommand implements Callable<Integer> {
    /** Whether this process may change routes; a test replaces it to see the refusal without being another user. */
    static java.util.function.BooleanSupplier root = SelfProcess::root;

    @Spec
    CommandSpec spec;

    /** Whether --host is a BGP server of FILE (set when FILE is read). */
    private boolean bgpServer;

    @Parameters(index = "0", paramLabel = "FILE", description = "network.yaml")
    Path file;

    @Option(names = "--host", required = true, paramLabel = "HOST", description = "the router this runs on (a host of FILE); or a "
            + "BGP server, which checks its own services and withdraws its BIRD announcement of a failing one")
    String host;

    @Option(names = "--bird-socket", paramLabel = "PATH", description = "on a BGP server: BIRD's control socket (default "
            + "/run/bird/bird.ctl, Debian bird2's)")
    Path birdSocket = Path.of("/run/bird/bird.ctl");

    @Option(names = "--netns", paramLabel = "NS", description = "run inside network namespace NS (/run/netns/NS) instead of this host's")
    Optional<String> netns;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "the apply engine's state folder, where 'anyloop drain' records "
            + "drains (default /var/lib/anyloop; the same --netns and --state-dir as drain's)")
    Optional<Path> stateDir;

    @Option(names = "--metrics", paramLabel = "[ADDR:]PORT", converter = Address.Converter.class,
            description = "serve Prometheus metrics at http://ADDR:PORT/metrics; ADDR defaults to 127.0.0.1 (this host only)")
    Optional<InetSocketAddress> metrics;

    @Option(names = "--once", description = "check every instance once, print the health table and exit (0 all healthy, 1 not); changes nothing")
    boolean once;

    @Option(names = "--log-format", paramLabel = "logfmt|json", converter = Format.class, description = "log lines as logfmt (default) or JSON")
    LogLine format = LogLine.LOGFMT;

    @Option(names = "--log", paramLabel = "FILE", description = "append log lines to FILE instead of stdout")
    Optional<Path> log;

    @Option(names = "--pid-file", hidden = true, paramLabel = "FILE", description = "written with the pid once watch has started")
    Optional<Path> pidFile;

    @Option(names = "--ready-file", hidden = true, paramLabel = "FILE", description = "written (with the pid) once every instance was checked")
    Optional<Path> readyFile;

    @Option(names = "--status-file", hidden = true, paramLabel = "FILE", description = "the health table, rewritten every second")
    Optional<Path> statusFile;

    /** {@code [ADDR:]PORT}, ADDR an IPv4 address or [IPv6]. */
    static final class Address {
        static InetSocketAddress parse(String s) {
            String addr = "127.0.0.1";
            String port = s;
            int colon = s.lastIndexOf(':');
            if (colon >= 0) {
                addr = s.substring(0, colon);
                port = s.substring(colon + 1);
                if (addr.startsWith("[") && addr.endsWith("]")) addr = addr.substring(1, addr.length() - 1);
            }
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("Invalid metrics address '" + s + "': port '" + port + "' is not in 1..65535");
            }
            Optional<Ip> ip = Ip.tryParse(addr);
            if (ip.isEmpty()) throw new IllegalArgumentException("Invalid metrics address '" + s + "': '" + addr + "' is not an IP address");
            return new InetSocketAddress(Watch.inetOf(ip.get()), Integer.parseInt(port));
        }

        static final class Converter implements ITypeConverter<InetSocketAddress> {
            @Override
            public InetSocketAddress convert(String value) {
                try {
                    return parse(value);
                } catch (IllegalArgumentException e) {
                    throw new TypeConversionException(e.getMessage());
                }
            }
        }
    }

    static final class Format implements ITypeConverter<LogLine> {
        @Override
        public LogLine convert(String value) {
            switch (value) {
                case "logfmt": return LogLine.LOGFMT;
                case "json": return LogLine.JSON;
                default: throw new TypeConversionException("Invalid log format '" + value + "': expected logfmt or json");
            }
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (netns.isPresent()) {
            try {
                Netns.check(netns.get());
            } catch (IllegalArgumentException e) {
                err.println("anyloop: " + e.getMessage());
                return Main.CONFIG_ERROR;
            }
        }
        WatchPlan plan = plan(err);
        if (netns.isPresent()) {
            if (!SelfProcess.netnsExists(netns.get())) {
                err.println("anyloop: no network namespace '" + netns.get() + "' (/run/netns/" + netns.get() + " does not exist); nothing was changed");
                return Main.CONFIG_ERROR;
            }
            if (!SelfProcess.inNetns(netns.get())) {
                if (!root.getAsBoolean()) {
                    err.println("anyloop: entering network namespace " + netns.get() + " needs root; nothing was changed");
                    return Main.CONFIG_ERROR;
                }
                // a JVM cannot enter a namespace itself: run this same command again inside it (docs/watch.md)
                out.flush();
                return SelfProcess.runInNetns(netns.get(), SelfProcess.commandLine());
            }
        }
        String where = netns.map(n -> "network namespace " + n).orElse("this host");
        java.util.function.Function<WatchPlan, Actuator> actuators;
        if (bgpServer) {
            // watch runs inside the namespace by now: birdc reaches BIRD through its socket, a file path
            actuators = p -> new AnnounceActuator(p, new Birdc(new CommandRunner(), Optional.empty(), birdSocket));
        } else {
            Recorded.Source drains;
            try {
                Target target = netns.<Target>map(NetnsTarget::new).orElseGet(LocalTarget::new);
                drains = new StateFile(new Engine(target, stateDir.orElse(Engine.defaultStateDir())));
            } catch (IllegalArgumentException e) {
                err.println("anyloop: " + e.getMessage() + "; nothing was changed");
                return Main.CONFIG_ERROR;
            }
            actuators = p -> new RouteActuator(p, new CommandRunner(), where, drains);
        }
        if (once) return once(plan, actuators.apply(plan), out, err);
        if (!root.getAsBoolean()) {
            err.println("anyloop: watch changes " + (bgpServer ? "BIRD's announcements" : "routes") + " and needs root"
                    + (bgpServer ? "" : " (CAP_NET_ADMIN)") + "; 'watch --once' only reads; nothing was changed");
            return Main.CONFIG_ERROR;
        }
        pidFile.ifPresent(f -> dev.anyloop.os.RunDirs.write(f, ProcessHandle.current().pid() + "\n"));
        Metrics m = new Metrics();
        MetricsServer server = null;
        if (metrics.isPresent()) {
            try {
                server = MetricsServer.start(metrics.get(), m);
            } catch (IOException e) {
                err.println("anyloop: " + e.getMessage() + "; nothing was changed");
                return Main.CONFIG_ERROR;
            }
        }
        PrintStream sink = log.isPresent() ? new PrintStream(new FileOutputStream(log.get().toFile(), true), true, StandardCharsets.UTF_8) : System.out;
        Watch w = new Watch(plan, actuators, this::reloadPlan,
                Watch.printer(format, sink), m, new Watch.Options(readyFile, statusFile, Duration.ofSeconds(1)));
        try {
            w.start();
        } catch (RuntimeException e) {
            err.println("anyloop: " + e.getMessage() + "; nothing was changed");
            if (server != null) server.close();
            return Main.CONFIG_ERROR;
        }
        SelfProcess.onHangup(w::requestReload);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            w.stop();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "watch-stop"));
        try {
            w.run();
        } finally {
            if (server != null) server.close();
            sink.flush();
            done.countDown();
        }
        return Main.OK;
    }

    private int once(WatchPlan plan, Actuator actuator, PrintWriter out, PrintWriter err) {
        List<Supervisor.View> views;
        try {
            views = Watch.once(plan, actuator, new Metrics());
        } catch (RuntimeException e) {
            err.println("anyloop: " + e.getMessage());
            return Main.CONFIG_ERROR;
        }
        out.print(HealthTable.render(plan, views));
        boolean healthy = views.stream().allMatch(v -> v.last().map(Outcome::ok).orElse(false));
        return healthy ? Main.OK : Main.CHECK_FAILED;
    }

    private WatchPlan plan(PrintWriter err) {
        Intent intent = Inputs.intent(file, err);
        try {
            return plan(intent);
        } catch (WatchPlan.NothingToWatch e) {
            err.println("anyloop: " + e.getMessage());
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
    }

    /** For SIGHUP: the new plan, or an exception whose message lists every diagnostic. */
    private WatchPlan reloadPlan() throws ConfigException {
        Intent intent = IntentLoader.load(file);
        if (ServerPlan.isBgpServer(intent, host) != bgpServer) {
            throw new IllegalArgumentException("host " + host + (bgpServer ? " is no longer" : " is now") + " a BGP server: restart watch");
        }
        return plan(intent);
    }

    /** A BGP server's plan (its announcements) or a router's (its routes); remembers which. */
    private WatchPlan plan(Intent intent) {
        bgpServer = ServerPlan.isBgpServer(intent, host);
        return bgpServer ? ServerPlan.of(intent, host) : WatchPlan.of(intent, Compiler.compile(intent), host);
    }
}
