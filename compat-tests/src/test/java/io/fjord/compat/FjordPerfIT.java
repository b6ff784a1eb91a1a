package io.fjord.compat;

import io.fjord.perf.PerfMain;
import io.fjord.record.CompressionType;
import io.fjord.record.MemoryRecords;
import io.fjord.record.RecordBatchView;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fjord perf} (in this JVM, through {@link PerfMain#run}) against a real Fjord broker: what
 * it produces is read back by Apache kafka-clients' own consumer, record by record, and what it
 * consumes matches what was produced. Counts only; no assertion depends on timing.
 */
class FjordPerfIT {

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private record Run(int exitCode, String out, String err) {

        /** The key=value pairs of the {@code RESULT} line. */
        Map<String, String> result() {
            Map<String, String> values = new HashMap<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("RESULT ")) {
                    for (String pair : line.substring("RESULT ".length()).trim().split(" ")) {
                        int equals = pair.indexOf('=');
                        values.put(pair.substring(0, equals), pair.substring(equals + 1));
                    }
                }
            }
            return values;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " against " + broker + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private static Run perf(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = PerfMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run produce(String topic, int records, String... more) {
        List<String> args = new ArrayList<>(List.of("produce", "--bootstrap-server", broker.bootstrap(), "--topic", topic,
            "--num-records", String.valueOf(records), "--record-size", "100"));
        args.addAll(List.of(more));
        return perf(args.toArray(String[]::new));
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /** Reads every partition from the beginning with an assigned KafkaConsumer until {@code expected} records or 60 s. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int partitions, int expected) {
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(topic, p));
        }
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = JavaClientIT.consumer(broker.bootstrap())) {
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (all.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            // One more poll: anything beyond the expected count would be a duplicate.
            consumer.poll(Duration.ofMillis(200)).forEach(all::add);
        }
        return all;
    }

    private static Map<Integer, Integer> countByPartition(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            counts.merge(record.partition(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void shouldProduceRecordsThatKafkaConsumerReadsBackAndConsumeThemAgain() throws Exception {
        String topic = "perf-acks-all";
        createTopic(topic, 3);

        Run produced = produce(topic, 50_000, "--acks", "all");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(produced.result()).as(produced.toString()).containsEntry("records", "50000");
        assertThat(produced.out()).as(produced.toString()).contains("50000 records sent");

        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic, 3, 50_000);
        assertThat(records).as("records read back from %s", broker).hasSize(50_000);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            assertThat(record.key()).isNull();
            assertThat(record.value()).hasSize(100);
            assertThat(record.value()[0]).isBetween((byte) 'A', (byte) 'Z');
        }
        Map<Integer, Integer> byPartition = countByPartition(records);
        assertThat(byPartition).as("sticky partitioning spreads over every partition").containsOnlyKeys(0, 1, 2);
        byPartition.values().forEach(count -> assertThat(count).as("records per partition: %s", byPartition).isGreaterThan(10_000));

        Run consumed = perf("consume", "--bootstrap-server", broker.bootstrap(), "--topic", topic, "--num-records", "50000", "--check-crc");
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.result()).as(consumed.toString()).containsEntry("records", "50000");
        assertThat(Long.parseLong(consumed.result().get("bytes"))).as(consumed.toString()).isGreaterThan(50_000L * 100);
    }

    @Test
    void shouldReadManyPartitionsThroughAnIncrementalFetchSessionOrWithout() throws Exception {
        String topic = "perf-session";
        createTopic(topic, 24);
        Run produced = produce(topic, 24_000, "--acks", "1", "--partitioner", "round-robin");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();

        int sessionsBefore = broker.fetchSessionCount();
        Run session = consumeAllInSmallSteps(topic, 24_000);
        assertThat(Long.parseLong(session.result().get("incrementalFetches"))).as("fetches in the session: " + session)
            .isPositive().isLessThan(Long.parseLong(session.result().get("fetches")));
        assertThat(broker.fetchSessionCount()).as("the read closed its fetch session at the end").isEqualTo(sessionsBefore);

        Run sessionless = consumeAllInSmallSteps(topic, 24_000, "--no-fetch-session");
        assertThat(sessionless.result().get("bytes")).as("the same batches either way").isEqualTo(session.result().get("bytes"));
        assertThat(sessionless.result()).as("a sessionless read: " + sessionless).containsEntry("incrementalFetches", "0");
        assertThat(broker.fetchSessionCount()).isEqualTo(sessionsBefore);
    }

    /**
     * Reads every record of {@code topic} at 2 KiB per partition per fetch, so each partition answers
     * in many fetches: a fetch session whose offsets were not kept in step would stall or repeat.
     */
    private static Run consumeAllInSmallSteps(String topic, int records, String... more) {
        List<String> args = new ArrayList<>(List.of("consume", "--bootstrap-server", broker.bootstrap(), "--topic", topic,
            "--num-records", String.valueOf(records), "--check-crc", "--max-partition-fetch-bytes", "2048", "--timeout-ms", "5000"));
        args.addAll(List.of(more));
        Run run = perf(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.result()).as(run.toString()).containsEntry("records", String.valueOf(records));
        return run;
    }

    @Test
    void shouldWriteLz4BatchesThatKafkaClientsDecompress() throws Exception {
        String topic = "perf-lz4";
        createTopic(topic, 1);

        Run produced = produce(topic, 20_000, "--compression", "lz4", "--acks", "1");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(produced.result()).as(produced.toString()).containsEntry("records", "20000");

        byte[] segment = Files.readAllBytes(broker.dataDir().resolve(topic + "-0").resolve("00000000000000000000.log"));
        int batches = 0;
        for (RecordBatchView batch : new MemoryRecords(ByteBuffer.wrap(segment)).batches()) {
            batch.ensureValid();
            assertThat(batch.compressionType()).isEqualTo(CompressionType.LZ4);
            batches++;
        }
        assertThat(batches).isPositive();

        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic, 1, 20_000);
        assertThat(records).as("records read back from %s", broker).hasSize(20_000);
        records.forEach(record -> assertThat(record.value()).hasSize(100));

        // After a warm-up read the counted read starts again from the earliest offsets: all 20,000 again.
        int sessionsBefore = broker.fetchSessionCount();
        Run consumed = perf("consume", "--bootstrap-server", broker.bootstrap(), "--topic", topic, "--num-records", "20000", "--check-crc",
            "--warmup-records", "5000");
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.result()).as(consumed.toString()).containsEntry("records", "20000");
        // One pass at least; the passes repeat for --warmup-ms (1 s by default), each 5,000 or a few batches more
        // (an answer is counted whole).
        int passes = Integer.parseInt(consumed.result().get("warmupPasses"));
        assertThat(passes).as(consumed.toString()).isPositive();
        assertThat(Long.parseLong(consumed.result().get("warmupRecords"))).as(consumed.toString()).isBetween(5_000L * passes, 20_000L * passes);
        assertThat(broker.fetchSessionCount()).as("every pass closed its fetch session (%d passes)", passes).isEqualTo(sessionsBefore);

        Run onePass = perf("consume", "--bootstrap-server", broker.bootstrap(), "--topic", topic, "--num-records", "20000",
            "--warmup-records", "5000", "--warmup-ms", "0");
        assertThat(onePass.exitCode()).as(onePass.toString()).isZero();
        assertThat(onePass.result()).as(onePass.toString()).containsEntry("warmupPasses", "1").containsEntry("records", "20000")
            .containsEntry("passes", "1");
        assertThat(Long.parseLong(onePass.result().get("warmupRecords"))).as(onePass.toString()).isBetween(5_000L, 20_000L);

        // --measure-ms repeats the counted read, each pass all 20,000 from the earliest offsets, and sums them.
        Run measured = perf("consume", "--bootstrap-server", broker.bootstrap(), "--topic", topic, "--num-records", "20000",
            "--check-crc", "--measure-ms", "300");
        assertThat(measured.exitCode()).as(measured.toString()).isZero();
        int countedPasses = Integer.parseInt(measured.result().get("passes"));
        assertThat(countedPasses).as(measured.toString()).isPositive();
        assertThat(measured.result()).as(measured.toString()).containsEntry("records", String.valueOf(20_000L * countedPasses))
            .containsEntry("bytes", String.valueOf(Long.parseLong(onePass.result().get("bytes")) * countedPasses));
        assertThat(broker.fetchSessionCount()).as("every counted pass closed its fetch session (%d passes)", countedPasses)
            .isEqualTo(sessionsBefore);
    }

    @Test
    void shouldSendEveryRecordOfAThrottledRunWithWarmup() throws Exception {
        String topic = "perf-throttled";
        createTopic(topic, 2);

        Run produced = produce(topic, 3_000, "--throughput", "3000", "--warmup-records", "500", "--partitioner", "round-robin");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(produced.result()).as("warm-up records are left out of the figures: " + produced).containsEntry("records", "2500");

        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic, 2, 3_000);
        assertThat(records).as("records read back from %s", broker).hasSize(3_000);
        assertThat(countByPartition(records)).containsEntry(0, 1_500).containsEntry(1, 1_500);
    }

    @Test
    void shouldSendAcksZeroRecords() throws Exception {
        String topic = "perf-acks-0";
        createTopic(topic, 1);

        Run produced = produce(topic, 10_000, "--acks", "0");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(produced.result()).containsEntry("records", "10000");
        assertThat(readAll(topic, 1, 10_000)).as("records read back from %s", broker).hasSize(10_000);
    }

    @Test
    void shouldNameTheBrokersErrorCodeAndStopWithExitCode1() {
        Run consumed = perf("consume", "--bootstrap-server", broker.bootstrap(), "--topic", "no-such-topic", "--num-records", "1");
        assertThat(consumed.exitCode()).as(consumed.toString()).isEqualTo(1);
        assertThat(consumed.err()).as(consumed.toString()).contains("UNKNOWN_TOPIC_OR_PARTITION");
    }

    @Test
    void shouldGiveUpWhenTheTopicHoldsFewerRecordsThanAsked() throws Exception {
        String topic = "perf-short";
        createTopic(topic, 1);
        assertThat(produce(topic, 100).exitCode()).isZero();

        Run consumed = perf("consume", "--bootstrap-server", broker.bootstrap(), "--topic", topic, "--num-records", "200", "--timeout-ms", "1000");
        assertThat(consumed.exitCode()).as(consumed.toString()).isEqualTo(1);
        assertThat(consumed.out()).as(consumed.toString()).contains("WARNING").contains("100 of 200");
        assertThat(consumed.result()).containsEntry("records", "100");
    }
}
