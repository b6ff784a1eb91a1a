package io.fjord.perf.produce;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FixedRateThrottleTest {

    @Test
    void shouldScheduleRecordsEvenlyFromTheStart() {
        FixedRateThrottle throttle = new FixedRateThrottle(1000, 5_000);
        assertThat(throttle.isLimited()).isTrue();
        assertThat(throttle.dueNs(0)).isEqualTo(5_000);
        assertThat(throttle.dueNs(1)).isEqualTo(5_000 + 1_000_000);
        assertThat(throttle.dueNs(2_000_000_000L)).isEqualTo(5_000 + 2_000_000_000L * 1_000_000);
    }

    @Test
    void shouldMakeEveryRecordDueAtOnceWithoutALimit() {
        FixedRateThrottle throttle = new FixedRateThrottle(-1, 5_000);
        assertThat(throttle.isLimited()).isFalse();
        assertThat(throttle.dueNs(1_000_000)).isEqualTo(5_000);
    }
}
