package dev.anyloop.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class PrefixTrieTest {
    @Property(tries = 200)
    void longestMatchEqualsLinearScan(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 32) Integer> lengths,
                                      @ForAll List<Integer> addresses, @ForAll int probe) {
        PrefixTrie<Integer> trie = new PrefixTrie<>();
        List<Prefix> all = new ArrayList<>();
        for (int i = 0; i < lengths.size(); i++) {
            int addr = addresses.isEmpty() ? i * 0x01010101 : addresses.get(i % addresses.size());
            Prefix p = Prefix.containing(Ip.v4(addr), lengths.get(i));
            trie.put(p, i);
            all.add(p);
        }
        Ip ip = Ip.v4(probe);
        Optional<Prefix> linear = all.stream().filter(p -> p.contains(ip)).max((a, b) -> Integer.compare(a.length(), b.length()));
        assertThat(trie.longestMatch(ip).map(Map.Entry::getKey)).isEqualTo(linear);
        assertThat(trie.matches(ip)).hasSize((int) all.stream().distinct().filter(p -> p.contains(ip)).count());
    }

    @Property(tries = 200)
    void prefixTextRoundTrips(@ForAll long hi, @ForAll long lo, @ForAll @IntRange(min = 0, max = 128) int len) {
        Prefix p = Prefix.containing(Ip.v6(hi, lo), len);
        assertThat(Prefix.parse(p.toString())).isEqualTo(p);
    }
}
