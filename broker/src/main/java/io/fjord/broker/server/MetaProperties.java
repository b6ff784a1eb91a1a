package io.fjord.broker.server;

import io.fjord.common.Uuid;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.List;
import java.util.Properties;

/**
 * {@code meta.properties} in each log dir, Kafka's format ({@code version=1}, {@code cluster.id},
 * {@code node.id}, {@code directory.id}): formats a new directory, and refuses to start when a
 * directory belongs to another cluster or node — starting would silently mix two clusters' data.
 */
final class MetaProperties {

    private MetaProperties() {
    }

    /** Returns the cluster id, creating meta.properties where missing. */
    static String ensure(List<Path> logDirs, int nodeId, String configuredClusterId) {
        String clusterId = configuredClusterId == null || configuredClusterId.isBlank() ? null : configuredClusterId;
        for (Path dir : logDirs) {
            Path file = dir.resolve("meta.properties");
            if (Files.exists(file)) {
                Properties existing = read(file);
                String found = existing.getProperty("cluster.id");
                if (clusterId != null && !clusterId.equals(found)) {
                    throw new IllegalStateException("Log directory " + dir + " belongs to cluster " + found
                            + ", but this node is in cluster " + clusterId);
                }
                String foundNode = existing.getProperty("node.id");
                if (foundNode != null && !foundNode.equals(String.valueOf(nodeId))) {
                    throw new IllegalStateException("Log directory " + dir + " belongs to node " + foundNode
                            + ", but node.id is " + nodeId);
                }
                clusterId = found;
            }
        }
        if (clusterId == null) {
            clusterId = Uuid.random(new SecureRandom()).toString();
        }
        for (Path dir : logDirs) {
            Path file = dir.resolve("meta.properties");
            if (!Files.exists(file)) {
                write(dir, file, clusterId, nodeId);
            }
        }
        return clusterId;
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return properties;
    }

    private static void write(Path dir, Path file, String clusterId, int nodeId) {
        Properties properties = new Properties();
        properties.setProperty("version", "1");
        properties.setProperty("cluster.id", clusterId);
        properties.setProperty("node.id", String.valueOf(nodeId));
        properties.setProperty("directory.id", Uuid.random(new SecureRandom()).toString());
        try {
            Files.createDirectories(dir);
            Path temporary = dir.resolve("meta.properties.tmp");
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(writer, "Written by Fjord; Kafka's format");
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
