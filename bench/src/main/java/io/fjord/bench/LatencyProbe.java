package io.fjord.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end latency with microsecond resolution (Kafka's EndToEndLatency truncates to whole
 * milliseconds): a producer thread sends at a fixed rate, each value starting with the
 * {@link System#nanoTime()} of its send; a consumer in the same JVM (so the clocks agree) reads
 * with {@code assign} (no consumer group needed) and records now - sent. Sends are scheduled on
 * a fixed timetable, so a stall delays later sends' schedule check but not their timestamps.
 *
 * <pre>
 * value: | send nanoTime int64 | filler (size - 8 bytes) |
 * </pre>
 * Prints {@code RESULT count=.. p50_us=.. p99_us=.. p999_us=.. max_us=.. mean_us=.. lost=..}.
 * Runs as its own JVM, started by {@link Compare}; two threads, both stop by themselves.
 */
public final class LatencyProbe {

    private static final int MAX_SAMPLES = 20_000_000;

    private LatencyProbe() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of());
        String bootstrap = args.string("bootstrap", "127.0.0.1:9092");
        String topic = args.string("topic", "latency-probe");
        int recordSize = Math.max(8, args.intValue("record-size", 100));
        int ratePerSec = args.intValue("rate", 1000);
        double seconds = args.doubleValue("seconds", 10);
        double warmupSeconds = args.doubleValue("warmup-seconds", 2);
        String acks = args.string("acks", "1");
        String lingerMs = args.string("linger-ms", "0");
        args.ensureAllUsed();

        long total = (long) ((seconds + warmupSeconds) * ratePerSec);
        long warmup = (long) (warmupSeconds * ratePerSec);
        long[] latenciesNs = new long[(int) Math.min(MAX_SAMPLES, total - warmup)];
        int samples = 0;
        AtomicLong sendErrors = new AtomicLong();

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(bootstrap));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap, acks, lingerMs))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            Thread sender = Thread.ofPlatform().name("latency-probe-sender").start(() -> {
                long intervalNs = TimeUnit.SECONDS.toNanos(1) / ratePerSec;
                long startNs = System.nanoTime();
                for (long i = 0; i < total; i++) {
                    long dueNs = startNs + i * intervalNs;
                    long waitNs;
                    while ((waitNs = dueNs - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(waitNs);
                    }
                    byte[] value = new byte[recordSize];
                    ByteBuffer.wrap(value).putLong(System.nanoTime());
                    producer.send(new ProducerRecord<>(topic, value), (metadata, e) -> {
                        if (e != null) {
                            sendErrors.incrementAndGet();
                        }
                    });
                }
                producer.flush();
            });

            long received = 0;
            long lastProgressNs = System.nanoTime();
            while (received < total && System.nanoTime() - lastProgressNs < TimeUnit.SECONDS.toNanos(15)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long latencyNs = System.nanoTime() - ByteBuffer.wrap(record.value()).getLong();
                    received++;
                    lastProgressNs = System.nanoTime();
                    if (received > warmup && samples < latenciesNs.length) {
                        latenciesNs[samples++] = latencyNs;
                    }
                }
            }
            sender.join();
            printResult(Arrays.copyOf(latenciesNs, samples), total - received, sendErrors.get());
        }
    }

    static void printResult(long[] latenciesNs, long lost, long sendErrors) {
        Arrays.sort(latenciesNs);
        double sum = 0;
        for (long l : latenciesNs) {
            sum += l;
        }
        int n = latenciesNs.length;
        System.out.printf(java.util.Locale.ROOT, "RESULT count=%d p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f mean_us=%.1f lost=%d send_errors=%d%n",
            n, percentileUs(latenciesNs, 0.50), percentileUs(latenciesNs, 0.99), percentileUs(latenciesNs, 0.999),
            n == 0 ? 0.0 : latenciesNs[n - 1] / 1e3, n == 0 ? 0.0 : sum / n / 1e3, lost, sendErrors);
    }

    /** Nearest-rank percentile of sorted nanoseconds, in microseconds. */
    static double percentileUs(long[] sortedNs, double quantile) {
        if (sortedNs.length == 0) {
            return 0.0;
        }
        int rank = (int) Math.ceil(quantile * sortedNs.length) - 1;
        return sortedNs[Math.max(0, Math.min(sortedNs.length - 1, rank))] / 1e3;
    }

    private static Properties consumerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    private static Properties producerProps(String bootstrap, String acks, String lingerMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, acks);
        // linger.ms defaults to 5 in clients 4.x; 0 measures the broker rather than the batching delay.
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        return props;
    }
}
