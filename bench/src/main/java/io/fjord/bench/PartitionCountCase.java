package io.fjord.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code partitions1000}: the figures with a topic of few partitions and with one of many
 * (default 6 and 1,000), per record size, on one broker run. Per topic: a full-speed
 * ProducerPerformance run (acks=1, client defaults) after a warm-up run into the same topic; a read
 * of those records from the start with the assign consumer (Kafka's client, default settings) and
 * with {@code fjord perf consume} (whose client does no per-partition work per poll, so its ratio
 * is closer to the broker's own); ProducerPerformance at a fixed rate for the latency percentiles,
 * then {@code fjord perf produce} at the same rate for them in microseconds (the tool's whole
 * milliseconds turn 4 → 5 ms into a 25 % degradation).
 * The disk settles before each counted run. Besides the plain figures, each broker's degradation: the many-partition figure
 * divided by the few-partition one — throughput, consumer throughput (the bar: Fjord keeps at least
 * 0.8 of it), broker CPU per GB and produce p99 (the bar: Fjord at most 1.2 times) — issue 5's
 * "no figure degrades by more than 20 %". End-to-end latency is the 1-partition figure and
 * is not repeated here.
 */
final class PartitionCountCase implements ScaleCase {

    static final String GROUP = "Partition count: 1,000 partitions vs 6 (ProducerPerformance, acks=1, full speed)";
    static final String READ_GROUP = "Partition count: reading the records back (assign consumer, fjord perf consume)";
    static final String LATENCY_GROUP = "Partition count: produce latency at a fixed rate (ProducerPerformance, acks=1)";
    static final String PERF_LATENCY_GROUP = "Partition count: produce latency at the same fixed rate (fjord perf, microsecond resolution)";
    static final double MAX_DEGRADATION = 0.2;
    /** The disk is quiet this long before each counted run: the previous run's writeback is not in it. */
    private static final long SETTLE_QUIET_MS = 500;

    @Override
    public String key() {
        return "partitions1000";
    }

    @Override
    public void run(ScaleContext ctx) throws Exception {
        ScaleOptions.PartitionCounts o = ctx.options().partitionCounts();
        BrokerProcess broker = ctx.startFresh();
        for (int size : o.sizes()) {
            for (int count : o.counts()) {
                // Kafka creates a topic's logs after answering CreateTopics: wait until every
                // partition takes a record, so that log creation is inside no producer run.
                Topics.createAndAwaitWritable(ctx.spec().bootstrap(), topic(size, count), count, ctx.startTimeoutMs());
            }
        }
        for (int size : o.sizes()) {
            produceAtFullSpeed(ctx, broker, o, size);
            readBack(ctx, broker, o, size);
            produceAtFixedRate(ctx, broker, o, size);
        }
        ctx.stopCleanly(broker);
    }

    private static void produceAtFullSpeed(ScaleContext ctx, BrokerProcess broker, ScaleOptions.PartitionCounts o, int size)
            throws Exception {
        Map<Integer, Double> throughputs = new LinkedHashMap<>();
        Map<Integer, Double> cpuPerGb = new LinkedHashMap<>();
        for (int count : o.counts()) {
            ctx.warmUp(broker, topic(size, count), o.warmupRecords(size), size);
            ctx.settle(SETTLE_QUIET_MS);
            ctx.produce(broker, "produce-" + topic(size, count), topic(size, count), o.records(size), size).ifPresent(run -> {
                throughputs.put(count, run.summary().mbPerSec());
                cpuPerGb.put(count, run.cpuSecondsPerGb());
                recordRun(ctx, size, count, run);
            });
        }
        recordRatio(ctx, GROUP, size, o.counts(), throughputs, "throughput ratio", Figure.Better.HIGHER,
            Figure.Bar.fjordAtLeast(1 - MAX_DEGRADATION));
        recordRatio(ctx, GROUP, size, o.counts(), cpuPerGb, "broker CPU per GB ratio", Figure.Better.LOWER,
            Figure.Bar.fjordAtMost(1 + MAX_DEGRADATION));
    }

    private static void readBack(ScaleContext ctx, BrokerProcess broker, ScaleOptions.PartitionCounts o, int size) throws Exception {
        for (ScaleContext.Reader reader : ScaleContext.Reader.values()) {
            Map<Integer, Double> reads = new LinkedHashMap<>();
            for (int count : o.counts()) {
                ctx.settle(SETTLE_QUIET_MS);
                ctx.consume(broker, reader, reader.logName + "-consume-" + topic(size, count), topic(size, count),
                    o.records(size), o.readWarmupRecords(size), size).ifPresent(read -> {
                        reads.put(count, read.mbPerSec());
                        recordRead(ctx, reader, size, count, read);
                    });
            }
            recordRatio(ctx, READ_GROUP, size, o.counts(), reads, reader.title + ": throughput ratio", Figure.Better.HIGHER,
                Figure.Bar.fjordAtLeast(1 - MAX_DEGRADATION));
        }
    }

    private static void produceAtFixedRate(ScaleContext ctx, BrokerProcess broker, ScaleOptions.PartitionCounts o, int size)
            throws Exception {
        Map<Integer, Double> p99s = new LinkedHashMap<>();
        for (int count : o.counts()) {
            ctx.settle(SETTLE_QUIET_MS);
            ctx.produceAtRate(broker, "latency-" + topic(size, count), topic(size, count), o.latencyWarmupRecords(size),
                o.latencyRecords(size), size, o.latencyRate(size)).ifPresent(summary -> {
                    p99s.put(count, summary.p99Ms());
                    recordLatency(ctx, size, count, o.latencyRate(size), summary);
                });
        }
        recordRatio(ctx, LATENCY_GROUP, size, o.counts(), p99s, "p99 ratio", Figure.Better.LOWER,
            Figure.Bar.fjordAtMost(1 + MAX_DEGRADATION));
        Map<Integer, Double> perfP99s = new LinkedHashMap<>();
        for (int count : o.counts()) {
            ctx.settle(SETTLE_QUIET_MS);
            ctx.perfProduceAtRate(broker, "perf-latency-" + topic(size, count), topic(size, count), o.latencyWarmupRecords(size),
                o.latencyRecords(size), size, o.latencyRate(size)).ifPresent(values -> {
                    perfP99s.put(count, values.get("p99Us"));
                    recordPerfLatency(ctx, size, count, values);
                });
        }
        recordRatio(ctx, PERF_LATENCY_GROUP, size, o.counts(), perfP99s, "p99 ratio", Figure.Better.LOWER,
            Figure.Bar.fjordAtMost(1 + MAX_DEGRADATION));
    }

    static String topic(int size, int partitions) {
        return "scale-" + size + "b-" + partitions + "p";
    }

    private static String label(int size, int count) {
        return size + " B, " + String.format(Locale.ROOT, "%,d", count) + (count == 1 ? " partition" : " partitions");
    }

    private static void recordRun(ScaleContext ctx, int size, int count, ScaleContext.ProducerRun run) {
        String label = label(size, count);
        ctx.record(fig(label, "throughput", "MB/s", Figure.Better.HIGHER, Figure.Bar.NONE), run.summary().mbPerSec());
        ctx.record(fig(label, "broker CPU per GB ingested", "CPU s/GB", Figure.Better.LOWER, Figure.Bar.NONE), run.cpuSecondsPerGb());
        ctx.record(fig(label, "broker CPU share", "cores", Figure.Better.INFO, Figure.Bar.NONE), run.run().brokerCores());
        ctx.record(fig(label, "machine busy (broker + tool)", "cores", Figure.Better.INFO, Figure.Bar.NONE), run.run().machineBusyCores());
    }

    private static void recordRead(ScaleContext ctx, ScaleContext.Reader reader, int size, int count, ScaleContext.ConsumerRun read) {
        String label = label(size, count);
        String tool = reader.title;
        ctx.record(new Figure(READ_GROUP, label, tool + " throughput", "MB/s", Figure.Better.HIGHER, Figure.Bar.NONE), read.mbPerSec());
        ctx.record(new Figure(READ_GROUP, label, tool + ": broker CPU per GB read", "CPU s/GB", Figure.Better.LOWER, Figure.Bar.NONE),
            read.cpuSecondsPerGb());
        ctx.record(new Figure(READ_GROUP, label, tool + ": machine busy (broker + tool)", "cores", Figure.Better.INFO, Figure.Bar.NONE),
            read.run().machineBusyCores());
        if (reader == ScaleContext.Reader.ASSIGN) {
            AssignConsumerPerf.forEachDiagnostic(read.values(), (d, value) ->
                ctx.record(new Figure(READ_GROUP, label, tool + ": " + d.figure(), d.unit(), Figure.Better.INFO, Figure.Bar.NONE), value));
        }
    }

    private static void recordLatency(ScaleContext ctx, int size, int count, long rate, ToolOutputs.ProducerSummary summary) {
        String label = label(size, count);
        ctx.record(new Figure(LATENCY_GROUP, label, "rate", "rec/s", Figure.Better.INFO, Figure.Bar.NONE), rate);
        ctx.record(new Figure(LATENCY_GROUP, label, "p50", "ms", Figure.Better.LOWER, Figure.Bar.NONE), summary.p50Ms());
        ctx.record(new Figure(LATENCY_GROUP, label, "p99", "ms", Figure.Better.LOWER, Figure.Bar.NONE), summary.p99Ms());
        ctx.record(new Figure(LATENCY_GROUP, label, "p99.9", "ms", Figure.Better.LOWER, Figure.Bar.NONE), summary.p999Ms());
    }

    private static void recordPerfLatency(ScaleContext ctx, int size, int count, Map<String, Double> values) {
        String label = label(size, count);
        ctx.record(new Figure(PERF_LATENCY_GROUP, label, "p50", "µs", Figure.Better.LOWER, Figure.Bar.NONE), values.get("p50Us"));
        ctx.record(new Figure(PERF_LATENCY_GROUP, label, "p99", "µs", Figure.Better.LOWER, Figure.Bar.NONE), values.get("p99Us"));
        ctx.record(new Figure(PERF_LATENCY_GROUP, label, "p99.9", "µs", Figure.Better.LOWER, Figure.Bar.NONE), values.get("p999Us"));
    }

    /** One figure's many-partition value over its few-partition value, when both runs gave one. */
    private static void recordRatio(ScaleContext ctx, String group, int size, List<Integer> counts, Map<Integer, Double> values,
                                    String metric, Figure.Better better, Figure.Bar bar) {
        int few = counts.stream().min(Comparator.naturalOrder()).orElseThrow();
        int many = counts.stream().max(Comparator.naturalOrder()).orElseThrow();
        OptionalDouble r = ratio(values.get(few), values.get(many));
        if (r.isEmpty()) {
            ctx.note(size + " B: no " + metric + ", a run gave no result");
            return;
        }
        ctx.record(new Figure(group, ratioLabel(size, few, many), metric, "×", better, bar), r.getAsDouble());
    }

    private static String ratioLabel(int size, int few, int many) {
        return String.format(Locale.ROOT, "%d B: %,d partitions / %,d", size, many, few);
    }

    static OptionalDouble ratio(Double few, Double many) {
        return few == null || many == null || few == 0 ? OptionalDouble.empty() : OptionalDouble.of(many / few);
    }

    private static Figure fig(String label, String metric, String unit, Figure.Better better, Figure.Bar bar) {
        return new Figure(GROUP, label, metric, unit, better, bar);
    }
}
