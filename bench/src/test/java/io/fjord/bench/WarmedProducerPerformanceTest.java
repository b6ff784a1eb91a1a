package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WarmedProducerPerformanceTest {

    @Test
    void shouldWarmUpWithTheSameArgumentsButTheRecordCount() {
        String[] counted = {"--topic", "t", "--num-records", "1000", "--record-size", "100", "--throughput", "500"};

        String[] warmup = WarmedProducerPerformance.withRecords(counted, 150);

        assertThat(warmup).containsExactly("--topic", "t", "--num-records", "150", "--record-size", "100", "--throughput", "500");
        assertThat(counted[3]).isEqualTo("1000");
    }

    @Test
    void shouldRefuseArgumentsWithoutARecordCount() {
        assertThatThrownBy(() -> WarmedProducerPerformance.withRecords(new String[] {"--topic", "t"}, 10))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--num-records");
    }
}
