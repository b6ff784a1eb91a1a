package io.fjord.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A Fjord broker in its own JVM ({@code io.fjord.broker.Main}, the class {@code bin/fjord server}
 * runs), so a test can kill it with SIGKILL and start it again on the same data dir and port.
 * Its output goes to {@code broker-N.log} beside the data dir.
 */
final class BrokerProcess implements AutoCloseable {

    private final Path workDir;
    private final Path dataDir;
    private final int port;
    private final Map<String, String> overrides;
    private Process process;
    private int starts;

    BrokerProcess(Path workDir) {
        this(workDir, Map.of());
    }

    /** A broker whose config has {@code overrides} on top of the defaults. */
    BrokerProcess(Path workDir, Map<String, String> overrides) {
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.port = freePort();
        this.overrides = Map.copyOf(overrides);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    void start() throws IOException {
        starts++;
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.fjord.broker.Main", "--data-dir", dataDir.toString(),
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + port));
        overrides.forEach((key, value) -> command.addAll(List.of("--override", key + "=" + value)));
        Path log = workDir.resolve("broker-" + starts + ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("broker on port " + port + " (log " + log + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("broker exited: " + Files.readString(log));
                    }
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed beyond what the OS already has. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }
}
