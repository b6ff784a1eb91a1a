package io.fjord.compat;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Exactly-once with the Apache kafka-clients 4.x transactional producer against a real Fjord
 * broker (classic transactions: Fjord never finalizes {@code transaction.version} 2): committed
 * data is visible to read_committed consumers and aborted data never is, a fenced zombie cannot
 * write, consume-transform-produce commits its input offsets atomically with its output, and
 * Kafka's TransactionsCommand lists and describes transactions.
 */
class TransactionsIT {

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start(Map.of("group.initial.rebalance.delay.ms", "0"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static KafkaProducer<String, String> transactionalProducer(String bootstrap, String transactionalId) {
        return transactionalProducer(bootstrap, transactionalId, 30_000);
    }

    static KafkaProducer<String, String> transactionalProducer(String bootstrap, String transactionalId, int transactionTimeoutMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(transactionTimeoutMs));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    static KafkaConsumer<String, String> consumer(String bootstrap, String isolation, String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** Every value of {@code tp} up to the end offset the consumer's isolation level sees. */
    static List<String> readAll(String bootstrap, String isolation, TopicPartition tp) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, isolation, null)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<String> values = new ArrayList<>();
            await("reading " + tp + " up to " + end + " (" + isolation + ")").atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                            values.add(record.value());
                        }
                        return consumer.position(tp) >= end;
                    });
            return values;
        }
    }

    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    @Test
    void shouldShowCommittedTransactionsToReadCommittedConsumersAndNeverAbortedOnes() throws Exception {
        String topic = "txn-visibility";
        createTopic(broker.bootstrap(), topic, 1);
        try (KafkaProducer<String, String> producer = transactionalProducer(broker.bootstrap(), "visibility")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted-1"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-3"));
            producer.commitTransaction();
        }

        TopicPartition tp = new TopicPartition(topic, 0);
        assertThat(readAll(broker.bootstrap(), "read_committed", tp)).containsExactly("committed-1", "committed-2", "committed-3");
        assertThat(readAll(broker.bootstrap(), "read_uncommitted", tp))
                .containsExactly("committed-1", "committed-2", "aborted-1", "committed-3");
    }

    @Test
    void shouldHideAnOpenTransactionFromReadCommittedUntilItCommits() throws Exception {
        String topic = "txn-open";
        createTopic(broker.bootstrap(), topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = transactionalProducer(broker.bootstrap(), "open");
             KafkaConsumer<String, String> committed = consumer(broker.bootstrap(), "read_committed", null)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "pending"));
            producer.flush();

            assertThat(committed.endOffsets(List.of(tp)).get(tp)).isZero();
            assertThat(readAll(broker.bootstrap(), "read_uncommitted", tp)).containsExactly("pending");

            producer.commitTransaction();
            await().atMost(Duration.ofSeconds(10)).until(() -> committed.endOffsets(List.of(tp)).get(tp) == 2L);
            assertThat(readAll(broker.bootstrap(), "read_committed", tp)).containsExactly("pending");
        }
    }

    @Test
    void shouldFenceAZombieProducerSoItCanNeitherWriteNorCommit() throws Exception {
        String topic = "txn-zombie";
        createTopic(broker.bootstrap(), topic, 2);
        KafkaProducer<String, String> zombie = transactionalProducer(broker.bootstrap(), "zombie-id");
        try (KafkaProducer<String, String> successor = transactionalProducer(broker.bootstrap(), "zombie-id")) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, 0, "k", "zombie-before-fence")).get();

            successor.initTransactions();

            assertThatThrownBy(() -> {
                zombie.send(new ProducerRecord<>(topic, 1, "k", "zombie-after-fence")).get();
                zombie.commitTransaction();
            }).isInstanceOfAny(KafkaException.class, java.util.concurrent.ExecutionException.class);

            successor.beginTransaction();
            successor.send(new ProducerRecord<>(topic, 0, "k", "successor"));
            successor.commitTransaction();
        } finally {
            zombie.close(Duration.ZERO);
        }

        assertThat(readAll(broker.bootstrap(), "read_committed", new TopicPartition(topic, 0))).containsExactly("successor");
        assertThat(readAll(broker.bootstrap(), "read_committed", new TopicPartition(topic, 1))).isEmpty();
        assertThat(readAll(broker.bootstrap(), "read_uncommitted", new TopicPartition(topic, 1))).isEmpty();
    }

    @Test
    void shouldCommitConsumedOffsetsAtomicallyWithTheOutputOfAConsumeTransformProduceLoop() throws Exception {
        String input = "ctp-input";
        String output = "ctp-output";
        String group = "ctp-group";
        createTopic(broker.bootstrap(), input, 1);
        createTopic(broker.bootstrap(), output, 1);
        try (KafkaProducer<String, String> plain = transactionalProducer(broker.bootstrap(), "ctp-loader")) {
            plain.initTransactions();
            plain.beginTransaction();
            for (int i = 0; i < 10; i++) {
                plain.send(new ProducerRecord<>(input, "k" + i, "v" + i));
            }
            plain.commitTransaction();
        }

        TopicPartition in = new TopicPartition(input, 0);
        try (KafkaProducer<String, String> producer = transactionalProducer(broker.bootstrap(), "ctp-copier");
             KafkaConsumer<String, String> consumer = consumer(broker.bootstrap(), "read_committed", group)) {
            producer.initTransactions();
            consumer.subscribe(List.of(input));
            List<ConsumerRecord<String, String>> batch = new ArrayList<>();
            await("the first 10 input records").atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(batch::add);
                return batch.size() >= 10;
            });
            // One aborted attempt: neither its output nor its offsets may ever be seen.
            producer.beginTransaction();
            batch.forEach(record -> producer.send(new ProducerRecord<>(output, record.key(), "aborted-" + record.value())));
            producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(5)), consumer.groupMetadata());
            producer.abortTransaction();
            assertThat(committedOffset(group, in)).isNull();

            producer.beginTransaction();
            batch.forEach(record -> producer.send(new ProducerRecord<>(output, record.key(), "copied-" + record.value())));
            producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(10)), consumer.groupMetadata());
            producer.commitTransaction();
        }

        assertThat(committedOffset(group, in)).isEqualTo(10L);
        List<String> copied = readAll(broker.bootstrap(), "read_committed", new TopicPartition(output, 0));
        assertThat(copied).hasSize(10).allMatch(value -> value.startsWith("copied-"));
    }

    private static Long committedOffset(String group, TopicPartition tp) {
        try (KafkaConsumer<String, String> reader = consumer(broker.bootstrap(), "read_committed", group)) {
            OffsetAndMetadata committed = reader.committed(Set.of(tp), Duration.ofSeconds(10)).get(tp);
            return committed == null ? null : committed.offset();
        }
    }

    @Test
    void shouldListAndDescribeTransactionsWithKafkasTransactionsCommand() throws Exception {
        String topic = "txn-tool";
        createTopic(broker.bootstrap(), topic, 1);
        try (KafkaProducer<String, String> producer = transactionalProducer(broker.bootstrap(), "tool-txn")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();

            ChildJvm.Result list = ChildJvm.run(System.getProperty("java.class.path"), "org.apache.kafka.tools.TransactionsCommand",
                    List.of("--bootstrap-server", broker.bootstrap(), "list"), 120);
            assertThat(list.exitCode()).as(list.output()).isZero();
            assertThat(list.output()).contains("tool-txn").contains("Ongoing");

            ChildJvm.Result describe = ChildJvm.run(System.getProperty("java.class.path"), "org.apache.kafka.tools.TransactionsCommand",
                    List.of("--bootstrap-server", broker.bootstrap(), "describe", "--transactional-id", "tool-txn"), 120);
            assertThat(describe.exitCode()).as(describe.output()).isZero();
            assertThat(describe.output()).contains("tool-txn").contains("Ongoing").contains(topic + "-0");

            producer.commitTransaction();
        }
    }

    @Test
    void shouldAbortAHangingTransactionWithTransactionsCommand() throws Exception {
        String topic = "txn-hanging";
        createTopic(broker.bootstrap(), topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        KafkaProducer<String, String> producer = transactionalProducer(broker.bootstrap(), "hanging-txn");
        try {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "hanging")).get();

            ChildJvm.Result abort = ChildJvm.run(System.getProperty("java.class.path"), "org.apache.kafka.tools.TransactionsCommand",
                    List.of("--bootstrap-server", broker.bootstrap(), "abort", "--topic", topic, "--partition", "0", "--start-offset", "0"), 120);
            assertThat(abort.exitCode()).as(abort.output()).isZero();

            try (KafkaConsumer<String, String> committed = consumer(broker.bootstrap(), "read_committed", null)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> committed.endOffsets(List.of(tp)).get(tp) == 2L);
            }
            assertThat(readAll(broker.bootstrap(), "read_committed", tp)).isEmpty();
        } finally {
            producer.close(Duration.ZERO);
        }
    }
}
