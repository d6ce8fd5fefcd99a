package dev.anyloop.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.os.Netns;
import dev.anyloop.state.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Judged by the kernel: random networks (and the bundled examples) built for real in namespaces,
 * snapshotted, read back, and every real probe compared with the simulator's verdict on what was read.
 * {@code -Danyloop.kernel.seed=S} starts at another seed, {@code -Danyloop.kernel.probes=N} sets the
 * total to reach, {@code -Danyloop.kernel.threads=T} the probes in flight.
 */
@Tag("root")
class KernelAgreementTest {
    static final long FIRST_SEED = Long.getLong("anyloop.kernel.seed", 1);
    static final int TOTAL_PROBES = Integer.getInteger("anyloop.kernel.probes", 2000);
    static final int PER_NETWORK = Integer.getInteger("anyloop.kernel.perNetwork", 140);

    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeft() {
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-kd"));
    }

    @Test
    void randomNetworksAgreeWithTheKernel() throws Exception {
        KernelJudge judge = new KernelJudge();
        List<KernelJudge.Result> results = new ArrayList<>();
        long start = System.nanoTime();
        int probes = 0;
        for (long seed = FIRST_SEED; probes < TOTAL_PROBES; seed++) {
            RandomNetwork.Generated g = RandomNetwork.generate(seed);
            Path dir = Files.createDirectories(Path.of(System.getProperty("anyloop.kernel.keep", tmp.toString())).resolve("seed" + seed));
            KernelJudge.Result r = judge.judge("kd" + seed, g.network(), dir, live -> RandomProbes.plan(g, live, PER_NETWORK));
            report(r);
            results.add(r);
            probes += r.probes();
        }
        Summary s = Summary.of(results, System.nanoTime() - start);
        System.out.println(s.line("kernel agreement", "networks (seeds " + FIRST_SEED + ".." + (FIRST_SEED + results.size() - 1) + ")"));
        assertThat(s.inconsistencies()).as("live state differs from the generated one").isZero();
        assertThat(s.probes()).isGreaterThanOrEqualTo(TOTAL_PROBES);
        assertThat(s.ratio()).as(s.line("kernel agreement", "networks")).isGreaterThanOrEqualTo(0.999);
    }

    static final int NFT_PROBES = Integer.getInteger("anyloop.kernel.nftProbes", 600);

    /**
     * The same random networks with their firewalls loaded as native nftables (one inet table, NftRenderer), read
     * back from nft -j list ruleset: the nft engine's base chains, jumps, policies and NAT against the kernel.
     */
    @Test
    void randomNetworksOnNativeNftablesAgreeWithTheKernel() throws Exception {
        KernelJudge judge = new KernelJudge();
        List<KernelJudge.Result> results = new ArrayList<>();
        long start = System.nanoTime();
        int probes = 0;
        for (long seed = FIRST_SEED + 1000; probes < NFT_PROBES; seed++) {
            RandomNetwork.Generated g = RandomNetwork.generate(seed);
            Path dir = Files.createDirectories(tmp.resolve("nft" + seed));
            KernelJudge.Result r = judge.judge("kdn" + seed, g.network(), dir, live -> RandomProbes.plan(g, live, PER_NETWORK),
                    dev.anyloop.apply.Backend.NFT, java.util.Map.of());
            report(r);
            results.add(r);
            probes += r.probes();
        }
        Summary s = Summary.of(results, System.nanoTime() - start);
        System.out.println(s.line("kernel agreement on nftables", "networks"));
        assertThat(s.inconsistencies()).as("live state differs from the generated one").isZero();
        assertThat(s.probes()).isGreaterThanOrEqualTo(NFT_PROBES);
        assertThat(s.ratio()).as(s.line("kernel agreement on nftables", "networks")).isGreaterThanOrEqualTo(0.999);
    }

    /** The bundled examples, compiled, built, snapshotted and probed: every check query, every host to every address. */
    @Test
    void bundledExamplesAgreeWithTheKernel() throws Exception {
        KernelJudge judge = new KernelJudge();
        List<KernelJudge.Result> results = new ArrayList<>();
        long start = System.nanoTime();
        for (String name : List.of("home", "campus")) {
            Intent intent = IntentLoader.load(Path.of("examples", name + ".yaml"));
            Network compiled = Compiler.compile(intent);
            Path dir = Files.createDirectories(tmp.resolve(name));
            KernelJudge.Result r = judge.judge("kdx" + name, compiled, dir, live -> ExampleProbes.plan(intent, compiled, live));
            report(r);
            results.add(r);
        }
        Summary s = Summary.of(results, System.nanoTime() - start);
        System.out.println(s.line("kernel agreement on the examples", "examples"));
        assertThat(s.inconsistencies()).as("live state differs from the compiled one").isZero();
        assertThat(s.ratio()).as(s.line("kernel agreement on the examples", "examples")).isGreaterThanOrEqualTo(0.999);
    }

    static void report(KernelJudge.Result r) {
        System.out.printf("%s: %d/%d agree (%d reachable), up+snapshot %.1f s, probes %.1f s%n", r.network(), r.agreed(), r.probes(),
                r.reachable(), r.upSeconds(), r.probeSeconds());
        r.inconsistencies().forEach(i -> System.out.println("INCONSISTENT " + r.network() + ": " + i));
        r.disagreements().forEach(d -> System.out.println(d.render()));
    }

    /** Totals over several networks. */
    record Summary(int networks, int probes, int agreed, int reachable, int inconsistencies, double seconds) {
        static Summary of(List<KernelJudge.Result> rs, long nanos) {
            return new Summary(rs.size(), rs.stream().mapToInt(KernelJudge.Result::probes).sum(),
                    rs.stream().mapToInt(KernelJudge.Result::agreed).sum(), rs.stream().mapToInt(KernelJudge.Result::reachable).sum(),
                    rs.stream().mapToInt(r -> r.inconsistencies().size()).sum(), nanos / 1e9);
        }

        double ratio() { return probes == 0 ? 0 : (double) agreed / probes; }

        String line(String what, String over) {
            return String.format("%s: %d/%d = %.2f%% over %d %s in %.0f s (the kernel answered %d, refused or dropped %d)",
                    what, agreed, probes, 100 * ratio(), networks, over, seconds, reachable, probes - reachable);
        }
    }
}
