package io.fjord.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code idle}: {@code --connections} mostly idle client connections ({@link IdleConnections}) on
 * one broker run, in this order:
 * <ol>
 *   <li>warm-up, then ProducerPerformance (100 B, 6 partitions, acks=1) without the connections;</li>
 *   <li>an idle window without them: broker CPU share, RSS, open descriptors;</li>
 *   <li>open the connections: time until every one has its ApiVersions and Metadata answered;</li>
 *   <li>the same idle window with them open (each sends one Metadata request per interval);</li>
 *   <li>the same ProducerPerformance run with them open;</li>
 *   <li>one more ApiVersions on each: did the broker keep them all?</li>
 * </ol>
 * Neither broker limits connections per IP by default (Kafka's {@code max.connections.per.ip} is
 * 2^31-1, Fjord has no such limit) and both close idle connections after
 * {@code connections.max.idle.ms} = 10 minutes, far beyond the windows here.
 */
final class IdleConnectionsCase implements ScaleCase {

    static final String GROUP = "Mostly idle client connections";
    static final String TOPIC = "scale-idle-100b-6p";
    private static final int PARTITIONS = 6;
    private static final int RECORD_SIZE = 100;
    private static final int WARMUP_PERCENT = 10;
    private static final int REQUEST_TIMEOUT_MS = 30_000;
    private static final long FINISH_TIMEOUT_MS = 300_000;

    /** The broker over an idle window: CPU share, resident memory, open descriptors. */
    record IdleWindow(double brokerCores, double rssMb, long openFiles) {
        static IdleWindow measure(BrokerProcess broker, double seconds) throws InterruptedException {
            double cpuBefore = ProcStats.cpuSeconds(broker.pid());
            long startNs = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            double cores = (ProcStats.cpuSeconds(broker.pid()) - cpuBefore) / ((System.nanoTime() - startNs) / 1e9);
            return new IdleWindow(cores, ProcStats.rssBytes(broker.pid()) / 1048576.0, ProcStats.openFileDescriptors(broker.pid()));
        }
    }

    @Override
    public String key() {
        return "idle";
    }

    @Override
    public void run(ScaleContext ctx) throws Exception {
        ScaleOptions.Idle o = ctx.options().idle();
        String label = String.format(Locale.ROOT, "%,d connections", o.connections());
        BrokerProcess broker = ctx.startFresh();
        Topics.create(ctx.spec().bootstrap(), Map.of(TOPIC, PARTITIONS), ctx.startTimeoutMs());
        ctx.warmUp(broker, TOPIC, o.producerRecords() * WARMUP_PERCENT / 100, RECORD_SIZE);
        Optional<ScaleContext.ProducerRun> without = ctx.produce(broker, "produce-without-connections", TOPIC, o.producerRecords(), RECORD_SIZE);
        Compare.log("  " + ctx.spec().name() + ": idle window without client connections");
        IdleWindow quiet = IdleWindow.measure(broker, o.idleSeconds());

        Optional<ScaleContext.ProducerRun> with;
        try (BackgroundTool tool = BackgroundTool.start("IdleConnections", command(ctx, o), ctx.logDir().resolve("idle-connections.log"))) {
            Compare.log("  " + ctx.spec().name() + ": opening " + o.connections() + " connections");
            Map<String, Double> opened = tool.awaitLine("RESULT", TimeUnit.SECONDS.toMillis(ctx.options().run().toolTimeoutSeconds()));
            double openedCount = opened.get("opened");
            ctx.record(fig(label, "open all; ApiVersions and Metadata answered on each", "ms", Figure.Better.LOWER), opened.get("open_ms"));
            ctx.record(fig(label, "connections opened", "", Figure.Better.INFO), openedCount);
            if (opened.get("failed") > 0) {
                ctx.note(String.format(Locale.ROOT, "%s: %.0f of %d connections could not be opened; see %s", label, opened.get("failed"),
                    o.connections(), ctx.logDir().resolve("idle-connections.log")));
            }
            Compare.log(String.format(Locale.ROOT, "  %s: %.0f connections open after %.0f ms; idle window with them", ctx.spec().name(),
                openedCount, opened.get("open_ms")));
            IdleWindow busy = IdleWindow.measure(broker, o.idleSeconds());
            with = ctx.produce(broker, "produce-with-connections", TOPIC, o.producerRecords(), RECORD_SIZE);
            Map<String, Double> end = tool.finish("FINAL", FINISH_TIMEOUT_MS);
            ctx.record(fig(label, "connections still answering at the end", "", Figure.Better.INFO), end.get("answered_at_end"));
            if (end.get("lost") > 0) {
                ctx.note(String.format(Locale.ROOT, "%s: the broker closed or stopped answering %.0f idle connections", label, end.get("lost")));
            }
            recordWindows(ctx, label, quiet, busy, openedCount);
        }
        recordProducer(ctx, label, without, with);
        ctx.stopCleanly(broker);
    }

