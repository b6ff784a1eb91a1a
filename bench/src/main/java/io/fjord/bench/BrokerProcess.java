package io.fjord.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running broker started from a {@link BrokerSpec}: its pid, when it became ready, and a clean
 * (SIGTERM) or hard (SIGKILL) stop. Owned by the driver thread; {@link #close()} never leaves a
 * broker behind.
 */
final class BrokerProcess implements AutoCloseable {

    private final BrokerSpec spec;
    private final Process process;
    private final ReadinessProbe.Readiness readiness;
    private final long startNs;

    private BrokerProcess(BrokerSpec spec, Process process, ReadinessProbe.Readiness readiness, long startNs) {
        this.spec = spec;
        this.process = process;
        this.readiness = readiness;
        this.startNs = startNs;
    }

    /** Starts the broker and returns once it answers ApiVersions; the clock starts just before fork. */
    static BrokerProcess start(BrokerSpec spec, BenchEnvironment env, long timeoutMs) throws IOException, InterruptedException {
        for (int port : spec.ports()) {
            ensurePortFree(port);
        }
        List<String> command = spec.command(env);
        Files.writeString(spec.outputFile(), "# " + String.join(" ", command) + "\n",
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = ChildProcess.builder(command, spec.outputFile());
        PageCache.warm(PageCache.startFiles(command));
        long startNs = System.nanoTime();
        Process process = builder.start();
        try {
            ReadinessProbe.Readiness readiness = ReadinessProbe.await(process, spec.port(), startNs, timeoutMs);
            return new BrokerProcess(spec, process, readiness, startNs);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw new IOException(spec.name() + " did not start: " + e.getMessage() + "\n--- last lines of " + spec.outputFile()
                + " ---\n" + tail(spec, 30), e);
        }
    }

    /** A port someone else listens on would make the readiness probe time another process. */
    private static void ensurePortFree(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        } catch (IOException e) {
            return;
        }
        throw new IOException("127.0.0.1:" + port + " is already in use: stop what listens there or pick other ports (--kafka-port, --fjord-port, ...)");
    }

    BrokerSpec spec() {
        return spec;
    }

    long pid() {
        return process.pid();
    }

    ReadinessProbe.Readiness readiness() {
        return readiness;
    }

    /** The {@link System#nanoTime()} just before the broker process was forked. */
    long startNs() {
        return startNs;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM and wait; returns the milliseconds until exit. Kills hard and throws past the timeout. */
    double stopCleanly(long timeoutMs) throws IOException, InterruptedException {
        long startNs = System.nanoTime();
        process.destroy();
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException(spec.name() + " did not stop within " + timeoutMs + " ms of SIGTERM; killed");
        }
        return (System.nanoTime() - startNs) / 1e6;
    }

    /** SIGKILL, as a crash: no shutdown hook, no flush, no clean-shutdown marker. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    static String tail(BrokerSpec spec, int lines) {
        try {
            List<String> all = Files.readAllLines(spec.outputFile());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            stopCleanly(60_000);
        } catch (IOException e) {
            System.err.println("bench: " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
