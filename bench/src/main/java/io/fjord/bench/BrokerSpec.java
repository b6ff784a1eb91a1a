package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One broker under test: how to lay out a fresh data directory and the command that starts it.
 * Both run on 127.0.0.1 only, each on its own port and under its own directory.
 */
sealed interface BrokerSpec permits KafkaBrokerSpec, FjordBrokerSpec {

    /** "kafka" or "fjord": the key in results and reports. */
    String name();

    /** The client (PLAINTEXT) port on 127.0.0.1. */
    int port();

    /** Every 127.0.0.1 port the broker binds; all must be free before it starts. */
    default List<Integer> ports() {
        return List.of(port());
    }

    /** This broker's directory: config files, {@code data/}, and {@code broker.out}. */
    Path dir();

    default Path dataDir() {
        return dir().resolve("data");
    }

    default Path outputFile() {
        return dir().resolve("broker.out");
    }

    default String bootstrap() {
        return "127.0.0.1:" + port();
    }

    /** Deletes any previous data and writes config (and, for Kafka, formats the storage). */
    void prepareFresh(BenchEnvironment env) throws IOException, InterruptedException;

    /** The command line that starts the broker in the foreground. */
    List<String> command(BenchEnvironment env) throws IOException;

    /** Kafka or Fjord as the harness runs them, under {@code workDir/NAME}, with their default JVM flags. */
    static BrokerSpec create(String name, Path workDir, CompareOptions.Ports ports, BenchEnvironment env) {
        return switch (name) {
            case "kafka" -> new KafkaBrokerSpec(workDir.resolve("kafka"), ports.kafka(), ports.kafkaController(),
                KafkaBrokerSpec.DEFAULT_JVM_OPTIONS);
            case "fjord" -> new FjordBrokerSpec(workDir.resolve("fjord"), ports.fjord(), FjordBrokerSpec.defaultJvmOptions(env.javaFeatureVersion()));
            default -> throw new IllegalArgumentException("no broker " + name + ": kafka or fjord");
        };
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
