package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fjord as {@code bin/fjord server} runs it: the same main class, classpath and default JVM flags
 * ({@code FJORD_JVM_OPTS} overrides them, as in the script), with {@code config/server.properties}
 * plus this run's port and data directory. Started as {@code java} directly rather than through
 * the script so that start-up time counts the broker, not the script's JDK detection (Kafka is
 * likewise started without {@code kafka-server-start.sh}).
 */
record FjordBrokerSpec(Path dir, int port, List<String> jvmOptions) implements BrokerSpec {

    /** bin/fjord's defaults for a JDK of feature version {@code javaFeatureVersion}. */
    static List<String> defaultJvmOptions(int javaFeatureVersion) {
        String fromEnv = System.getenv("FJORD_JVM_OPTS");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return List.of(fromEnv.trim().split("\\s+"));
        }
        List<String> options = new ArrayList<>(List.of("-Xms256m", "-Xmx1g", "-XX:+UseZGC"));
        if (javaFeatureVersion < 23) {
            options.add("-XX:+ZGenerational");
        }
        return List.copyOf(options);
    }

    @Override
    public String name() {
        return "fjord";
    }

    Path serverProperties() {
        return dir.resolve("server.properties");
    }

    @Override
    public void prepareFresh(BenchEnvironment env) throws IOException {
        BrokerSpec.deleteRecursively(dataDir());
        Files.createDirectories(dir);
        Path shipped = env.fjordHome().resolve("config/server.properties");
        String base = Files.isRegularFile(shipped) ? Files.readString(shipped) : "";
        Files.writeString(serverProperties(), base + """

            # Appended by the Fjord bench harness for this run (later keys win).
            listeners=PLAINTEXT://127.0.0.1:%d
            log.dirs=%s
            """.formatted(port, dataDir()));
    }

    @Override
    public List<String> command(BenchEnvironment env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(env.java().toString());
        command.addAll(jvmOptions);
        // bin/fjord's class-data-sharing archive: written by the first start, mapped by later ones.
        command.add("-XX:+AutoCreateSharedArchive");
        command.add("-XX:SharedArchiveFile=" + env.fjordCdsArchive());
        command.add("-Xlog:cds=off");
        command.add("-Xlog:cds+dynamic=off");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(env.fjordBrokerClasspath());
        command.add("io.fjord.broker.Main");
        command.add("--config");
        command.add(serverProperties().toString());
        return command;
    }
}
