package io.fjord.compat;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Apache kafka-clients 4.x — producer, consumer and Admin — against a real Fjord broker. */
class JavaClientIT {

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static Properties producerProps(String acks, String compression) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, acks);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, String.valueOf(acks.equals("all")));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    static KafkaConsumer<byte[], byte[]> consumer() {
        return consumer(broker.bootstrap());
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        return new KafkaConsumer<>(props);
    }

    static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Record i: key "k-i" (null every 7th), value of varying size (null every 11th), a header. */
    private static ProducerRecord<byte[], byte[]> record(String topic, int i) {
        byte[] key = i % 7 == 0 ? null : bytes("k-" + i);
        byte[] value = i % 11 == 0 ? null : bytes("value-" + i + "-" + "x".repeat(i % 300));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, 1_700_000_000_000L + i, key, value);
        record.headers().add(new RecordHeader("h", bytes("header-" + i)));
        if (i % 5 == 0) {
            record.headers().add(new RecordHeader("null-header", null));
        }
        return record;
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int partition, int expected) {
        return readAllFrom(broker.bootstrap(), topic, partition, expected);
    }

    /** Reads a partition from the beginning with assign/seek/poll until {@code expected} records or 30 s. */
    static List<ConsumerRecord<byte[], byte[]>> readAllFrom(String bootstrap, String topic, int partition, int expected) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (all.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    @ParameterizedTest(name = "acks={0} compression={1}")
    @CsvSource({"all,none", "all,gzip", "all,snappy", "all,lz4", "all,zstd", "1,none", "1,zstd", "0,none", "0,lz4"})
    void shouldReadBackEveryRecordByteForByte(String acks, String compression) throws Exception {
        String topic = "roundtrip-" + acks + "-" + compression;
        int count = 2_000;
        List<Future<RecordMetadata>> acked = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(acks, compression))) {
            for (int i = 0; i < count; i++) {
                acked.add(producer.send(record(topic, i)));
            }
            producer.flush();
            if (!acks.equals("0")) {
                for (int i = 0; i < count; i++) {
                    assertThat(acked.get(i).get().offset()).as("offset of record %d", i).isEqualTo(i);
                }
            }
        }

        List<ConsumerRecord<byte[], byte[]>> read = readAll(topic, 0, count);

        assertThat(read).hasSize(count);
        for (int i = 0; i < count; i++) {
            ProducerRecord<byte[], byte[]> sent = record(topic, i);
            ConsumerRecord<byte[], byte[]> got = read.get(i);
            assertThat(got.offset()).isEqualTo(i);
            assertThat(got.timestamp()).isEqualTo(sent.timestamp());
            assertThat(got.key()).isEqualTo(sent.key());
            assertThat(got.value()).isEqualTo(sent.value());
            assertThat(got.headers().toArray()).isEqualTo(sent.headers().toArray());
        }
    }

    @Test
    void shouldManageTopicsThroughAdmin() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("admin-topic", 3, (short) 1)
                    .configs(Map.of("retention.ms", "3600000")))).all().get();
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("admin-topic", 1, (short) 1))).all().get())
                    .hasCauseInstanceOf(TopicExistsException.class);

            assertThat(admin.listTopics().names().get()).contains("admin-topic");
            TopicDescription description = admin.describeTopics(List.of("admin-topic")).allTopicNames().get().get("admin-topic");
            assertThat(description.partitions()).hasSize(3);
            assertThat(description.topicId().toString()).isNotEqualTo("AAAAAAAAAAAAAAAAAAAAAA");

            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "admin-topic");
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value())
                    .isEqualTo("3600000");
            admin.incrementalAlterConfigs(Map.of(resource, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("segment.bytes", "1048576"), AlterConfigOp.OpType.SET)))).all().get();
            var configs = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(configs.get("retention.ms").value()).isEqualTo("7200000");
            assertThat(configs.get("segment.bytes").value()).isEqualTo("1048576");
            assertThat(configs.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(configs.get("cleanup.policy").value()).isEqualTo("delete");

            admin.createPartitions(Map.of("admin-topic", NewPartitions.increaseTo(5))).all().get();
            assertThat(admin.describeTopics(List.of("admin-topic")).allTopicNames().get().get("admin-topic").partitions()).hasSize(5);

            admin.deleteTopics(List.of("admin-topic")).all().get();
            assertThat(admin.listTopics().names().get()).doesNotContain("admin-topic");
            assertThatThrownBy(() -> admin.describeTopics(List.of("admin-topic")).allTopicNames().get())
                    .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    @Test
    void shouldDeleteRecordsAndListOffsetsByTimestamp() throws Exception {
        String topic = "offsets-topic";
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps("all", "none"))) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, 1_000_000L + i * 10L, null, bytes("v" + i))).get();
                }
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get().get(tp).offset()).isZero();
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset()).isEqualTo(100);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.forTimestamp(1_000_000L + 425))).all().get().get(tp).offset())
                    .isEqualTo(43);
            var max = admin.listOffsets(Map.of(tp, OffsetSpec.maxTimestamp())).all().get().get(tp);
            assertThat(max.offset()).isEqualTo(99);
            assertThat(max.timestamp()).isEqualTo(1_000_000L + 990);

            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(40))).all().get();
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get().get(tp).offset()).isEqualTo(40);
            List<ConsumerRecord<byte[], byte[]>> rest = readAll(topic, 0, 60);
            assertThat(rest).hasSize(60);
            assertThat(rest.get(0).offset()).isEqualTo(40);
        }
    }

    @Test
    void shouldApplyAlteredTopicConfigsToTheRunningPartition() throws Exception {
        String topic = "altered-topic";
        try (Admin admin = admin();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps("all", "none"))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            producer.send(new ProducerRecord<>(topic, 0, null, new byte[5_000])).get();

            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", "1000"), AlterConfigOp.OpType.SET)))).all().get();

            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, null, new byte[5_000])).get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class);
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "soon"), AlterConfigOp.OpType.SET)))).all().get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidConfigurationException.class)
                    .hasMessageContaining("retention.ms");
        }
    }

    @Test
    void shouldDeleteWholeSegmentsPastRetention() throws Exception {
        String topic = "retention-topic";
        try (TestBroker retentionBroker = TestBroker.start(Map.of("log.retention.check.interval.ms", "100"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, retentionBroker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
                    "retention.bytes", "20000", "segment.bytes", "1048576", "internal.segment.bytes", "10000")))).all().get();
            Properties props = producerProps("all", "none");
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, retentionBroker.bootstrap());
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, "1000");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                for (int i = 0; i < 200; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, null, new byte[500])).get();
                }
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            org.awaitility.Awaitility.await("retention on " + retentionBroker).atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get().get(tp).offset()).isPositive());
            long earliest = admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get().get(tp).offset();
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset()).isEqualTo(200);
            assertThat(readAllFrom(retentionBroker.bootstrap(), topic, 0, (int) (200 - earliest)))
                    .hasSize((int) (200 - earliest)).first().extracting(ConsumerRecord::offset).isEqualTo(earliest);
        }
    }

    @Test
    void shouldDescribeClusterAndLogDirs() throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            var cluster = admin.describeCluster();
            assertThat(cluster.nodes().get()).hasSize(1);
            assertThat(cluster.clusterId().get()).isNotBlank();
            assertThat(cluster.controller().get().id()).isEqualTo(1);
            admin.createTopics(List.of(new NewTopic("dirs-topic", 2, (short) 1))).all().get();
            var dirs = admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1);
            assertThat(dirs).hasSize(1);
            var partitions = dirs.values().iterator().next().replicaInfos().keySet();
            assertThat(partitions).contains(new TopicPartition("dirs-topic", 0), new TopicPartition("dirs-topic", 1));
        }
    }

    @Test
    void shouldAutoCreateTopicsOnFirstProduce() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps("all", "none"));
             Admin admin = admin()) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>("auto-created", bytes("hello"))).get();
            assertThat(metadata.offset()).isZero();
            assertThat(admin.listTopics().names().get()).contains("auto-created");
        }
    }

    @Test
    void shouldReportProducersOfAPartition() throws Exception {
        String topic = "producers-topic";
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps("all", "none"));
             Admin admin = admin()) {
            producer.send(new ProducerRecord<>(topic, 0, null, bytes("a"))).get();
            producer.send(new ProducerRecord<>(topic, 0, null, bytes("b"))).get();
            var state = admin.describeProducers(List.of(new TopicPartition(topic, 0))).all().get()
                    .get(new TopicPartition(topic, 0));
            assertThat(state.activeProducers()).hasSize(1);
            assertThat(state.activeProducers().get(0).lastSequence()).isEqualTo(1);
        }
    }

}
