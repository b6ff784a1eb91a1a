package io.fjord.perf.consume;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsumeResultTest {

    @Test
    void passesAddUpToOneRead() {
        ConsumeResult first = new ConsumeResult(1_000, 110_000, 0.25, true, 4, 3);
        ConsumeResult both = first.plus(new ConsumeResult(1_000, 110_000, 0.75, true, 5, 4));

        assertThat(both).isEqualTo(new ConsumeResult(2_000, 220_000, 1.0, true, 9, 7));
        assertThat(both.recordsPerSecond()).isEqualTo(2_000.0);
    }

    @Test
    void aPassThatTimedOutLeavesTheReadIncomplete() {
        ConsumeResult first = new ConsumeResult(1_000, 110_000, 0.25, true, 4, 3);

        assertThat(first.plus(new ConsumeResult(10, 1_100, 10.0, false, 2, 1)).complete()).isFalse();
    }
}
