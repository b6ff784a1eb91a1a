package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WarmedToolTest {

    @Test
    void shouldWarmUpWithTheSameArgumentsButTheOptionsItIsTold() {
        String[] counted = {"--topic", "t", "--num-records", "1000", "--record-size", "100", "--throughput", "500"};

        String[] warmup = WarmedTool.withOption(counted, "--num-records", "150");

        assertThat(warmup).containsExactly("--topic", "t", "--num-records", "150", "--record-size", "100", "--throughput", "500");
        assertThat(counted[3]).isEqualTo("1000");
    }

    @Test
    void shouldRefuseToSetAnOptionTheToolWasNotGiven() {
        assertThatThrownBy(() -> WarmedTool.withOption(new String[] {"--topic", "t"}, "--num-records", "10"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--num-records");
    }

    @Test
    void shouldFindTheValueOfTheOptionARepeatedPassVaries() {
        String[] warmup = {"--topic", "t", "--group", "bench-t-warmup", "--messages", "10"};

        assertThat(WarmedTool.valueOf(warmup, "--group")).isEqualTo("bench-t-warmup");
        assertThat(WarmedTool.withOption(warmup, "--group", WarmedTool.valueOf(warmup, "--group") + "-2"))
            .containsExactly("--topic", "t", "--group", "bench-t-warmup-2", "--messages", "10");
        assertThatThrownBy(() -> WarmedTool.valueOf(warmup, "--num-records")).isInstanceOf(IllegalArgumentException.class);
    }
}
