package io.fjord.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Times a broker restart over existing data as a client sees it: fork to the first answered
 * ApiVersions ({@link ReadinessProbe}) and fork to the first fetch that returns records. The
 * consumer is built, assigned to every partition of the topic and sought to the beginning before
 * the fork, so no client start-up is inside either figure.
 *
 * <p>Used by {@link RestartTime} and by {@link Scale}'s many-partitions case; driver thread. The
 * broker is left running: the caller stops it (cleanly or with SIGKILL) and owns it from then on.
 */
final class RestartProbe {

    /** The restarted broker, still running, and the milliseconds from its fork to the first fetched records. */
    record Restarted(BrokerProcess broker, double firstFetchMs) {
        double readyMs() {
            return broker.readiness().readyMs();
        }
    }

    /** Small fetches: this measures availability, not bandwidth. */
    private static final int FETCH_MAX_BYTES = 1 << 20;
    private static final int MAX_PARTITION_FETCH_BYTES = 64 << 10;
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

    private RestartProbe() {
    }

    /** Starts {@code spec} over its existing data dir; throws if it does not serve records within {@code timeoutMs} of the fork. */
    static Restarted restart(BenchEnvironment env, BrokerSpec spec, String topic, int partitions, long timeoutMs) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(spec.bootstrap()))) {
            List<TopicPartition> all = new ArrayList<>(partitions);
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            BrokerProcess broker = BrokerProcess.start(spec, env, timeoutMs);
            try {
                return new Restarted(broker, firstFetchMs(consumer, broker, timeoutMs));
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
        }
    }

    private static double firstFetchMs(KafkaConsumer<byte[], byte[]> consumer, BrokerProcess broker, long timeoutMs) {
        long deadlineNs = broker.startNs() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadlineNs) {
            if (!consumer.poll(POLL_TIMEOUT).isEmpty()) {
                return (System.nanoTime() - broker.startNs()) / 1e6;
            }
        }
        throw new IllegalStateException(broker.spec().name() + ": no records fetched within " + timeoutMs + " ms of the restart");
    }

    private static Properties consumerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(FETCH_MAX_BYTES));
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_PARTITION_FETCH_BYTES));
        return props;
    }
}
