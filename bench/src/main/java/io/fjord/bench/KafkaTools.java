package io.fjord.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Command lines for Apache Kafka's own load tools (from kafka-tools, with Kafka's own dependency
 * versions) and for the harness's probes, all with the JVM flags of Kafka's perf scripts
 * ({@code kafka-producer-perf-test.sh}: -Xmx512M plus kafka-run-class.sh's performance options),
 * so the load side is identical whichever broker it points at.
 */
final class KafkaTools {

    static final List<String> TOOL_JVM_OPTIONS = List.of("-Xmx512M", "-server", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
        "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-XX:MaxInlineLevel=15",
        "-Djava.awt.headless=true");

    /**
     * Where {@code ProducerPerformance} takes its record values from.
     *
     * <p>{@link #RANDOM} is the tool's {@code --record-size}: it fills every record afresh with one
     * {@code SplittableRandom.nextInt(26)} per byte, on the one thread that also calls {@code send()}. {@code perf}
     * of a warm 1 KiB run put 55 % of that thread in the fill, the thread at 100 % of a core: the tool's
     * random-number generator set the pace, for either broker. {@link #FILE} ({@code --payload-file}, the
     * harness's default) gives it {@link #PAYLOADS} values of the same size and alphabet (A–Z), written once per
     * size, one picked at random per record: the same bytes on the wire, the tool's CPU left to sending.
     */
    enum Payload {
        FILE, RANDOM;

        static Payload option(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--producer-payload takes file or random, not '" + value + "'", e);
            }
        }

        String option() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Distinct values in a payload file: 4 MB at 1 KiB, more than the CPU's caches hold. */
    static final int PAYLOADS = 4096;

    private final BenchEnvironment env;
    private final Path log4jConfig;
    private final Path wrapperClasses;
    private final Payload payload;
    private final Path payloadDir;
    private final Map<Integer, Path> payloadFiles = new HashMap<>();

    private KafkaTools(BenchEnvironment env, Path log4jConfig, Path wrapperClasses, Payload payload, Path payloadDir) {
        this.env = env;
        this.log4jConfig = log4jConfig;
        this.wrapperClasses = wrapperClasses;
        this.payload = payload;
        this.payloadDir = payloadDir;
    }

    /** As {@link #create(BenchEnvironment, Path, Payload)} with {@link Payload#FILE}. */
    static KafkaTools create(BenchEnvironment env, Path workDir) throws IOException {
        return create(env, workDir, Payload.FILE);
    }

    /** Writes the tools' log4j2 config (WARN to stderr, as Kafka's tools-log4j2.yaml) under {@code workDir}. */
    static KafkaTools create(BenchEnvironment env, Path workDir, Payload payload) throws IOException {
        Path config = workDir.resolve("tools-log4j2.properties");
        Files.createDirectories(workDir);
        Files.writeString(config, """
            status = warn
            appender.err.type = Console
            appender.err.name = STDERR
            appender.err.target = SYSTEM_ERR
            appender.err.layout.type = PatternLayout
            appender.err.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = warn
            rootLogger.appenderRef.err.ref = STDERR
            """);
        return new KafkaTools(env, config, copyWrapper(workDir.resolve("tool-classes")), payload, workDir.resolve("payloads"));
    }

    /** One line for a report's header: where ProducerPerformance's values came from. */
    String describePayload() {
        return payload == Payload.FILE
            ? "ProducerPerformance values: --payload-file, " + PAYLOADS + " random A–Z values of the record size, one picked per "
                + "record (--producer-payload file; the tool's own --record-size fill spent about half of the thread that calls "
                + "send() on random numbers)"
            : "ProducerPerformance values: --record-size, filled afresh per record by the tool (--producer-payload random)";
    }

    /**
     * The payload file for {@code recordSize}-byte values, written on first use: {@link #PAYLOADS} lines of random
     * letters A–Z (the alphabet of the tool's own generator), newline-delimited as the tool splits them, from a
     * fixed seed so every run sends the same values.
     */
    synchronized Path payloadFile(int recordSize) throws IOException {
        Path existing = payloadFiles.get(recordSize);
        if (existing != null) {
            return existing;
        }
        Files.createDirectories(payloadDir);
        Path file = payloadDir.resolve("payload-" + recordSize + ".txt");
        Files.write(file, payloadBytes(recordSize, PAYLOADS));
        payloadFiles.put(recordSize, file);
        return file;
    }

    static byte[] payloadBytes(int recordSize, int count) {
        if (recordSize < 1) {
            throw new IllegalArgumentException("record size must be at least 1 byte, not " + recordSize);
        }
        SplittableRandom random = new SplittableRandom(recordSize);
        byte[] bytes = new byte[(recordSize + 1) * count];
        int at = 0;
        for (int line = 0; line < count; line++) {
            for (int i = 0; i < recordSize; i++) {
                bytes[at++] = (byte) ('A' + random.nextInt(26));
            }
            bytes[at++] = '\n';
        }
        return bytes;
    }

    /**
     * Copies {@link WarmedTool} and {@link Jit} (JDK-only) into a class directory of their own, so they run
     * on Kafka's tools class path without the bench jar's copy of kafka-clients and its logging binding.
     */
    private static Path copyWrapper(Path dir) throws IOException {
        for (Class<?> c : List.of(WarmedTool.class, Jit.class)) {
            String resource = c.getName().replace('.', '/') + ".class";
            Path target = dir.resolve(resource);
            Files.createDirectories(target.getParent());
            try (InputStream in = KafkaTools.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("missing " + resource + " in the bench jar");
                }
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    private List<String> kafkaJvm(String mainClass) {
        return kafkaJvm(mainClass, env.kafkaClasspath());
    }

    private List<String> kafkaJvm(String mainClass, String classpath) {
        List<String> command = new ArrayList<>();
        command.add(env.java().toString());
        command.addAll(TOOL_JVM_OPTIONS);
        command.add("-Dlog4j2.configurationFile=" + log4jConfig.toUri());
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        return command;
    }

    /** {@code throughputPerSec} -1 means as fast as possible. Producer settings are the client's defaults but acks. */
    List<String> producerPerformance(String bootstrap, String topic, long records, int recordSize, long throughputPerSec, String acks) {
        List<String> command = kafkaJvm(WarmedTool.PRODUCER_PERFORMANCE);
        command.addAll(producerArgs(bootstrap, topic, records, recordSize, throughputPerSec, acks));
        return command;
    }

    /**
     * {@code ProducerPerformance} with a warm-up of {@code warmupRecords} in the same JVM before the counted
     * run (same rate, same settings), repeated while the JIT still compiles (for at most {@code warmupMaxMs}; 0: one
     * pass), so the counted run measures a warm client. Each pass prints its producer's metrics after its summary.
     */
    List<String> warmedProducerPerformance(String bootstrap, String topic, long warmupRecords, long warmupMaxMs, long records,
                                           int recordSize, long throughputPerSec, String acks) {
        List<String> repeat = warmupMaxMs > 0 ? List.of("--warmup-until-quiet-ms", Long.toString(warmupMaxMs)) : List.of();
        // After each summary (outside the timed run) the producer's metrics: ToolOutputs.producerClientMetrics.
        List<String> args = new ArrayList<>(List.of("--print-metrics"));
        args.addAll(producerArgs(bootstrap, topic, records, recordSize, throughputPerSec, acks));
        return warmed(WarmedTool.PRODUCER_PERFORMANCE, List.of("--num-records=" + warmupRecords), repeat, args);
    }

    /**
     * {@code ConsumerPerformance} (it always subscribes with a consumer group) reading {@code warmupMessages}
     * in a group of its own first, in the same JVM, repeated in new groups while the JIT still compiles (for at most
     * {@code warmupMaxMs}; 0: one pass); the counted group then reads from the start.
     */
    List<String> warmedConsumerPerformance(String bootstrap, String topic, long warmupMessages, long warmupMaxMs, long messages,
                                           long timeoutMs) {
        String group = "bench-" + topic + "-" + System.nanoTime();
        List<String> args = List.of("--bootstrap-server", bootstrap, "--topic", topic, "--messages", Long.toString(messages),
            "--timeout", Long.toString(timeoutMs), "--group", group);
        List<String> repeat = warmupMaxMs > 0
            ? List.of("--warmup-until-quiet-ms", Long.toString(warmupMaxMs), "--warmup-vary", "--group") : List.of();
        return warmed(WarmedTool.CONSUMER_PERFORMANCE, List.of("--messages=" + warmupMessages, "--group=" + group + "-warmup"), repeat,
            args);
    }

    private List<String> warmed(String tool, List<String> warmupSets, List<String> wrapperOptions, List<String> toolArgs) {
        List<String> command = kafkaJvm(WarmedTool.class.getName(), env.kafkaClasspath() + ":" + wrapperClasses);
        command.addAll(List.of("--tool", tool));
        for (String set : warmupSets) {
            command.addAll(List.of("--warmup-set", set));
        }
        command.addAll(wrapperOptions);
        command.add("--");
        command.addAll(toolArgs);
        return command;
    }

    private List<String> producerArgs(String bootstrap, String topic, long records, int recordSize, long throughputPerSec,
                                      String acks) {
        List<String> values;
        try {
            values = payload == Payload.FILE
                ? List.of("--payload-file", payloadFile(recordSize).toString())
                : List.of("--record-size", Integer.toString(recordSize));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + recordSize + "-byte payload file under " + payloadDir, e);
        }
        List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", Long.toString(records)));
        args.addAll(values);
        args.addAll(List.of("--throughput", Long.toString(throughputPerSec), "--producer-props", "bootstrap.servers=" + bootstrap,
            "acks=" + acks));
        return args;
    }

    /**
     * Sends one record, waits for it to be consumed, repeats: idle round-trip latency. Warmed in the same JVM with
     * {@code warmupMessages}, repeated while the JIT still compiles (at most {@link Jit#WARMUP_MAX_MS}): cold, the first
     * message took 138 ms and the slowest 1 % (its p99) were the tool's own JIT warm-up, 5–7 ms on either broker while
     * the rest took 0.4–1 ms.
     */
    List<String> endToEndLatency(String bootstrap, String topic, int warmupMessages, int messages, String acks, int recordSize) {
        return warmed(WarmedTool.END_TO_END_LATENCY, List.of("#2=" + warmupMessages),
            List.of("--warmup-until-quiet-ms", Long.toString(Jit.WARMUP_MAX_MS)),
            List.of(bootstrap, topic, Integer.toString(messages), acks, Integer.toString(recordSize)));
    }

    /** One of the harness's own probes (a main class in this module), with the same JVM flags. */
    List<String> probe(Class<?> mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(env.java().toString());
        command.addAll(TOOL_JVM_OPTIONS);
        command.add("-cp");
        command.add(env.benchJar().toString());
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }
}
