package io.fjord.compat;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

import static io.fjord.compat.TransactionsIT.createTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka Streams (kafka-streams 4.x) with {@code processing.guarantee=exactly_once_v2} against a
 * real Fjord broker: a word count whose {@code groupBy} goes through a repartition topic and whose
 * {@code count()} lives in a RocksDB store backed by a changelog topic. The application runs in a
 * child JVM ({@link WordCountApp}) so the test can kill it with SIGKILL: once while idle, then
 * while it works through a backlog, until a kill leaves a transaction open on the broker. Each
 * restarted application (same state dir, hence the same process id and transactional id) fences
 * its zombie, which aborts the open transaction, finds its RocksDB store without a checkpoint,
 * wipes it and restores it from the changelog with read_committed, and must end with exactly the
 * expected counts — nothing counted twice, nothing lost. (With {@code at_least_once} instead, the
 * same run ends about a fifth too high.) The input text comes from a seeded random source ({@link #SEED}); the
 * application's logs and state dir stay in the JUnit temp dir named in a failure (kept only then).
 */
class KafkaStreamsEosIT {

    private static final long SEED = 20_261_122L;
    private static final String INPUT = "words-in";
    private static final String OUTPUT = "words-out";
    private static final int PARTITIONS = 3;
    private static final String REPARTITION = WordCountApp.APPLICATION_ID + "-by-word-repartition";
    private static final List<String> VOCABULARY = List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
            "hotel", "india", "juliett", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango");
    private static final int MAX_KILLS = 3;
    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldCountEveryWordExactlyOnceAcrossASigkillAndRestartOfTheStreamsApp(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path workDir)
            throws Exception {
        Map<String, String> overrides = Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "1000",
                "offsets.topic.num.partitions", "3",
                "transaction.state.log.num.partitions", "3",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "500");
        Random random = new Random(SEED);
        Map<String, Long> expected = new HashMap<>();
        Path stateDir = workDir.resolve("state");
        try (TestBroker broker = TestBroker.start(overrides);
             KafkaProducer<String, String> producer = inputProducer(broker.bootstrap());
             KafkaConsumer<String, Long> output = committedReader(broker.bootstrap())) {
            createTopic(broker.bootstrap(), INPUT, PARTITIONS);
            createTopic(broker.bootstrap(), OUTPUT, PARTITIONS);
            output.assign(partitions(OUTPUT));
            output.seekToBeginning(partitions(OUTPUT));
            Map<String, Long> seen = new HashMap<>();
            String context = " (seed " + SEED + ", broker " + broker + ", app logs in " + workDir + ")";

            produceLines(producer, random, 300, expected);
            Process first = startApp(broker, stateDir, workDir.resolve("app-1.log"));
            try {
                awaitCounts(output, seen, expected, first, "counts of the first text" + context);
            } finally {
                // An idle application: killed between transactions.
                first.destroyForcibly().waitFor();
            }
            int kills = killInsideATransaction(broker, producer, random, expected, stateDir, workDir, context);

            produceLines(producer, random, 300, expected);
            Process last = startApp(broker, stateDir, workDir.resolve("app-last.log"));
            try {
                awaitCounts(output, seen, expected, last, "counts after " + kills + " SIGKILLs and restarts" + context);
                // Later commits must not change what has converged: no late double counting.
                produceLines(producer, random, 100, expected);
                awaitCounts(output, seen, expected, last, "counts of the last text" + context);
            } finally {
                last.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * Starts the application on a backlog of text and kills it with SIGKILL once the broker holds
     * records of a transaction it has not finished. A kill can still land between two transactions,
     * so this tries again, up to {@link #MAX_KILLS} kills; it returns how many kills it took for one
     * to leave a transaction open.
     */
    private static int killInsideATransaction(TestBroker broker, KafkaProducer<String, String> producer, Random random,
                                              Map<String, Long> expected, Path stateDir, Path workDir, String context) throws Exception {
        for (int kill = 1; kill <= MAX_KILLS; kill++) {
            // Enough text that the application is still processing its backlog when it is killed.
            produceLines(producer, random, 3_000, expected);
            Process app = startApp(broker, stateDir, workDir.resolve("app-killed-" + kill + ".log"));
            try {
                await("app inside a transaction on " + REPARTITION + " before kill " + kill + context).atMost(CONVERGENCE_TIMEOUT)
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> !app.isAlive() || hasOpenTransaction(broker.bootstrap(), REPARTITION));
                assertThat(app.isAlive()).as("app alive until kill %d%s", kill, context).isTrue();
            } finally {
                app.destroyForcibly().waitFor();
            }
            if (hasOpenTransaction(broker.bootstrap(), REPARTITION)) {
                return kill;
            }
        }
        throw new AssertionError("no SIGKILL of " + MAX_KILLS + " left a transaction open on " + REPARTITION + context);
    }

    /** Produces {@code lines} random lines of 1-15 words and adds their words to {@code expected}. */
    private static void produceLines(KafkaProducer<String, String> producer, Random random, int lines, Map<String, Long> expected) {
        for (int line = 0; line < lines; line++) {
            int words = 1 + random.nextInt(15);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < words; i++) {
                String word = VOCABULARY.get(random.nextInt(VOCABULARY.size()));
                expected.merge(word, 1L, Long::sum);
                text.append(i == 0 ? "" : (random.nextBoolean() ? " " : ", ")).append(random.nextBoolean() ? word : word.toUpperCase());
            }
            producer.send(new ProducerRecord<>(INPUT, text.toString()));
        }
        producer.flush();
    }

    /** Waits until the committed output holds exactly {@code expected} as the latest count of each word. */
    private static void awaitCounts(KafkaConsumer<String, Long> output, Map<String, Long> seen, Map<String, Long> expected,
                                    Process app, String description) {
        await(description).atMost(CONVERGENCE_TIMEOUT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            for (ConsumerRecord<String, Long> record : output.poll(Duration.ofMillis(200))) {
                seen.put(record.key(), record.value());
            }
            assertThat(app.isAlive()).as("the streams app is alive").isTrue();
            assertThat(seen).isEqualTo(expected);
        });
    }

    private static Process startApp(TestBroker broker, Path stateDir, Path log) throws Exception {
        List<String> command = List.of(BrokerProcess.javaExecutable(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                WordCountApp.class.getName(), broker.bootstrap(), stateDir.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static KafkaProducer<String, String> inputProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, Long> committedReader(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new LongDeserializer());
    }

    /** Whether some partition of {@code topic} has a last stable offset below its high watermark. */
    private static boolean hasOpenTransaction(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> committed = rawReader(bootstrap, "read_committed");
             KafkaConsumer<byte[], byte[]> uncommitted = rawReader(bootstrap, "read_uncommitted")) {
            committed.assign(partitions(topic));
            uncommitted.assign(partitions(topic));
            Map<TopicPartition, Long> highWatermarks = uncommitted.endOffsets(partitions(topic));
            Map<TopicPartition, Long> lastStableOffsets = committed.endOffsets(partitions(topic));
            return partitions(topic).stream().anyMatch(tp -> lastStableOffsets.get(tp) < highWatermarks.get(tp));
        }
    }

    private static KafkaConsumer<byte[], byte[]> rawReader(String bootstrap, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(String topic) {
        return List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
    }

    /**
     * The word-count application, run by the test in a child JVM: {@code main(bootstrap, stateDir)}
     * runs until the process is killed, and exits with status 1 if the Streams client dies.
     */
    static final class WordCountApp {

        static final String APPLICATION_ID = "fjord-wordcount-eos";

        private WordCountApp() {
        }

        static Topology topology() {
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                    .flatMapValues(line -> Arrays.asList(line.toLowerCase().split("\\W+")))
                    .filter((key, word) -> !word.isEmpty())
                    .groupBy((key, word) -> word, Grouped.with("by-word", Serdes.String(), Serdes.String()))
                    .count(Materialized.as("word-counts"))
                    .toStream()
                    .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
            return builder.build();
        }

        public static void main(String[] args) throws InterruptedException {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
            props.put(StreamsConfig.STATE_DIR_CONFIG, args[1]);
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
            props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
            props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
            // Purge consumed repartition records often, so DeleteRecords runs during the test.
            props.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, "1000");
            // Send at once rather than after Streams' 100 ms linger, so that a kill mostly finds
            // the current transaction's records on the broker.
            props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
            // The killed instance's member must leave the group quickly so the restart can rebalance.
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "3000");
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "500");
            KafkaStreams streams = new KafkaStreams(topology(), props);
            CountDownLatch dead = new CountDownLatch(1);
            streams.setUncaughtExceptionHandler(exception -> {
                exception.printStackTrace(System.out);
                dead.countDown();
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.setStateListener((newState, oldState) -> {
                System.out.println("streams state " + oldState + " -> " + newState);
                if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING) {
                    dead.countDown();
                }
            });
            streams.start();
            dead.await();
            System.exit(1);
        }
    }
}
