package dev.anyloop.bench;

import dev.anyloop.net.Prefix;
import dev.anyloop.net.PrefixTrie;
import java.lang.ref.Reference;
import java.util.List;
import java.util.function.Supplier;

/**
 * Heap retained by a 1,000,000-route table: used heap after a full GC, before and after building it.
 *
 * <p>The prefix list is built first and kept alive, so the figures are what each structure adds on top of the
 * Prefix objects a caller already holds. {@code bench/run} prints this before the JMH run.
 */
public final class PrefixTrieHeap {
    private PrefixTrieHeap() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        List<Prefix> table = RouteTable.prefixes(n, PrefixTrieBench.ROUTE_SEED);
        System.out.printf("heap for %,d IPv4 routes (RouteTable seed %d), on top of the Prefix list itself:%n",
                n, PrefixTrieBench.ROUTE_SEED);
        report("PrefixTrie, as built", () -> {
            PrefixTrie<Integer> t = new PrefixTrie<>();
            for (int i = 0; i < table.size(); i++) t.put(table.get(i), i);
            return t;
        });
        report("PrefixTrie, settled", () -> {
            PrefixTrie<Integer> t = new PrefixTrie<>();
            for (int i = 0; i < table.size(); i++) t.put(table.get(i), i);
            // a quarter of the size in lookups makes it build its settled copy (kept beside the stride table): from
            // 65,536 routes the 64 MiB DIR-24-8 table, below that the compressed one
            for (int i = 0; i <= table.size() / 4 + 1; i++) t.lookupOrDefault(table.get(i).network(), -1);
            return t;
        });
        report("BinaryTrie (baseline)", () -> {
            BinaryTrie<Integer> t = new BinaryTrie<>();
            for (int i = 0; i < table.size(); i++) t.put(table.get(i), i);
            return t;
        });
        Reference.reachabilityFence(table);
    }

    private static void report(String name, Supplier<Object> build) {
        long before = used();
        long start = System.nanoTime();
        Object built = build.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        long after = used();
        System.out.printf("  %-24s %6.1f MiB retained, built in %,d ms%n", name, (after - before) / 1048576.0, millis);
        Reference.reachabilityFence(built); // alive through the second measurement
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
