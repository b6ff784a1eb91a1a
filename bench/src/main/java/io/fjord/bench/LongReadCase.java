package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code read20g}: {@code --read-gb} GB of 1 KiB records written through the broker's Produce path
 * (ProducerPerformance, acks=1) into one partition, then read from offset 0 with
 * {@link AssignConsumerPerf} twice on the same broker run:
 * <ol>
 *   <li>cold: after {@link PageCache#evict} emptied the page cache of the partition's files;</li>
 *   <li>warm: immediately again, with whatever the cold read left cached.</li>
 * </ol>
 * Each read gives MB/s (MB = 2^20, as Kafka's tools), the broker's CPU per GB read, and how much of
 * the log's {@code .log} files was resident before it. Before writing, the free space under the
 * broker's directory must be at least {@value #FREE_SPACE_FACTOR} times the data; the data dir is
 * deleted right after each broker's run ({@link ScaleContext#finish()}).
 */
final class LongReadCase implements ScaleCase {

    static final String GROUP = "Reading a long log from the start (AssignConsumerPerf, 1 partition)";
    static final String TOPIC = "scale-read";
    static final double FREE_SPACE_FACTOR = 2.5;
    /** A cold read may stall on the disk, but a minute without a single record means the read is stuck. */
    private static final long READ_IDLE_TIMEOUT_MS = 60_000;

    @Override
    public String key() {
        return "read20g";
    }

    @Override
    public void run(ScaleContext ctx) throws Exception {
        ScaleOptions.LongRead o = ctx.options().longRead();
        ensureFreeSpace(ctx.spec().dir(), o.bytes());
        String label = String.format(Locale.ROOT, "%s GB of %d B records", gigabytes(o.gigabytes()), o.recordSize());
        BrokerProcess broker = ctx.startFresh();
        Topics.create(ctx.spec().bootstrap(), Map.of(TOPIC, 1), ctx.startTimeoutMs());
        ScaleContext.ProducerRun write = ctx.produce(broker, "write-" + TOPIC, TOPIC, o.records(), o.recordSize())
            .orElseThrow(() -> new IllegalStateException("writing " + label + " failed; see " + ctx.logDir().resolve("write-" + TOPIC + ".log")));
        ctx.record(fig(label, "write with ProducerPerformance, acks=1 (info)", "MB/s", Figure.Better.INFO), write.summary().mbPerSec());

        Path partitionDir = ctx.spec().dataDir().resolve(TOPIC + "-0");
        PageCache.Method method = PageCache.evict(partitionDir, o.evict());
        ctx.note(label + ": page cache emptied before the cold read with " + method.description());
        read(ctx, broker, label, "cold", o.records(), partitionDir);
        read(ctx, broker, label, "warm", o.records(), partitionDir);
        ctx.stopCleanly(broker);
    }

    private static void read(ScaleContext ctx, BrokerProcess broker, String label, String phase, long records, Path partitionDir)
            throws IOException, InterruptedException {
        List<Path> logFiles = PageCache.files(partitionDir).stream().filter(f -> f.toString().endsWith(".log")).toList();
        OptionalLong residentBefore = PageCache.residentBytes(logFiles);
        ScaleContext.ToolRun run = ctx.measured(broker, "read-" + phase, ctx.tools().probe(AssignConsumerPerf.class,
            List.of("--bootstrap", ctx.spec().bootstrap(), "--topic", TOPIC, "--records", Long.toString(records),
                "--timeout-ms", Long.toString(READ_IDLE_TIMEOUT_MS))));
        Optional<Map<String, Double>> values = ToolOutputs.probeResult(run.result().output());
        if (values.isEmpty() || run.result().exitCode() != 0) {
            ctx.failed("assign-based consumer, " + phase + " read of " + label, run.result());
            return;
        }
        Map<String, Double> v = values.get();
        residentBefore.ifPresent(bytes -> ctx.record(fig(label, phase + ": log resident in page cache before the read", "MB",
            Figure.Better.INFO), bytes / 1048576.0));
        ctx.record(fig(label, phase + ": read throughput", "MB/s", Figure.Better.HIGHER), v.get("mb_per_s"));
        ctx.record(fig(label, phase + ": broker CPU per GB read", "CPU s/GB", Figure.Better.LOWER), run.brokerCpuSeconds() / (v.get("bytes") / 1e9));
        Compare.log(String.format(Locale.ROOT, "  %s %s read: %.1f MB/s", ctx.spec().name(), phase, v.get("mb_per_s")));
    }

    /** Throws with what to do when the file system under {@code dir} has less than 2.5 times {@code dataBytes} free. */
    static void ensureFreeSpace(Path dir, long dataBytes) throws IOException {
        Files.createDirectories(dir);
        freeSpaceProblem(Files.getFileStore(dir).getUsableSpace(), dataBytes, dir).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
    }

    static Optional<String> freeSpaceProblem(long usableBytes, long dataBytes, Path dir) {
        double neededBytes = dataBytes * FREE_SPACE_FACTOR;
        if (usableBytes >= neededBytes) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "read20g needs %.1f GB free under %s (%.1f × the %.1f GB written) but %.1f GB are free: "
            + "free some space or lower --read-gb", neededBytes / 1e9, dir, FREE_SPACE_FACTOR, dataBytes / 1e9, usableBytes / 1e9));
    }

    private static String gigabytes(double gb) {
        return gb == Math.rint(gb) ? Long.toString((long) gb) : Double.toString(gb);
    }

    private static Figure fig(String label, String metric, String unit, Figure.Better better) {
        return new Figure(GROUP, label, metric, unit, better, Figure.Bar.NONE);
    }
}
