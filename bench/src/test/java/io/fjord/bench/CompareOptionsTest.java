package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CompareOptionsTest {

    private static final Path HOME = Path.of("/tmp/fjord");

    @Test
    void shouldDefaultToTheFullMatrix() {
        CompareOptions options = CompareOptions.parse(new String[0], HOME);

        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.sizes()).containsExactly(100, 1024);
        assertThat(options.partitions()).containsExactly(1, 6);
        assertThat(options.acks()).containsExactly("1", "all");
        assertThat(options.records(100)).isEqualTo(5_000_000);
        assertThat(options.warmupRecords(100)).isEqualTo(2_500_000);
        assertThat(options.probeWarmupSeconds()).isEqualTo(20.0);
        assertThat(options.readWarmupRecords(100)).isEqualTo(5_000_000);
        assertThat(options.latencyWarmupSeconds()).isEqualTo(3.0);
        assertThat(options.section()).isEqualTo("compare-results");
        assertThat(options.fullPageCache()).isTrue();
        assertThat(options.tcpCongestion()).isEqualTo("as-is");
        assertThat(options.producerPayload()).isEqualTo(KafkaTools.Payload.FILE);
    }

    @Test
    void shouldLetProducerPerformanceFillItsOwnValuesWhenAsked() {
        assertThat(CompareOptions.parse(new String[] {"--producer-payload", "random"}, HOME).producerPayload())
            .isEqualTo(KafkaTools.Payload.RANDOM);
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--producer-payload", "zeros"}, HOME))
            .hasMessageContaining("--producer-payload takes file or random, not 'zeros'");
    }

    @Test
    void shouldTakeACongestionControlByNameOnly() {
        assertThat(CompareOptions.parse(new String[] {"--tcp-congestion", "cubic"}, HOME).tcpCongestion()).isEqualTo("cubic");
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--tcp-congestion", "cubic; reboot"}, HOME))
            .hasMessageContaining("--tcp-congestion takes as-is or an algorithm name");
    }

    @Test
    void shouldLeaveThePageCacheAsItIsWhenAskedOrInASmokeRun() {
        assertThat(CompareOptions.parse(new String[] {"--page-cache", "as-is"}, HOME).fullPageCache()).isFalse();
        assertThat(CompareOptions.parse(new String[] {"--smoke"}, HOME).fullPageCache()).isFalse();
        assertThat(CompareOptions.parse(new String[] {"--smoke", "--page-cache", "full"}, HOME).fullPageCache()).isTrue();
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--page-cache", "empty"}, HOME))
            .hasMessageContaining("--page-cache takes full or as-is, not empty");
    }

    @Test
    void shouldShrinkEverythingForSmokeButLetFlagsOverride() {
        CompareOptions options = CompareOptions.parse(new String[] {"--smoke", "--rounds", "2", "--records", "100:1000"}, HOME);

        assertThat(options.smoke()).isTrue();
        assertThat(options.rounds()).isEqualTo(2);
        assertThat(options.records(100)).isEqualTo(1000);
        assertThat(options.records(1000)).isEqualTo(2000);
        assertThat(options.section()).isEqualTo("compare-smoke");
    }

    @Test
    void shouldRejectMisspeltOptions() {
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--round", "2"}, HOME))
            .hasMessageContaining("unknown option(s): --round");
    }
}
