package dev.anyloop.watch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** rise and fall: results in a row, local errors ignored. */
class HysteresisTest {
    static final Outcome OK = Outcome.ok("", 0);
    static final Outcome FAIL = Outcome.fail("", 0);
    static final Outcome LOCAL = Outcome.local("");

    @Test
    void fallFailuresInARowTakeItDown() {
        Hysteresis h = Hysteresis.starting(true);
        h = h.next(FAIL, 5, 3).next(FAIL, 5, 3);
        assertThat(h.up()).isTrue();
        assertThat(h.next(FAIL, 5, 3).up()).isFalse();
        assertThat(h.next(OK, 5, 3).next(FAIL, 5, 3).up()).isTrue();
    }

    @Test
    void riseGoodChecksInARowBringItBack() {
        Hysteresis h = Hysteresis.starting(false);
        for (int k = 0; k < 4; k++) h = h.next(OK, 5, 3);
        assertThat(h.up()).isFalse();
        assertThat(h.next(FAIL, 5, 3).next(OK, 5, 3).up()).isFalse();
        assertThat(h.next(OK, 5, 3).up()).isTrue();
    }

    @Test
    void aLocalErrorCountsNeitherWay() {
        Hysteresis h = Hysteresis.starting(true).next(FAIL, 5, 3).next(FAIL, 5, 3);
        for (int k = 0; k < 10; k++) h = h.next(LOCAL, 5, 3);
        assertThat(h.up()).isTrue();
        assertThat(h.failRun()).isEqualTo(2);
        assertThat(h.next(FAIL, 5, 3).up()).isFalse();
    }

    @Test
    void riseAndFallOfOne() {
        assertThat(Hysteresis.starting(true).next(FAIL, 1, 1).up()).isFalse();
        assertThat(Hysteresis.starting(false).next(OK, 1, 1).up()).isTrue();
    }
}
