package io.fjord.compat;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * fsync as a Kafka user configures it, seen through the broker's own recovery-point checkpoint
 * ({@code log.flush.offset.checkpoint.interval.ms}) and its recovery after SIGKILL: a topic with
 * {@code flush.messages=1} acknowledges records the broker has fsynced (its recovery point reaches
 * every acknowledged offset, with no other flush configured), while a topic with Kafka's default flush
 * settings leaves them to the page cache; after SIGKILL both have every acknowledged record.
 */
class FlushIT {

    private static final int RECORD_BYTES = 1024;
    @Test
    void shouldAcknowledgeFsyncedRecordsAndKeepThemAcrossKillNine(@TempDir Path workDir) throws Exception {
        try (BrokerProcess broker = new BrokerProcess(workDir, Map.of("log.flush.offset.checkpoint.interval.ms", "100"))) {
            broker.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                admin.createTopics(List.of(
                        new NewTopic("synced", 1, (short) 1).configs(Map.of("flush.messages", "1")),
                        new NewTopic("cached", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            assertThat(produce(broker.bootstrap(), "synced", 300)).isEqualTo(299);
            assertThat(produce(broker.bootstrap(), "cached", 3_000)).isEqualTo(2_999);

            Path checkpoint = broker.dataDir().resolve("recovery-point-offset-checkpoint");
            await("recovery points in " + checkpoint).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                // Every acknowledged record of the flush.messages=1 topic is durable.
                assertThat(recoveryPoint(checkpoint, "synced")).isEqualTo(300);
                // Kafka's defaults: nothing forces an fsync, the page cache holds the records.
                assertThat(recoveryPoint(checkpoint, "cached")).isZero();
            });

            broker.kill();
            broker.start();

            assertThat(readCount(broker.bootstrap(), "synced")).isEqualTo(300);
            assertThat(readCount(broker.bootstrap(), "cached")).isEqualTo(3_000);
        }
    }

    /** Produces {@code count} records with acks=all and returns the last acknowledged offset. */
    private static long produce(String bootstrap, String topic, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, 0, null, new byte[RECORD_BYTES])));
            }
            long last = -1;
            for (Future<RecordMetadata> future : sent) {
                last = Math.max(last, future.get(30, TimeUnit.SECONDS).offset());
            }
            return last;
        }
    }

    private static long recoveryPoint(Path checkpoint, String topic) throws IOException {
        if (!Files.exists(checkpoint)) {
            return -1;
        }
        for (String line : Files.readAllLines(checkpoint)) {
            String[] fields = line.split(" ");
            if (fields.length == 3 && fields[0].equals(topic) && fields[1].equals("0")) {
                return Long.parseLong(fields[2]);
            }
        }
        return -1;
    }

    private static int readCount(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<ConsumerRecord<byte[], byte[]>> records = ReadToEnd.read(consumer, new TopicPartition(topic, 0), Duration.ofSeconds(60));
            assertThat(records).allSatisfy(record -> assertThat(record.value()).hasSize(RECORD_BYTES));
            return records.size();
        }
    }
}
