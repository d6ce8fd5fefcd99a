package dev.anyloop.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A named network namespace on this machine ({@code /run/netns/NS}): commands run inside it through
 * {@code nsenter --net}, which enters the network namespace only (the mount namespace and /sys stay
 * this machine's, which the tools anyloop runs do not read), so files are this machine's files.
 */
public final class NetnsTarget extends LocalTarget {
    private final String ns;

    public NetnsTarget(String ns, CommandRunner runner) {
        super(runner);
        this.ns = Netns.check(ns);
    }

    public NetnsTarget(String ns) { this(ns, new CommandRunner(java.time.Duration.ofSeconds(60))); }

    public String namespace() { return ns; }

    /** True when {@code /run/netns/NS} exists, i.e. {@code ip netns add NS} made it and nothing deleted it. */
    public boolean exists() { return Files.exists(path()); }

    @Override
    public String id() { return "netns-" + ns; }

    @Override
    public String describe() { return "network namespace " + ns; }

    @Override
    public CommandRunner.Result run(List<String> argv, java.util.Optional<String> stdin, java.time.Duration timeout) {
        return runner().run(wrap(argv), stdin, timeout);
    }

    @Override
    protected List<String> wrap(List<String> argv) {
        List<String> out = new ArrayList<>(List.of("nsenter", "--net=" + path(), "--"));
        out.addAll(argv);
        return out;
    }

    private Path path() { return Path.of("/run/netns", ns); }
}
