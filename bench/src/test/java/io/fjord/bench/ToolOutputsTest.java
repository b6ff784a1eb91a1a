package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolOutputsTest {

    @Test
    void shouldTakeProducerPerformanceFinalSummaryNotProgressLines() {
        String output = """
            87613 records sent, 17515.6 records/sec (1.67 MB/sec), 4.3 ms avg latency, 395.0 ms max latency.
            100000 records sent, 17498.3 records/sec (1.67 MB/sec), 4.15 ms avg latency, 395.00 ms max latency, 2 ms 50th, 9 ms 95th, 101 ms 99th, 106 ms 99.9th.
            """;

        ToolOutputs.ProducerSummary summary = ToolOutputs.producer(output).orElseThrow();

        assertThat(summary.records()).isEqualTo(100_000);
        assertThat(summary.mbPerSec()).isEqualTo(1.67);
        assertThat(summary.recordsPerSec()).isEqualTo(17498.3);
        assertThat(summary.p99Ms()).isEqualTo(101);
        assertThat(summary.p999Ms()).isEqualTo(106);
    }

    @Test
    void shouldReportNoProducerSummaryWhenToolFailed() {
        assertThat(ToolOutputs.producer("org.apache.kafka.common.errors.TimeoutException: boom")).isEmpty();
    }

    @Test
    void shouldTakeTheCountedRunsClientMetricsNotAWarmupPasss() {
        // Two passes of a warmed run, each followed by its producer's --print-metrics block (abridged).
        String output = """
            2500000 records sent, 896700.1 records/sec (85.52 MB/sec), 111.40 ms avg latency, 449.00 ms max latency, 128 ms 50th, 377 ms 95th, 418 ms 99th, 440 ms 99.9th.

            Metric Name                                                                            Value
            producer-metrics:record-queue-time-avg:{client-id=perf-producer-client}              : 111.396
            producer-metrics:request-latency-avg:{client-id=perf-producer-client}                : 2.937
            5000000 records sent, 2136752.1 records/sec (203.78 MB/sec), 5.40 ms avg latency, 40.00 ms max latency, 4 ms 50th, 27 ms 95th, 37 ms 99th, 39 ms 99.9th.

            Metric Name                                                                            Value
            producer-metrics:record-queue-time-avg:{client-id=perf-producer-client}              : 5.321
            producer-metrics:record-queue-time-max:{client-id=perf-producer-client}              : 40.000
            producer-metrics:request-latency-avg:{client-id=perf-producer-client}                : 0.861
            """;

        ToolOutputs.ProducerClientMetrics metrics = ToolOutputs.producerClientMetrics(output).orElseThrow();

        assertThat(metrics.recordQueueMs()).isEqualTo(5.321);
        assertThat(metrics.requestLatencyMs()).isEqualTo(0.861);
    }

    @Test
    void shouldReportNoClientMetricsWhenTheCountedRunPrintedNoneOrNaN() {
        String warmupOnly = """
            2500000 records sent, 896700.1 records/sec (85.52 MB/sec), 111.40 ms avg latency, 449.00 ms max latency, 128 ms 50th, 377 ms 95th, 418 ms 99th, 440 ms 99.9th.
            producer-metrics:record-queue-time-avg:{client-id=perf-producer-client}              : 111.396
            producer-metrics:request-latency-avg:{client-id=perf-producer-client}                : 2.937
            5000000 records sent, 2136752.1 records/sec (203.78 MB/sec), 5.40 ms avg latency, 40.00 ms max latency, 4 ms 50th, 27 ms 95th, 37 ms 99th, 39 ms 99.9th.
            """;
        String nan = """
            10 records sent, 10.0 records/sec (0.00 MB/sec), 5.40 ms avg latency, 40.00 ms max latency, 4 ms 50th, 27 ms 95th, 37 ms 99th, 39 ms 99.9th.
            producer-metrics:record-queue-time-avg:{client-id=perf-producer-client}              : NaN
            producer-metrics:request-latency-avg:{client-id=perf-producer-client}                : 0.861
            """;

        assertThat(ToolOutputs.producerClientMetrics(warmupOnly)).isEmpty();
        assertThat(ToolOutputs.producerClientMetrics(nan)).isEmpty();
        assertThat(ToolOutputs.producerClientMetrics("org.apache.kafka.common.errors.TimeoutException: boom")).isEmpty();
    }

    @Test
    void shouldParseConsumerPerformanceRow() {
        String output = """
            start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
            2026-11-22 05:38:57:338, 2026-11-22 05:38:58:100, 1.9073, 2.5030, 20000, 26246.7192, 486, 276, 6.9106, 72463.7681
            """;

        ToolOutputs.ConsumerSummary summary = ToolOutputs.consumer(output).orElseThrow();

        assertThat(summary.messages()).isEqualTo(20_000);
        assertThat(summary.fetchMbPerSec()).isEqualTo(6.9106);
        assertThat(summary.rebalanceMs()).isEqualTo(486);
    }

    @Test
    void shouldTakeTheCountedRunOfAWarmedConsumerPerformance() {
        String header = "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, "
            + "fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec\n";
        String output = header
            + "2026-11-22 05:38:57:338, 2026-11-22 05:38:58:100, 1.9073, 2.5030, 2000, 26246.7192, 486, 276, 6.9106, 72463.7681\n"
            + "warm-up done; counted run follows\n" + header
            + "2026-11-22 05:38:59:338, 2026-11-22 05:39:00:100, 19.073, 25.030, 20000, 26246.7192, 12, 276, 69.106, 72463.7681\n";

        ToolOutputs.ConsumerSummary summary = ToolOutputs.consumer(output).orElseThrow();

        assertThat(summary.messages()).isEqualTo(20_000);
        assertThat(summary.rebalanceMs()).isEqualTo(12);
    }

    @Test
    void shouldParseEndToEndLatencySummary() {
        String output = "0\t120.5\nAvg latency: 8.5234 ms\nPercentiles: 50th = 8, 99th = 18, 99.9th = 25\n";

        ToolOutputs.EndToEndSummary summary = ToolOutputs.endToEnd(output).orElseThrow();

        assertThat(summary.avgMs()).isEqualTo(8.5234);
        assertThat(summary.p99Ms()).isEqualTo(18);
        assertThat(summary.p999Ms()).isEqualTo(25);
    }

    @Test
    void shouldParseProbeResultLine() {
        assertThat(ToolOutputs.probeResult("noise\nRESULT count=2000 p99_us=7182.8 lost=0\n").orElseThrow())
            .containsEntry("count", 2000.0).containsEntry("p99_us", 7182.8).containsEntry("lost", 0.0);
    }

    @Test
    void shouldFindATaggedKeyValueLineAmongOthers() {
        String output = """
            RESULT connections=5000 opened=4990 failed=10 open_ms=1940.4
            could not open 10 of 5000 connections
            FINAL answered_at_end=4990 lost=0 idle_requests=1459
            """;

        assertThat(ToolOutputs.keyValueLine(output, "FINAL")).hasValueSatisfying(v -> assertThat(v)
            .containsEntry("answered_at_end", 4990.0).containsEntry("lost", 0.0));
        assertThat(ToolOutputs.probeResult(output)).hasValueSatisfying(v -> assertThat(v).containsEntry("open_ms", 1940.4));
        assertThat(ToolOutputs.keyValueLine(output, "MISSING")).isEmpty();
    }

    @Test
    void shouldCountEveryWarmUpPassInTheRecordsAConsumerRead() {
        assertThat(ToolOutputs.recordsRead(Map.of("warmup_passes", 4.0, "jit_share", 0.03), 5_000_000, 5_000_000)).isEqualTo(25_000_000);
        assertThat(ToolOutputs.recordsRead(Map.of("mb_per_s", 300.0), 5_000_000, 2_000_000)).isEqualTo(7_000_000);
    }

    @Test
    void shouldSkipWordsThatAreNotFiguresWhenOtherOutputLandsInsideAResultLine() {
        String output = "RESULT count=2000 139423 1900       1       java.nio.CharBuffer::arrayOffset p99_us=7182.8 a=b =3\n";

        assertThat(ToolOutputs.probeResult(output).orElseThrow())
            .containsOnlyKeys("count", "p99_us")
            .containsEntry("count", 2000.0)
            .containsEntry("p99_us", 7182.8);
    }
}
