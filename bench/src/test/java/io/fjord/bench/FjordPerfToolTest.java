package io.fjord.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FjordPerfToolTest {

    @Test
    void readsTheLastResultLine() {
        String output = """
            200000 records sent, 50000.3 records/sec (4.77 MB/sec), 1.870 ms avg latency, 165.722 ms max latency.
            RESULT records=1 seconds=0.1 mbPerSec=1.0
            RESULT records=200000 seconds=4.000 recPerSec=50000.3 mbPerSec=4.77 p50Us=1448 p99Us=4065 p999Us=10007 maxUs=165722 note=x
            """;
        Map<String, Double> values = FjordPerfTool.result(output).orElseThrow();
        assertThat(values).containsEntry("records", 200000.0).containsEntry("mbPerSec", 4.77).containsEntry("p99Us", 4065.0)
            .doesNotContainKey("note");
    }

    @Test
    void aConsumeRunReadsItsReportedPassesAndWarmupPasses() {
        Map<String, Double> values = FjordPerfTool.result("RESULT records=5000001 bytes=549903005 seconds=0.171 warmupRecords=15000003 warmupPasses=3\n")
            .orElseThrow();
        assertThat(FjordPerfTool.recordsRead(values, 5_000_000, 5_000_000)).isEqualTo(20_000_004);
        // Counted passes (--measure-ms): what they read in all.
        Map<String, Double> passes = FjordPerfTool.result("RESULT records=15000000 passes=3 warmupRecords=5000000 warmupPasses=1\n")
            .orElseThrow();
        assertThat(FjordPerfTool.recordsRead(passes, 5_000_000, 5_000_000)).isEqualTo(20_000_000);
        // A line without the keys (an older tool): what was asked for.
        assertThat(FjordPerfTool.recordsRead(Map.of("mbPerSec", 5.0), 5_000_000, 2_000_000)).isEqualTo(7_000_000);
    }

    @Test
    void noResultLineIsNoResult() {
        assertThat(FjordPerfTool.result("fjord perf: Metadata for topic nope: UNKNOWN_TOPIC_OR_PARTITION\n")).isEmpty();
    }
}
