package io.fjord.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumer throughput without a consumer group: assign every partition, seek to the beginning and
 * read {@code --records} records with the client's default fetch settings, counting key and value
 * bytes as ConsumerPerformance does. Beside ConsumerPerformance (which always joins a group), so a
 * broker without group support can still be measured. Prints
 * {@code RESULT records=.. bytes=.. seconds=.. mb_per_s=.. records_per_s=.. poll_thread_busy=..} (MB = 2^20 bytes, as
 * Kafka's tools). {@code poll_thread_busy} is the CPU time of the one thread that polls — without a group the classic
 * consumer fetches, decodes and hands over records all on it — over the counted read's wall time: near 1.0 the client,
 * not the broker, sets the speed. Where Linux keeps scheduler statistics, {@code poll_thread_runnable} is the share of
 * the read that thread spent ready to run but waiting for a CPU ({@code /proc/thread-self/schedstat}), and
 * {@code client_cores} the whole client JVM's CPU (its GC and JIT threads too) over the read: busy plus runnable near
 * 1.0 is a client that never waited for the broker, only for the machine's cores. {@code poll_thread_kernel} is the share
 * of the poll thread's CPU spent in the kernel (socket reads), and {@code fetches} / {@code bytes_per_fetch} the fetch
 * responses of the counted read and their mean size, from the client's own {@code fetch-total} and
 * {@code bytes-consumed-total} metrics.
 * With {@code --warmup-records N} the same consumer first reads N records from the beginning, uncounted,
 * then seeks to the beginning again, so the counted read runs in a warm JVM; with {@code --warmup-max-ms MS} that
 * warm-up read repeats while its last pass spent more than {@link Jit#QUIET_SHARE} of its time compiling, for at most MS
 * ({@code warmup_passes}). {@code jit_share} is the counted read's compile time over its wall time, and
 * {@code fetch_latency_ms} the client's own {@code fetch-latency-avg} (request sent to response read, its last minute).
 * Runs as its own JVM, started by {@link Compare}.
 */
public final class AssignConsumerPerf {

    /** One figure the RESULT line may carry beside the throughput: its key there, and its name and unit in a report. */
    record Diagnostic(String key, String figure, String unit) {
    }

    /**
     * The RESULT line's diagnostic figures, in report order, for the harnesses that record them ({@link Compare},
     * {@link PartitionCountCase}). Busy plus runnable near 1.0: the poll thread never waited for the broker, only for a CPU.
     * Fetch responses and their mean size show whether two brokers handed the client the same amount of work per response.
     */
    static final List<Diagnostic> DIAGNOSTICS = List.of(
        new Diagnostic("poll_thread_busy", "poll thread busy", "cores"),
        new Diagnostic("poll_thread_runnable", "poll thread runnable, waiting for a CPU", "share"),
        new Diagnostic("poll_thread_kernel", "poll thread CPU in the kernel", "share"),
        new Diagnostic("client_cores", "client JVM CPU", "cores"),
        new Diagnostic("bytes_per_fetch", "bytes per fetch response", "bytes"),
        new Diagnostic("fetch_latency_ms", "fetch latency (client's average)", "ms"),
        new Diagnostic("jit_share", "JIT compiling during the counted read", "share"),
        new Diagnostic("warmup_passes", "warm-up passes until the JIT was quiet", "passes"));

    private AssignConsumerPerf() {
    }

    /** Each diagnostic of {@link #DIAGNOSTICS} that a RESULT line's {@code values} carry, with its value, in report order. */
    static void forEachDiagnostic(java.util.Map<String, Double> values, java.util.function.BiConsumer<Diagnostic, Double> action) {
        for (Diagnostic d : DIAGNOSTICS) {
            Double value = values.get(d.key());
            if (value != null) {
                action.accept(d, value);
            }
        }
    }

    public static void main(String[] argv) {
        Args args = new Args(argv, Set.of());
        String bootstrap = args.string("bootstrap", "127.0.0.1:9092");
        String topic = args.string("topic", "bench");
        long wanted = args.longValue("records", 1_000_000);
        long timeoutMs = args.longValue("timeout-ms", 10_000);
        long warmup = args.longValue("warmup-records", 0);
        long warmupMaxMs = args.longValue("warmup-max-ms", 0);
        args.ensureAllUsed();

        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long startNs = System.nanoTime();
            long startCpuNs = threads.getCurrentThreadCpuTime();
            long startUserNs = threads.getCurrentThreadUserTime();
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            int warmupPasses = 0;
            if (warmup > 0) {
                long warmupStartNs = System.nanoTime();
                double jitShare;
                do {
                    long passStartNs = System.nanoTime();
                    long passStartJitMs = Jit.totalMs();
                    consumer.seekToBeginning(partitions);
                    read(consumer, warmup, timeoutMs);
                    warmupPasses++;
                    jitShare = Jit.shareSince(passStartJitMs, passStartNs);
                } while (jitShare > Jit.QUIET_SHARE && System.nanoTime() - warmupStartNs < TimeUnit.MILLISECONDS.toNanos(warmupMaxMs));
                startNs = System.nanoTime();
                startCpuNs = threads.getCurrentThreadCpuTime();
                startUserNs = threads.getCurrentThreadUserTime();
            }
            double startFetches = metric(consumer, "fetch-total");
            double startFetchedBytes = metric(consumer, "bytes-consumed-total");
            long selfPid = ProcessHandle.current().pid();
            long startRunDelayNs = ProcStats.threadRunQueueDelayNs();
            double startProcessCpuSeconds = ProcStats.cpuSeconds(selfPid);
            long startJitMs = Jit.totalMs();
            consumer.seekToBeginning(partitions);
            Read read = read(consumer, wanted, timeoutMs);
            double countedJitShare = Jit.shareSince(startJitMs, startNs);
            long wallNs = System.nanoTime() - startNs;
            long threadCpuNs = threads.getCurrentThreadCpuTime() - startCpuNs;
            double busy = threadCpuNs / (double) wallNs;
            double pollThreadKernel = 1 - (threads.getCurrentThreadUserTime() - startUserNs) / (double) Math.max(1, threadCpuNs);
            double fetches = metric(consumer, "fetch-total") - startFetches;
            double fetchedBytes = metric(consumer, "bytes-consumed-total") - startFetchedBytes;
            double seconds = (read.lastRecordNs() - startNs) / 1e9;
            StringBuilder scheduler = new StringBuilder();
            long endRunDelayNs = ProcStats.threadRunQueueDelayNs();
            if (startRunDelayNs >= 0 && endRunDelayNs >= 0) {
                scheduler.append(String.format(java.util.Locale.ROOT, " poll_thread_runnable=%.3f", (endRunDelayNs - startRunDelayNs) / (double) wallNs));
            }
            double endProcessCpuSeconds = ProcStats.cpuSeconds(selfPid);
            if (startProcessCpuSeconds >= 0 && endProcessCpuSeconds >= 0) {
                scheduler.append(String.format(java.util.Locale.ROOT, " client_cores=%.3f",
                    (endProcessCpuSeconds - startProcessCpuSeconds) / (wallNs / 1e9)));
            }
            scheduler.append(String.format(java.util.Locale.ROOT, " poll_thread_kernel=%.3f", pollThreadKernel));
            scheduler.append(String.format(java.util.Locale.ROOT, " jit_share=%.3f warmup_passes=%d",
                countedJitShare, warmupPasses));
            if (fetches > 0) {
                scheduler.append(String.format(java.util.Locale.ROOT, " fetches=%.0f bytes_per_fetch=%.0f fetch_latency_ms=%.3f", fetches,
                    fetchedBytes / fetches, metric(consumer, "fetch-latency-avg")));
            }
            System.out.printf(java.util.Locale.ROOT,
                "RESULT records=%d bytes=%d seconds=%.3f mb_per_s=%.2f records_per_s=%.1f poll_thread_busy=%.3f%s%n",
                read.records(), read.bytes(), seconds, read.bytes() / 1048576.0 / seconds, read.records() / seconds, busy, scheduler);
            if (read.records() < wanted) {
                System.err.println("read only " + read.records() + " of " + wanted + " records before " + timeoutMs + " ms without data");
                System.exit(1);
            }
        }
    }

    /** A cumulative fetch-manager metric of the consumer (summed over its tags), or 0 when the client has none. */
    private static double metric(KafkaConsumer<?, ?> consumer, String name) {
        double sum = 0;
        for (var e : consumer.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals("consumer-fetch-manager-metrics")
                && e.getKey().tags().size() == 1 && e.getValue().metricValue() instanceof Number n) {
                sum += n.doubleValue();
            }
        }
        return sum;
    }

    private record Read(long records, long bytes, long lastRecordNs) {
    }

    /** Polls until {@code wanted} records or {@code timeoutMs} without any. */
    private static Read read(KafkaConsumer<byte[], byte[]> consumer, long wanted, long timeoutMs) {
        long records = 0;
        long bytes = 0;
        long lastRecordNs = System.nanoTime();
        while (records < wanted && System.nanoTime() - lastRecordNs < TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                records++;
                bytes += (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
                lastRecordNs = System.nanoTime();
            }
        }
        return new Read(records, bytes, lastRecordNs);
    }
}
