package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Command lines for Fjord's own load generator, {@code fjord perf} (the perf module), with the JVM
 * flags {@code bin/fjord perf} gives it, and the parser of its {@code RESULT key=value ...} line.
 * It speaks the Kafka protocol, so it loads Kafka and Fjord alike.
 */
final class FjordPerfTool {

    /** bin/fjord perf's defaults: a small heap and the serial collector (no GC threads beside the loop). */
    static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC");

    /**
     * How long the counted read of {@code fjord perf consume} lasts at least (passes from the earliest
     * offsets, summed): one pass of 1M × 1 KiB takes 0.2-0.4 s here, and by hand the same read of the
     * same broker varied from 0.21 to 0.63 s between runs, so a single pass is too short a window.
     */
    static final long READ_MEASURE_MS = 2000;

    private final BenchEnvironment env;

    FjordPerfTool(BenchEnvironment env) {
        this.env = env;
    }

    /** Whether the perf module is built (bench/lib/common.sh builds it). */
    boolean available() {
        return Files.isRegularFile(env.fjordHome().resolve("perf/target/runtime-classpath.txt"));
    }

    private List<String> jvm(String subcommand) throws IOException {
        Path target = env.fjordHome().resolve("perf/target");
        Path jar;
        try (var jars = Files.newDirectoryStream(target, "fjord-perf-*.jar")) {
            var iterator = jars.iterator();
            jar = iterator.hasNext() ? iterator.next() : target.resolve("classes");
        }
        List<String> command = new ArrayList<>();
        command.add(env.java().toString());
        command.addAll(JVM_OPTIONS);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(jar + ":" + Files.readString(target.resolve("runtime-classpath.txt")).trim());
        command.add("io.fjord.perf.PerfMain");
        command.add(subcommand);
        return command;
    }

    /** {@code records} counted after {@code warmup} uncounted ones; {@code throughput} -1 for full speed. */
    List<String> produce(String bootstrap, String topic, long warmup, long records, int recordSize, long throughput, String acks)
        throws IOException {
        List<String> command = jvm("produce");
        command.addAll(List.of("--bootstrap-server", bootstrap, "--topic", topic, "--num-records", Long.toString(warmup + records),
            "--warmup-records", Long.toString(warmup), "--record-size", Integer.toString(recordSize),
            "--throughput", Long.toString(throughput), "--acks", acks));
        return command;
    }

    List<String> consume(String bootstrap, String topic, long warmupRecords, long records, long timeoutMs) throws IOException {
        List<String> command = jvm("consume");
        command.addAll(List.of("--bootstrap-server", bootstrap, "--topic", topic, "--num-records", Long.toString(records),
            "--warmup-records", Long.toString(warmupRecords), "--measure-ms", Long.toString(READ_MEASURE_MS),
            "--timeout-ms", Long.toString(timeoutMs)));
        return command;
    }

    /**
     * Records a consume run read in all: the counted passes ({@code records}) and the warm-up
     * ({@code warmupRecords}), both of which repeat until a minimum time and report what they read;
     * the requested {@code records} and {@code warmupRecords} where the line has no such key.
     */
    static long recordsRead(Map<String, Double> values, long records, long warmupRecords) {
        Double counted = values.get("records");
        Double warmup = values.get("warmupRecords");
        return (counted != null ? counted.longValue() : records) + (warmup != null ? warmup.longValue() : warmupRecords);
    }

    /** The values of a finished run's last RESULT line; empty when the tool exited non-zero or printed none. */
    static Optional<Map<String, Double>> result(ChildProcess.Result run) {
        return run.exitCode() == 0 ? result(run.output()) : Optional.empty();
    }

    /** The values of the last {@code RESULT key=value ...} line, if the tool printed one. */
    static Optional<Map<String, Double>> result(String output) {
        String last = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                last = line;
            }
        }
        if (last == null) {
            return Optional.empty();
        }
        Map<String, Double> values = new HashMap<>();
        for (String pair : last.substring("RESULT ".length()).trim().split("\\s+")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                try {
                    values.put(pair.substring(0, equals), Double.parseDouble(pair.substring(equals + 1)));
                } catch (NumberFormatException e) {
                    // A value that is not a number is not a figure; skip it.
                }
            }
        }
        return Optional.of(values);
    }
}
