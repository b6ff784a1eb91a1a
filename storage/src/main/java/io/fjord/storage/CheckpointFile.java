package io.fjord.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Kafka's text checkpoint format, shared by {@code leader-epoch-checkpoint},
 * {@code recovery-point-offset-checkpoint} and {@code log-start-offset-checkpoint}:
 *
 * <pre>
 * 0                 version
 * 2                 number of entries
 * entry line 1      e.g. "3 150" (epoch start offset) or "orders 0 1234" (topic partition offset)
 * entry line 2
 * </pre>
 * Writes go to a {@code .tmp} file that is fsynced and atomically renamed over the old one, then
 * the directory is fsynced, so a crash leaves either the old or the new file. Stateless.
 */
final class CheckpointFile {

    static final int VERSION = 0;

    private CheckpointFile() {
    }

    static void write(Path file, List<String> entries) throws IOException {
        write(file, entries, true);
    }

    /**
     * Writes the entries; {@code durable} false skips the fsyncs for files that recovery can rebuild
     * from the log itself (the leader-epoch checkpoint), so creating or first appending to a thousand
     * partitions does not cost thousands of synchronous disk flushes (Kafka moved the same fsync off
     * the produce path in KAFKA-15046).
     */
    static void write(Path file, List<String> entries, boolean durable) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(VERSION).append('\n').append(entries.size()).append('\n');
        for (String entry : entries) {
            text.append(entry).append('\n');
        }
        writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8), durable);
    }

    /** The entry lines; throws {@link IOException} when the file is malformed. Missing file: empty list. */
    static List<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2) {
            throw new IOException("malformed checkpoint " + file + ": missing version or count line");
        }
        try {
            int version = Integer.parseInt(lines.get(0).trim());
            if (version != VERSION) {
                throw new IOException("unsupported checkpoint version " + version + " in " + file);
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count < 0 || lines.size() < 2 + count) {
                throw new IOException("malformed checkpoint " + file + ": expected " + count + " entries");
            }
            return new ArrayList<>(lines.subList(2, 2 + count));
        } catch (NumberFormatException e) {
            throw new IOException("malformed checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    static void writeAtomically(Path file, String text) throws IOException {
        writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        writeAtomically(file, bytes, true);
    }

    /** Write to a temporary file and rename it over {@code file}; with {@code durable}, fsync the file and its directory. */
    static void writeAtomically(Path file, byte[] bytes, boolean durable) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (durable) {
                channel.force(true);
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (durable) {
            fsyncDirectory(file.getParent());
        }
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some filesystems refuse to open or fsync a directory; the rename itself is still atomic.
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }
}
