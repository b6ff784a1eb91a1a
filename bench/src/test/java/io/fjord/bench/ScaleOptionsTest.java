package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScaleOptionsTest {

    private static final Path HOME = Path.of("/tmp/fjord");

    @Test
    void shouldDefaultToTheIssueSizes() {
        ScaleOptions options = ScaleOptions.parse(new String[0], HOME);

        assertThat(options.cases()).containsExactly("partitions10k", "partitions1000", "idle", "read20g");
        assertThat(options.brokers()).containsExactly("kafka", "fjord");
        assertThat(options.manyPartitions().partitions()).isEqualTo(10_000);
        assertThat(options.partitionCounts().counts()).containsExactly(6, 1000);
        assertThat(options.partitionCounts().records(100)).isEqualTo(5_000_000);
        assertThat(options.partitionCounts().warmupRecords(1024)).isEqualTo(500_000);
        assertThat(options.partitionCounts().readWarmupRecords(1024)).isEqualTo(1_000_000);
        assertThat(options.partitionCounts().latencyRate(100)).isEqualTo(150_000);
        assertThat(options.partitionCounts().latencyRecords(1024)).isEqualTo(400_000);
        assertThat(options.partitionCounts().latencyWarmupRecords(1024)).isEqualTo(133_333);
        assertThat(options.partitionCounts().fullPageCache()).isTrue();
        assertThat(options.idle().connections()).isEqualTo(5_000);
        assertThat(options.idle().idleSeconds()).isEqualTo(30);
        assertThat(options.longRead().bytes()).isEqualTo(20_000_000_000L);
        assertThat(options.longRead().records()).isEqualTo(20_000_000_000L / 1024);
        assertThat(options.run().section()).isEqualTo("scale-results");
        assertThat(options.run().tcpCongestion()).isEqualTo("as-is");
        assertThat(ScaleOptions.parse(new String[] {"--tcp-congestion", "cubic"}, HOME).summary()).contains("--tcp-congestion cubic");
        assertThat(options.run().workDir().toString()).startsWith("/tmp/fjord/bench/target/scale-");
    }

    @Test
    void shouldShrinkForSmokeButLetFlagsOverride() {
        ScaleOptions options = ScaleOptions.parse(new String[] {"--smoke", "--connections", "300", "--cases", "idle,read20g"}, HOME);

        assertThat(options.run().smoke()).isTrue();
        assertThat(options.partitionCounts().fullPageCache()).isFalse();
        assertThat(options.cases()).containsExactly("idle", "read20g");
        assertThat(options.manyPartitions().partitions()).isEqualTo(1_000);
        assertThat(options.idle().connections()).isEqualTo(300);
        assertThat(options.longRead().gigabytes()).isEqualTo(1.0);
        assertThat(options.run().section()).isEqualTo("scale-smoke");
        assertThat(options.summary()).contains("--cases idle,read20g").contains("--connections 300").endsWith("(--smoke)");
    }

    @Test
    void shouldRejectUnknownCasesAndMisspeltOptions() {
        assertThatThrownBy(() -> ScaleOptions.parse(new String[] {"--cases", "partitions100k"}, HOME))
            .hasMessageContaining("--cases takes");
        assertThatThrownBy(() -> ScaleOptions.parse(new String[] {"--read-gbs", "2"}, HOME))
            .hasMessageContaining("unknown option(s): --read-gbs");
        assertThatThrownBy(() -> ScaleOptions.parse(new String[] {"--evict", "never"}, HOME))
            .hasMessageContaining("--evict takes");
    }

    @Test
    void shouldRequireRecordCountsForEverySizeAndTwoPartitionCounts() {
        assertThatThrownBy(() -> ScaleOptions.parse(new String[] {"--sizes", "100,512"}, HOME))
            .hasMessageContaining("no count for size 512");
        assertThatThrownBy(() -> ScaleOptions.parse(new String[] {"--partition-counts", "1000"}, HOME))
            .hasMessageContaining("at least two counts");
        assertThatThrownBy(() -> ScaleOptions.parse(new String[] {"--latency-rates", "100:1000"}, HOME))
            .hasMessageContaining("--latency-rates has no rate for size 1024");
        assertThatThrownBy(() -> ScaleOptions.parse(new String[] {"--latency-rates", "100=1000"}, HOME))
            .hasMessageContaining("--latency-rates takes SIZE:N pairs");
    }
}
