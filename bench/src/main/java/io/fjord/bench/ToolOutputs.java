package io.fjord.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for what Kafka's tools and the harness's own probes print. Each returns empty when the
 * expected summary is missing (the tool failed or timed out), never a half-filled result.
 */
final class ToolOutputs {

    /** ProducerPerformance's final summary; latencies in milliseconds as the tool prints them. */
    record ProducerSummary(long records, double recordsPerSec, double mbPerSec, double avgLatencyMs, double maxLatencyMs,
                           double p50Ms, double p95Ms, double p99Ms, double p999Ms) {
    }

    /** One ConsumerPerformance result row; the fetch.* figures exclude group join time. */
    record ConsumerSummary(double mbConsumed, double mbPerSec, long messages, double messagesPerSec,
                           double rebalanceMs, double fetchMs, double fetchMbPerSec, double fetchMessagesPerSec) {
    }

    /**
     * Two of the producer's own metrics (ProducerPerformance {@code --print-metrics}, printed after its summary, so outside
     * the timed run) for the last producer the output shows: how long a record waited in the client's buffer before its
     * batch was sent, and a produce request's round trip as the client saw it. They tell which side set the pace: a
     * record that waited far longer than a request took was queued behind a full buffer (the tool's
     * {@code buffer.memory}), so the requests in flight were the limit, not the tool's thread.
     */
    record ProducerClientMetrics(double recordQueueMs, double requestLatencyMs) {
    }

    /** EndToEndLatency: the average (to 0.1 µs) and percentiles truncated to whole milliseconds by the tool. */
    record EndToEndSummary(double avgMs, long p50Ms, long p99Ms, long p999Ms) {
    }

    // "%d records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency,
    //  %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th."
    private static final Pattern PRODUCER_SUMMARY = Pattern.compile(
        "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, "
            + "(\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99\\.9th\\.");
    private static final Pattern E2E_AVG = Pattern.compile("Avg latency: ([\\d.]+) ms");
    private static final Pattern E2E_PERCENTILES = Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+), 99\\.9th = (\\d+)");
    private static final String CONSUMER_HEADER = "start.time, end.time, data.consumed.in.MB";

    private ToolOutputs() {
    }

    static Optional<ProducerSummary> producer(String output) {
        Matcher m = PRODUCER_SUMMARY.matcher(output);
        ProducerSummary last = null;
        while (m.find()) {
            last = new ProducerSummary(Long.parseLong(m.group(1)), d(m.group(2)), d(m.group(3)), d(m.group(4)), d(m.group(5)),
                d(m.group(6)), d(m.group(7)), d(m.group(8)), d(m.group(9)));
        }
        return Optional.ofNullable(last);
    }

    /**
     * The {@link ProducerClientMetrics} printed after the last summary (the counted run's, in a warmed run); empty
     * when there is no summary, or either metric was not printed after it, or printed NaN.
     */
    static Optional<ProducerClientMetrics> producerClientMetrics(String output) {
        Optional<MatchResult> summary = last(PRODUCER_SUMMARY.matcher(output));
        if (summary.isEmpty()) {
            return Optional.empty();
        }
        String after = output.substring(summary.get().end());
        Optional<Double> queue = lastProducerMetric(after, "record-queue-time-avg");
        Optional<Double> request = lastProducerMetric(after, "request-latency-avg");
        if (queue.isEmpty() || request.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProducerClientMetrics(queue.get(), request.get()));
    }

    /**
     * The value of the last line Kafka's {@code ToolsUtils.printMetrics} printed for {@code producer-metrics:NAME}
     * ("group:name:{tags}   : value", three decimals); empty when there is none or it is NaN (nothing recorded).
     */
    private static Optional<Double> lastProducerMetric(String output, String name) {
        Pattern line = Pattern.compile("(?m)^producer-metrics:" + Pattern.quote(name) + ":\\{[^}]*\\}\\s*:\\s*(\\S+)\\s*$");
        Optional<MatchResult> last = last(line.matcher(output));
        if (last.isEmpty()) {
            return Optional.empty();
        }
        try {
            double value = d(last.get().group(1));
            return Double.isNaN(value) ? Optional.empty() : Optional.of(value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<ConsumerSummary> consumer(String output) {
        String[] lines = output.split("\n");
        // The last header: a warmed run prints the warm-up's summary first.
        for (int i = lines.length - 2; i >= 0; i--) {
            if (lines[i].startsWith(CONSUMER_HEADER)) {
                String[] f = lines[i + 1].split(",\\s*");
                if (f.length < 10) {
                    return Optional.empty();
                }
                return Optional.of(new ConsumerSummary(d(f[2]), d(f[3]), Long.parseLong(f[4].trim()), d(f[5]),
                    d(f[6]), d(f[7]), d(f[8]), d(f[9])));
            }
        }
        return Optional.empty();
    }

    /** EndToEndLatency's last summary: a warmed run prints the warm-up's first. */
    static Optional<EndToEndSummary> endToEnd(String output) {
        Optional<MatchResult> avg = last(E2E_AVG.matcher(output));
        Optional<MatchResult> pct = last(E2E_PERCENTILES.matcher(output));
        if (avg.isEmpty() || pct.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EndToEndSummary(d(avg.get().group(1)), Long.parseLong(pct.get().group(1)),
            Long.parseLong(pct.get().group(2)), Long.parseLong(pct.get().group(3))));
    }

    private static Optional<MatchResult> last(Matcher matcher) {
        MatchResult last = null;
        while (matcher.find()) {
            last = matcher.toMatchResult();
        }
        return Optional.ofNullable(last);
    }

    /** The harness probes print one line "RESULT key=value key=value ..."; empty when absent. */
    static Optional<Map<String, Double>> probeResult(String output) {
        return keyValueLine(output, "RESULT");
    }

    /**
     * Records a warmed tool sent or read in all: the counted run and each warm-up pass its RESULT line's
     * {@code warmup_passes} counts (one when the line does not say).
     */
    static long recordsRead(Map<String, Double> values, long records, long warmupRecords) {
        return records + warmupRecords * Math.round(values.getOrDefault("warmup_passes", 1.0));
    }

    /**
     * The first line "TAG key=value key=value ..." with numeric values; empty when absent. Words that are not
     * {@code key=number} are skipped: a JVM's own output (e.g. {@code -XX:+PrintCompilation}) can land inside the line.
     */
    static Optional<Map<String, Double>> keyValueLine(String output, String tag) {
        String prefix = tag + " ";
        for (String line : output.split("\n")) {
            if (line.startsWith(prefix)) {
                Map<String, Double> values = new HashMap<>();
                for (String pair : line.substring(prefix.length()).trim().split("\\s+")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        try {
                            values.put(pair.substring(0, eq), d(pair.substring(eq + 1)));
                        } catch (NumberFormatException notANumber) {
                            // not one of the tool's figures
                        }
                    }
                }
                return Optional.of(values);
            }
        }
        return Optional.empty();
    }

    private static double d(String s) {
        return Double.parseDouble(s.trim());
    }
}
