package io.fjord.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where things are: the Fjord checkout ({@code -Dfjord.home}, set by the bench scripts), the JDK
 * this driver runs on (every broker and tool JVM uses the same one, so neither side gets a better
 * JIT or GC), the Apache Kafka jars and the bench jar. Immutable.
 */
record BenchEnvironment(Path fjordHome, Path javaHome, Path kafkaDistDir, Path benchJar) {

    static BenchEnvironment detect() {
        String home = System.getProperty("fjord.home");
        if (home == null) {
            throw new IllegalStateException("-Dfjord.home is not set: start the harness through bench/compare.sh, bench/restart-time.sh or bench/scale.sh");
        }
        Path fjordHome = Path.of(home).toAbsolutePath().normalize();
        BenchEnvironment env = new BenchEnvironment(fjordHome, Path.of(System.getProperty("java.home")),
            fjordHome.resolve("bench/target/kafka-dist"), fjordHome.resolve("bench/target/benchmarks.jar"));
        env.checkBuilt();
        return env;
    }

    private void checkBuilt() {
        if (!Files.isRegularFile(kafkaDistDir.resolve("kafka_2.13-" + KafkaBrokerSpec.KAFKA_VERSION + ".jar"))) {
            throw new IllegalStateException("no Apache Kafka jars in " + kafkaDistDir + ": run ./mvnw -q -B -f bench/kafka-dist/pom.xml package");
        }
        if (!Files.isRegularFile(fjordHome.resolve("broker/target/runtime-classpath.txt"))) {
            throw new IllegalStateException("Fjord broker not built: run ./mvnw -q -B -pl broker -am install -DskipTests");
        }
    }

    Path java() {
        return javaHome.resolve("bin/java");
    }

    int javaFeatureVersion() {
        return Runtime.version().feature();
    }

    String kafkaClasspath() {
        return kafkaDistDir + "/*";
    }

    /** Jars only, as bin/fjord runs it: the class-data-sharing archive does not accept class directories. */
    String fjordBrokerClasspath() throws IOException {
        Path jar;
        try (var jars = Files.newDirectoryStream(fjordHome.resolve("broker/target"), "fjord-broker-*.jar")) {
            var iterator = jars.iterator();
            jar = iterator.hasNext() ? iterator.next() : fjordHome.resolve("broker/target/classes");
        }
        return jar + ":" + Files.readString(fjordHome.resolve("broker/target/runtime-classpath.txt")).trim();
    }

    /** nproc, memory, CPU model, kernel and JDK: the "machine" line of every report. */
    List<String> describeMachine() {
        List<String> lines = new ArrayList<>();
        lines.add("cores (nproc): " + Runtime.getRuntime().availableProcessors());
        lines.add("memory: " + memTotal());
        lines.add("CPU: " + cpuModel());
        lines.add("kernel: " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        lines.add("JDK (brokers and tools): " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
            + " at " + javaHome);
        return lines;
    }

    private static String memTotal() {
        try {
            OptionalLong bytes = ProcStats.meminfoBytes("MemTotal:");
            return bytes.isPresent() ? String.format("%.1f GiB", bytes.getAsLong() / 1024.0 / 1024.0 / 1024.0) : "unknown";
        } catch (UncheckedIOException | NumberFormatException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
