package io.fjord.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code partitions1000}: the same full-speed ProducerPerformance run (acks=1, client defaults)
 * into a topic of few partitions and into one of many (default 6 and 1,000), per record size, on
 * one broker run; each counted run follows a warm-up run into the same topic. Besides the plain
 * figures, each broker's degradation: the many-partition figure divided by the few-partition one,
 * for throughput (the bar: Fjord keeps at least 0.8 of it) and for broker CPU per GB (the bar:
 * Fjord spends at most 1.2 times as much) — issue 5's "degrades by no more than 20 %".
 */
final class PartitionCountCase implements ScaleCase {

    static final String GROUP = "Partition count: 1,000 partitions vs 6 (ProducerPerformance, acks=1, full speed)";
    static final double MAX_DEGRADATION = 0.2;

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
            Map<Integer, ScaleContext.ProducerRun> runs = new LinkedHashMap<>();
            for (int count : o.counts()) {
                ctx.warmUp(broker, topic(size, count), o.warmupRecords(size), size);
                ctx.produce(broker, "produce-" + topic(size, count), topic(size, count), o.records(size), size)
                    .ifPresent(run -> runs.put(count, run));
            }
            runs.forEach((count, run) -> recordRun(ctx, size, count, run));
            recordDegradation(ctx, size, o.counts(), runs);
        }
        ctx.stopCleanly(broker);
    }

    static String topic(int size, int partitions) {
        return "scale-" + size + "b-" + partitions + "p";
    }

    private static void recordRun(ScaleContext ctx, int size, int count, ScaleContext.ProducerRun run) {
        String label = size + " B, " + String.format(Locale.ROOT, "%,d", count) + (count == 1 ? " partition" : " partitions");
        ctx.record(fig(label, "throughput", "MB/s", Figure.Better.HIGHER, Figure.Bar.NONE), run.summary().mbPerSec());
        ctx.record(fig(label, "broker CPU per GB ingested", "CPU s/GB", Figure.Better.LOWER, Figure.Bar.NONE), run.cpuSecondsPerGb());
        ctx.record(fig(label, "broker CPU share", "cores", Figure.Better.INFO, Figure.Bar.NONE), run.run().brokerCores());
        ctx.record(fig(label, "machine busy (broker + tool)", "cores", Figure.Better.INFO, Figure.Bar.NONE), run.run().machineBusyCores());
    }

    /** Many-partition figure / few-partition figure of this broker, when both runs gave a result. */
    private static void recordDegradation(ScaleContext ctx, int size, List<Integer> counts, Map<Integer, ScaleContext.ProducerRun> runs) {
        int few = counts.stream().min(Comparator.naturalOrder()).orElseThrow();
        int many = counts.stream().max(Comparator.naturalOrder()).orElseThrow();
        Optional<Degradation> d = degradation(runs.get(few), runs.get(many));
        if (d.isEmpty()) {
            ctx.note(size + " B: no degradation figure, a run gave no result");
            return;
        }
        String label = String.format(Locale.ROOT, "%d B: %,d partitions / %,d", size, many, few);
        ctx.record(fig(label, "throughput ratio", "×", Figure.Better.HIGHER, Figure.Bar.fjordAtLeast(1 - MAX_DEGRADATION)),
            d.get().throughputRatio());
        ctx.record(fig(label, "broker CPU per GB ratio", "×", Figure.Better.LOWER, Figure.Bar.fjordAtMost(1 + MAX_DEGRADATION)),
            d.get().cpuPerGbRatio());
    }

    /** Many-partition figures over few-partition figures of one broker. */
    record Degradation(double throughputRatio, double cpuPerGbRatio) {
    }

    static Optional<Degradation> degradation(ScaleContext.ProducerRun few, ScaleContext.ProducerRun many) {
        if (few == null || many == null || few.summary().mbPerSec() == 0 || few.cpuSecondsPerGb() == 0) {
            return Optional.empty();
        }
        return Optional.of(new Degradation(many.summary().mbPerSec() / few.summary().mbPerSec(),
            many.cpuSecondsPerGb() / few.cpuSecondsPerGb()));
    }

    private static Figure fig(String label, String metric, String unit, Figure.Better better, Figure.Bar bar) {
        return new Figure(GROUP, label, metric, unit, better, bar);
    }
}
