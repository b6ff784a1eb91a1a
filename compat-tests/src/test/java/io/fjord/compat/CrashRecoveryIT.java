package io.fjord.compat;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The durability promise: a broker killed with SIGKILL in the middle of a stream of acks=all
 * writes comes back with every acknowledged record, in order, without duplicates.
 */
class CrashRecoveryIT {

    @Test
    void shouldKeepEveryAcknowledgedRecordAcrossKillNine(@TempDir Path workDir) throws Exception {
        String topic = "crash";
        ConcurrentSkipListSet<Integer> acknowledged = new ConcurrentSkipListSet<>();
        try (BrokerProcess broker = new BrokerProcess(workDir)) {
            broker.start();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> produceUntilStopped(broker.bootstrap(), topic, acknowledged, stop));
            writer.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (acknowledged.size() < 5_000 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            broker.kill();
            stop.set(true);
            writer.join();
            assertThat(acknowledged.size()).as("records acknowledged before the kill").isGreaterThan(1_000);

            broker.start();
            List<Integer> read = readAll(broker.bootstrap(), topic);

            assertThat(read).as("no duplicates").doesNotHaveDuplicates();
            assertThat(read).as("in order").isSorted();
            assertThat(read).as("every acknowledged record (%s, data in %s)", broker.bootstrap(), broker.dataDir())
                    .containsAll(acknowledged);
            // Records are sent in order from one idempotent producer, so what survives is a prefix.
            assertThat(read).isEqualTo(rangeTo(read.size()));
        }
    }

    private static List<Integer> rangeTo(int size) {
        List<Integer> range = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            range.add(i);
        }
        return range;
    }

    private static void produceUntilStopped(String bootstrap, String topic, ConcurrentSkipListSet<Integer> acknowledged,
                                            AtomicBoolean stop) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "3000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; !stop.get(); i++) {
                int sequence = i;
                producer.send(new ProducerRecord<>(topic, 0, null, Integer.toString(sequence)), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.add(sequence);
                    }
                });
                if (i % 1000 == 999) {
                    Thread.sleep(1);
                }
            }
            producer.close(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Integer> readAll(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<Integer> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            for (ConsumerRecord<String, String> record : ReadToEnd.read(consumer, new TopicPartition(topic, 0), Duration.ofSeconds(60))) {
                values.add(Integer.parseInt(record.value()));
            }
        }
        return values;
    }
}
