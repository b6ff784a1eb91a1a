package io.fjord.compat;

import io.fjord.broker.config.BrokerConfig;
import io.fjord.broker.server.FjordBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Fjord node for a test: in this JVM, on an ephemeral port of 127.0.0.1, with its data in
 * a fresh directory. Failures print the data dir and port so a run can be reproduced.
 */
final class TestBroker implements AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> overrides;
    private FjordBroker broker;

    private TestBroker(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.overrides = overrides;
    }

    static TestBroker start() {
        return start(Map.of());
    }

    static TestBroker start(Map<String, String> overrides) {
        try {
            TestBroker broker = new TestBroker(Files.createTempDirectory("fjord-it-"), overrides);
            broker.restart();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops (cleanly, if running) and starts again on the same data dir and a new port. */
    void restart() {
        if (broker != null) {
            broker.close();
        }
        Map<String, String> properties = new HashMap<>();
        properties.put("listeners", "PLAINTEXT://127.0.0.1:0");
        properties.put("log.dirs", dataDir.toString());
        properties.put("num.network.threads", "2");
        properties.putAll(overrides);
        broker = FjordBroker.start(BrokerConfig.parse(properties));
    }

    String bootstrap() {
        return "127.0.0.1:" + broker.boundEndpoints().get(0).port();
    }

    Path dataDir() {
        return dataDir;
    }

    /** Incremental fetch sessions the broker holds (KIP-227); a session outlives its client's connection until evicted. */
    int fetchSessionCount() {
        return broker.fetchSessions().size();
    }

    @Override
    public String toString() {
        return "Fjord test broker at " + bootstrap() + " with data in " + dataDir;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
