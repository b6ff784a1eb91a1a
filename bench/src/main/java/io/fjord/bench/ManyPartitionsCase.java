package io.fjord.bench;

import java.util.Locale;

/**
 * {@code partitions10k}: one broker with one topic of {@code --many-partitions} partitions.
 * <ol>
 *   <li>create the topic: until the admin calls are answered, and until every partition has
 *       accepted a record ({@link Topics#createAndAwaitWritable}; Kafka takes at most 10,000
 *       metadata records per request, so 10,000 partitions are created as 5,000 plus 5,000);</li>
 *   <li>write {@code --many-records} 1 KiB records with ProducerPerformance (the sticky partitioner
 *       moves on after each 16 KiB batch, so a million records touch each of 10,000 partitions
 *       about six times);</li>
 *   <li>stop with SIGTERM (time to exit) and restart over the data ({@link RestartProbe}: fork to
 *       the first answered ApiVersions and to the first fetch with records).</li>
 * </ol>
 * The bar, clean restart of 10,000 partitions in 10 s or less, is shown on both restart
 * figures when the topic has at least 10,000 partitions.
 */
final class ManyPartitionsCase implements ScaleCase {

    static final String GROUP = "Many partitions on one broker";
    static final String TOPIC = "scale-many";
    private static final int BAR_PARTITIONS = 10_000;
    private static final double BAR_RESTART_MS = 10_000;

    @Override
    public String key() {
        return "partitions10k";
    }

    @Override
    public void run(ScaleContext ctx) throws Exception {
        ScaleOptions.ManyPartitions o = ctx.options().manyPartitions();
        String label = String.format(Locale.ROOT, "%,d partitions", o.partitions());
        BrokerProcess broker = ctx.startFresh();
        Topics.Created created = Topics.createAndAwaitWritable(ctx.spec().bootstrap(), TOPIC, o.partitions(), ctx.startTimeoutMs());
        ctx.record(fig(label, "create topic: " + Topics.describeCreation(o.partitions()) + " answered", "ms", Figure.Better.LOWER),
            created.answeredMs());
        ctx.record(fig(label, "create topic: every partition accepted a record", "ms", Figure.Better.LOWER), created.allWritableMs());
        Compare.log(String.format(Locale.ROOT, "  %s: topic created after %.0f ms, all %d partitions writable after %.0f ms",
            ctx.spec().name(), created.answeredMs(), o.partitions(), created.allWritableMs()));

        String writeLabel = String.format(Locale.ROOT, "write %,d records of %d B", o.records(), o.recordSize());
        ctx.produce(broker, "write-" + TOPIC, TOPIC, o.records(), o.recordSize()).ifPresent(write -> {
            ctx.record(fig(label, writeLabel + ": throughput", "MB/s", Figure.Better.HIGHER), write.summary().mbPerSec());
            ctx.record(fig(label, writeLabel + ": broker CPU per GB", "CPU s/GB", Figure.Better.LOWER), write.cpuSecondsPerGb());
        });
        ctx.record(fig(label, "resident memory after the write (VmRSS)", "MB", Figure.Better.LOWER), ProcStats.rssBytes(broker.pid()) / 1048576.0);
        ctx.record(fig(label, "clean shutdown (SIGTERM to exit)", "ms", Figure.Better.INFO), ctx.stopCleanly(broker));

        RestartProbe.Restarted restarted = RestartProbe.restart(ctx.env(), ctx.spec(), TOPIC, o.partitions(), ctx.startTimeoutMs());
        ctx.track(restarted.broker());
        Figure.Bar bar = o.partitions() >= BAR_PARTITIONS ? Figure.Bar.fjordAtMost(BAR_RESTART_MS) : Figure.Bar.NONE;
        ctx.record(new Figure(GROUP, label, "restart after clean shutdown: to first answered ApiVersions", "ms", Figure.Better.LOWER, bar),
            restarted.readyMs());
        ctx.record(new Figure(GROUP, label, "restart after clean shutdown: to first fetch with records", "ms", Figure.Better.LOWER, bar),
            restarted.firstFetchMs());
        Compare.log(String.format(Locale.ROOT, "  %s restart after clean shutdown: ready %.0f ms, first fetch %.0f ms", ctx.spec().name(),
            restarted.readyMs(), restarted.firstFetchMs()));
        ctx.stopCleanly(restarted.broker());
    }

    private static Figure fig(String label, String metric, String unit, Figure.Better better) {
        return new Figure(GROUP, label, metric, unit, better, Figure.Bar.NONE);
    }
}
