package io.fjord.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Leader epoch to start offset, persisted as {@code leader-epoch-checkpoint} (Kafka's
 * {@code LeaderEpochFileCache}): each line "epoch startOffset" says the leader of that epoch
 * appended its first batch at that offset. Answers OffsetForLeaderEpoch with Kafka's
 * {@code endOffsetFor} semantics. Every change is written through to the file before returning.
 *
 * <p>Threading: mutations happen under the owning log's lock; readers (OffsetForLeaderEpoch) may
 * call from any thread, so all methods synchronise on this instance.
 */
final class LeaderEpochCache {

    static final String FILE_NAME = "leader-epoch-checkpoint";

    private final Path file;
    private final TreeMap<Integer, Long> epochs = new TreeMap<>();

    private LeaderEpochCache(Path file) {
        this.file = file;
    }

    /** Loads the checkpoint; a malformed file throws {@link IOException}. */
    static LeaderEpochCache load(Path dir) throws IOException {
        LeaderEpochCache cache = new LeaderEpochCache(dir.resolve(FILE_NAME));
        for (String line : CheckpointFile.read(cache.file)) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2) {
                throw new IOException("malformed line in " + cache.file + ": " + line);
            }
            try {
                cache.epochs.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            } catch (NumberFormatException e) {
                throw new IOException("malformed line in " + cache.file + ": " + line, e);
            }
        }
        return cache;
    }

    /** Records that {@code epoch} starts at {@code startOffset}; entries it contradicts are removed (Kafka's assign). */
    synchronized void assign(int epoch, long startOffset) throws IOException {
        if (epoch < 0) {
            return;
        }
        Map.Entry<Integer, Long> latest = epochs.lastEntry();
        if (latest != null && latest.getKey() == epoch && latest.getValue() <= startOffset) {
            return;
        }
        epochs.entrySet().removeIf(e -> e.getKey() >= epoch || e.getValue() >= startOffset);
        epochs.put(epoch, startOffset);
        flush();
    }

    synchronized int latestEpoch() {
        return epochs.isEmpty() ? -1 : epochs.lastKey();
    }

    /** Removes entries starting at or after {@code endOffset} (log truncated to it). */
    synchronized void truncateFromEnd(long endOffset) throws IOException {
        if (epochs.values().removeIf(start -> start >= endOffset)) {
            flush();
        }
    }

    /**
     * The log now starts at {@code startOffset}: entries that start below it are dropped, except
     * that the last of them is kept with its start moved up to {@code startOffset}.
     */
    synchronized void truncateFromStart(long startOffset) throws IOException {
        Integer keep = null;
        List<Integer> remove = new ArrayList<>();
        for (Map.Entry<Integer, Long> entry : epochs.entrySet()) {
            if (entry.getValue() < startOffset) {
                if (keep != null) {
                    remove.add(keep);
                }
                keep = entry.getKey();
            }
        }
        if (keep == null) {
            return;
        }
        remove.forEach(epochs::remove);
        epochs.put(keep, startOffset);
        flush();
    }

    /**
     * Kafka's endOffsetFor: the requested epoch's end is the start offset of the next higher epoch,
     * or the log end offset for the latest epoch. Empty when the epoch is unknown and above every
     * known epoch (UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET on the wire).
     */
    synchronized Optional<EpochEndOffset> endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch < 0 || epochs.isEmpty()) {
            return Optional.empty();
        }
        if (requestedEpoch == epochs.lastKey()) {
            return Optional.of(new EpochEndOffset(requestedEpoch, logEndOffset));
        }
        Map.Entry<Integer, Long> higher = epochs.higherEntry(requestedEpoch);
        if (higher == null) {
            return Optional.empty();
        }
        Map.Entry<Integer, Long> floor = epochs.floorEntry(requestedEpoch);
        if (floor == null) {
            // Older than anything known: the start of the oldest epoch bounds it.
            return Optional.of(new EpochEndOffset(requestedEpoch, higher.getValue()));
        }
        return Optional.of(new EpochEndOffset(floor.getKey(), higher.getValue()));
    }

    /** The epoch in force at {@code offset}, or -1. */
    synchronized int epochForOffset(long offset) {
        int epoch = -1;
        for (Map.Entry<Integer, Long> entry : epochs.entrySet()) {
            if (entry.getValue() <= offset) {
                epoch = entry.getKey();
            }
        }
        return epoch;
    }

    synchronized Map<Integer, Long> entries() {
        return Map.copyOf(epochs);
    }

    private void flush() throws IOException {
        List<String> lines = new ArrayList<>(epochs.size());
        epochs.forEach((epoch, start) -> lines.add(epoch + " " + start));
        // Not fsynced: recovery after an unclean shutdown rebuilds the cache from the batches' leader epochs.
        CheckpointFile.write(file, lines, false);
    }
}
