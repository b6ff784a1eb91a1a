package io.fjord.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HostStallsTest {

    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);

    @Test
    void countsOnlyGapsLongEnoughToBeStalls() {
        HostStalls.Tally first = new HostStalls.Tally();
        first.gap(40);              // the loop's own cost
        first.gap(99 * US);         // a timer interrupt
        first.gap(150 * US);        // counted, under 1 ms
        first.gap(1_000 * US);      // 1 ms
        HostStalls.Tally second = new HostStalls.Tally();
        second.gap(6_500 * US);     // over 4 ms

        HostStalls.Result result = first.plus(second).result(2, TimeUnit.SECONDS.toNanos(1));

        assertThat(result.gaps()).isEqualTo(3);
        assertThat(result.gapsOver1ms()).isEqualTo(2);
        assertThat(result.gapsOver4ms()).isEqualTo(1);
        assertThat(result.longestNs()).isEqualTo(6_500 * US);
        assertThat(result.lostNs()).isEqualTo(7_650 * US);
        assertThat(result.lostShare()).isEqualTo(7_650e-6 / 2);
        assertThat(result.describe("before the run")).contains("host stalls before the run").contains("2 gaps of 1 ms or more")
            .contains("1.0 per second per core").contains("longest 6.5 ms").contains("0.38 %");
    }

    @Test
    void spinsEveryThreadForTheWholeWindow() throws Exception {
        long start = System.nanoTime();
        HostStalls.Result result = HostStalls.measure(2, Duration.ofMillis(200));

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(result.threads()).isEqualTo(2);
        assertThat(result.gapsOver1ms()).isLessThanOrEqualTo(result.gaps());
        assertThat(result.lostShare()).isBetween(0.0, 1.0);
    }
}
