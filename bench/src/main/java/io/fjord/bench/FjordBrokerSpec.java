package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fjord as {@code bin/fjord server} runs it: the same main class, classpath and JVM flags (taken
 * from {@code bin/lib/jvm-options.sh}, which bin/fjord sources; {@code FJORD_JVM_OPTS} overrides
 * heap and GC, as in the script), including its start-up cache, with {@code config/server.properties}
 * plus this run's port and data directory. Started as {@code java} directly rather than through
 * the script so that start-up time counts the broker, not the script's JDK detection (Kafka is
 * likewise started without {@code kafka-server-start.sh}).
 */
record FjordBrokerSpec(Path dir, int port, List<String> jvmOptions) implements BrokerSpec {

    /**
     * bin/fjord's heap and GC flags (bin/lib/jvm-options.sh): {@code FJORD_JVM_OPTS} when set, else
     * G1 with Kafka's pause goal. For the report; {@link #command} takes every flag from the script.
     */
    static List<String> defaultJvmOptions(int javaFeatureVersion) {
        String fromEnv = System.getenv("FJORD_JVM_OPTS");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return List.of(fromEnv.trim().split("\\s+"));
        }
        return List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20");
    }

    /** Where bin/fjord keeps its start-up cache (without the .aot/.jsa extension). */
    static Path startupCacheBase(BenchEnvironment env) {
        return env.fjordHome().resolve("broker/target/fjord-startup");
    }

    /** The start-up cache file bin/lib/jvm-options.sh names on this JDK (to map or to record), if it uses one. */
    private static Optional<Path> startupCacheFile(BenchEnvironment env) throws IOException {
        for (String option : jvmOptionsOfScript(env, List.of())) {
            for (String prefix : List.of("-XX:AOTCache=", "-XX:AOTCacheOutput=", "-XX:SharedArchiveFile=")) {
                if (option.startsWith(prefix)) {
                    return Optional.of(Path.of(option.substring(prefix.length())));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Makes sure the measured starts map bin/fjord's start-up cache, as every start after a user's
     * first does, and that every run maps the same kind of cache: whatever cache is there is
     * deleted and one unmeasured start and clean stop (with a client connection, the readiness
     * probe) records it anew. On JDK 25 the cache also holds the method profiles of the run that
     * recorded it, which shorten the JIT's warm-up on the paths that run took; a cache left by an
     * earlier benchmark or test would give one broker path a head start in this run only.
     */
    static void primeStartupCache(BenchEnvironment env, Path dir, int port, long timeoutMs) throws Exception {
        Optional<Path> cache = startupCacheFile(env);
        if (cache.isEmpty()) {
            return;
        }
        Files.deleteIfExists(cache.get());
        System.out.println("[bench] recording bin/fjord's start-up cache anew (an unmeasured first start, as bin/fjord's first start)");
        FjordBrokerSpec spec = new FjordBrokerSpec(dir, port, defaultJvmOptions(env.javaFeatureVersion()));
        spec.prepareFresh(env);
        BrokerProcess broker = BrokerProcess.start(spec, env, timeoutMs);
        broker.stopCleanly(120_000);
        BrokerSpec.deleteRecursively(dir);
    }

    /** Every JVM flag bin/fjord would start the broker with, from bin/lib/jvm-options.sh itself. */
    private static List<String> jvmOptionsOfScript(BenchEnvironment env, List<String> heapAndGc) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", env.fjordHome().resolve("bin/lib/jvm-options.sh").toString(),
            Integer.toString(env.javaFeatureVersion()), env.fjordBrokerClasspath(), startupCacheBase(env).toString());
        if (!heapAndGc.isEmpty()) {
            builder.environment().put("FJORD_JVM_OPTS", String.join(" ", heapAndGc));
        }
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException("bin/lib/jvm-options.sh failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running bin/lib/jvm-options.sh", e);
        }
        return output.lines().filter(line -> !line.isBlank()).toList();
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
        command.addAll(jvmOptionsOfScript(env, jvmOptions));
        command.add("-cp");
        command.add(env.fjordBrokerClasspath());
        command.add("io.fjord.broker.Main");
        command.add("--config");
        command.add(serverProperties().toString());
        return command;
    }
}
