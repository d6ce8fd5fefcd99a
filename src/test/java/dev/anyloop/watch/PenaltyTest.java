package dev.anyloop.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.anyloop.intent.HealthDef.DampingDef;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RFC 2439 arithmetic: decay by half-life, suppress and reuse thresholds, the max-suppress ceiling. */
class PenaltyTest {
    static final DampingDef D = new DampingDef(1000, 2000, 750, Duration.ofSeconds(30), Duration.ofSeconds(120));

    @Test
    void halvesEveryHalfLife() {
        Penalty p = Penalty.NONE.flap(0, D);
        assertThat(p.value()).isEqualTo(1000);
        assertThat(p.at(30_000, D).value()).isCloseTo(500, within(0.01));
        assertThat(p.at(60_000, D).value()).isCloseTo(250, within(0.01));
    }

    @Test
    void suppressedAtTheThreshold_reusedBelowReuse() {
        Penalty p = Penalty.NONE.flap(0, D).flap(0, D);
        assertThat(p.suppressed()).isTrue();
        long reuse = p.reuseAt(D);
        // 2000 -> 750: log2(2000/750) * 30 s = 42.45 s
        assertThat(reuse).isBetween(42_400L, 42_500L);
        assertThat(p.at(reuse - 100, D).suppressed()).isTrue();
        assertThat(p.at(reuse, D).suppressed()).isFalse();
    }

    @Test
    void aDecayedPenaltyDoesNotSuppress() {
        Penalty p = Penalty.NONE.flap(0, D).flap(10_000, D);
        assertThat(p.value()).isCloseTo(1000 * Math.pow(0.5, 1 / 3.0) + 1000, within(0.1));
        assertThat(p.suppressed()).isFalse();
    }

    @Test
    void theCeilingDecaysToReuseInMaxSuppress() {
        Penalty p = Penalty.NONE;
        for (int k = 0; k < 100; k++) p = p.flap(0, D);
        assertThat(p.value()).isCloseTo(750 * 16, within(0.01));
        assertThat(p.reuseAt(D)).isEqualTo(120_000);
    }

    @Test
    void decaysToZeroEventually() {
        Penalty p = Penalty.NONE.flap(0, D);
        assertThat(p.at(3_600_000, D).value()).isZero();
    }
}
