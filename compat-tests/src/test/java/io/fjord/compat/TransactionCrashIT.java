package io.fjord.compat;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.fjord.compat.TransactionsIT.consumer;
import static io.fjord.compat.TransactionsIT.createTopic;
import static io.fjord.compat.TransactionsIT.readAll;
import static io.fjord.compat.TransactionsIT.transactionalProducer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly-once under crashes: Kafka's own {@code TransactionalMessageCopier} (the read-process-write
 * loop of Kafka's system tests) killed with SIGKILL and restarted several times copies every input
 * record exactly once; a broker killed with SIGKILL while a transaction is open aborts it by timeout
 * after restart, and read_committed consumers never see any of it. Logs of child processes stay in
 * the JUnit temp dir named in a failure.
 */
class TransactionCrashIT {

    private static final int RECORDS = 100_000;

    @Test
    void shouldCopyEveryRecordExactlyOnceWhileTheCopierIsKilledAndRestarted(@TempDir Path workDir) throws Exception {
        try (TestBroker broker = TestBroker.start(Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500"))) {
            createTopic(broker.bootstrap(), "copier-in", 1);
            createTopic(broker.bootstrap(), "copier-out", 3);
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            try (KafkaProducer<String, String> loader = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < RECORDS; i++) {
                    loader.send(new ProducerRecord<>("copier-in", 0, "key-" + i, "value-" + i));
                }
            }

            long killedAt = 0;
            for (int kill = 1; kill <= 3; kill++) {
                Process copier = startCopier(broker, workDir.resolve("copier-" + kill + ".log"));
                long threshold = killedAt + RECORDS / 6;
                await("copier " + kill + " writing past " + threshold + " output records (log in " + workDir + ")")
                        .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                        .until(() -> !copier.isAlive() || outputEnd(broker) >= threshold);
                copier.destroyForcibly().waitFor();
                killedAt = outputEnd(broker);
            }
            Process last = startCopier(broker, workDir.resolve("copier-last.log"));
            assertThat(last.waitFor(180, TimeUnit.SECONDS)).as("the last copier finishes (log in %s)", workDir).isTrue();
            assertThat(last.exitValue()).as(Files.readString(workDir.resolve("copier-last.log"))).isZero();

            List<String> copied = new ArrayList<>();
            for (int partition = 0; partition < 3; partition++) {
                copied.addAll(readAll(broker.bootstrap(), "read_committed", new TopicPartition("copier-out", partition)));
            }
            Set<String> distinct = new HashSet<>(copied);
            assertThat(distinct).hasSize(RECORDS);
            assertThat(copied).as("duplicates in the output").hasSize(RECORDS);
        }
    }

    private static Process startCopier(TestBroker broker, Path log) throws Exception {
        List<String> command = List.of(BrokerProcess.javaExecutable(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.TransactionalMessageCopier", "--broker-list", broker.bootstrap(),
                "--input-topic", "copier-in", "--input-partition", "0", "--output-topic", "copier-out",
                "--transactional-id", "copier-txn", "--consumer-group", "copier-group", "--transaction-timeout", "5000",
                "--max-messages", String.valueOf(RECORDS), "--use-group-metadata");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Records in the output topic, committed or not. */
    private static long outputEnd(TestBroker broker) {
        try (KafkaConsumer<String, String> reader = consumer(broker.bootstrap(), "read_uncommitted", null)) {
            List<TopicPartition> partitions = List.of(new TopicPartition("copier-out", 0), new TopicPartition("copier-out", 1),
                    new TopicPartition("copier-out", 2));
            return reader.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    @Test
    void shouldAbortATransactionLeftOpenByABrokerKill9OnceItTimesOut(@TempDir Path workDir) throws Exception {
        try (BrokerProcess broker = new BrokerProcess(workDir, Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500"))) {
            broker.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("crash-txn", 1, (short) 1))).all().get();
            }
            TopicPartition tp = new TopicPartition("crash-txn", 0);
            KafkaProducer<String, String> producer = transactionalProducer(broker.bootstrap(), "crash-producer", 5_000);
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("crash-txn", "k", "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("crash-txn", "k", "open-" + i));
            }
            producer.flush();

            broker.kill();
            producer.close(Duration.ZERO);
            broker.start();

            assertThat(readAll(broker.bootstrap(), "read_committed", tp)).hasSize(50).allMatch(value -> value.startsWith("committed-"));
            // The transaction times out 5 s after it began; the restarted coordinator then aborts it.
            try (KafkaConsumer<String, String> committed = consumer(broker.bootstrap(), "read_committed", null);
                 KafkaConsumer<String, String> uncommitted = consumer(broker.bootstrap(), "read_uncommitted", null)) {
                await("the open transaction aborted after restart (logs in " + workDir + ")").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> committed.endOffsets(List.of(tp)).get(tp).equals(uncommitted.endOffsets(List.of(tp)).get(tp)));
            }
            List<String> visible = readAll(broker.bootstrap(), "read_committed", tp);
            assertThat(visible).hasSize(50).allMatch(value -> value.startsWith("committed-"));
            assertThat(readAll(broker.bootstrap(), "read_uncommitted", tp)).hasSize(150);
        }
    }
}