    private static List<String> command(ScaleContext ctx, ScaleOptions.Idle o) {
        long toolTimeoutSeconds = ctx.options().run().toolTimeoutSeconds();
        return ctx.tools().probe(IdleConnections.class, List.of("--bootstrap", ctx.spec().bootstrap(), "--topic", TOPIC,
            "--connections", Integer.toString(o.connections()), "--max-pending", Integer.toString(o.maxPendingHandshakes()),
            "--request-interval-seconds", Double.toString(o.requestIntervalSeconds()), "--timeout-ms", Integer.toString(REQUEST_TIMEOUT_MS),
            "--open-timeout-ms", Long.toString(TimeUnit.SECONDS.toMillis(toolTimeoutSeconds)),
            "--max-hold-seconds", Long.toString(toolTimeoutSeconds)));
    }

    private static void recordWindows(ScaleContext ctx, String label, IdleWindow quiet, IdleWindow busy, double openedCount) {
        double seconds = ctx.options().idle().idleSeconds();
        String window = String.format(Locale.ROOT, " (%.0f s idle)", seconds);
        ctx.record(fig(label, "broker CPU share, no client connections" + window, "cores", Figure.Better.INFO), quiet.brokerCores());
        ctx.record(fig(label, "broker CPU share, connections open" + window, "cores", Figure.Better.LOWER), busy.brokerCores());
        ctx.record(fig(label, "broker resident memory (VmRSS), no client connections", "MB", Figure.Better.INFO), quiet.rssMb());
        ctx.record(fig(label, "broker resident memory (VmRSS), connections open", "MB", Figure.Better.LOWER), busy.rssMb());
        if (openedCount > 0) {
            ctx.record(fig(label, "broker resident memory per connection (difference)", "KB", Figure.Better.INFO),
                (busy.rssMb() - quiet.rssMb()) * 1024 / openedCount);
        }
        ctx.record(fig(label, "broker open file descriptors, connections open", "", Figure.Better.INFO), busy.openFiles());
    }

    private static void recordProducer(ScaleContext ctx, String label, Optional<ScaleContext.ProducerRun> without,
                                       Optional<ScaleContext.ProducerRun> with) {
        String tool = "ProducerPerformance 100 B, 6 partitions, acks=1";
        without.ifPresent(r -> ctx.record(fig(label, tool + ", no other connections", "MB/s", Figure.Better.HIGHER), r.summary().mbPerSec()));
        with.ifPresent(r -> ctx.record(fig(label, tool + ", connections open", "MB/s", Figure.Better.HIGHER), r.summary().mbPerSec()));
        if (without.isPresent() && with.isPresent()) {
            ctx.record(fig(label, "producer throughput with / without the connections", "×", Figure.Better.HIGHER),
                with.get().summary().mbPerSec() / without.get().summary().mbPerSec());
        }
    }

    private static Figure fig(String label, String metric, String unit, Figure.Better better) {
        return new Figure(GROUP, label, metric, unit, better, Figure.Bar.NONE);
    }
}
