package io.fjord.storage;

import io.fjord.common.Uuid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code partition.metadata} in a partition directory, Kafka's text format (KIP-516):
 * <pre>
 * version: 0
 * topic_id: &lt;22-character base64 topic id&gt;
 * </pre>
 */
final class PartitionMetadataFile {

    static final String FILE_NAME = "partition.metadata";

    private PartitionMetadataFile() {
    }

    static void write(Path partitionDir, Uuid topicId) throws IOException {
        // Not fsynced: the metadata log is the source of truth for topic ids; a lost or torn file is
        // tolerated on load and rewritten when the partition is next opened with its id.
        CheckpointFile.writeAtomically(partitionDir.resolve(FILE_NAME),
                ("version: 0\ntopic_id: " + topicId + "\n").getBytes(StandardCharsets.UTF_8), false);
    }

    /** The topic id, empty when the file is absent; a malformed file throws {@link IOException}. */
    static Optional<Uuid> read(Path partitionDir) throws IOException {
        Path file = partitionDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).trim().equals("version: 0") || !lines.get(1).startsWith("topic_id: ")) {
            throw new IOException("malformed " + file);
        }
        try {
            return Optional.of(Uuid.fromString(lines.get(1).substring("topic_id: ".length()).trim()));
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed topic id in " + file, e);
        }
    }
}
