package io.fjord.storage;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.record.ControlRecordType;
import io.fjord.record.EndTxnMarker;
import io.fjord.record.RecordBatchView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * Producer state of one partition: producer id to {@link ProducerStateEntry}, the idempotence and
 * transaction bookkeeping Kafka's {@code ProducerStateManager} keeps, with the same checks (stale
 * epoch, sequence gaps, duplicates) and the same snapshot files.
 *
 * <pre>
 * &lt;20-digit offset&gt;.snapshot  (Kafka's format, big-endian; the offset is where the state is valid)
 * +-------------+------------+------------------+------------------------------------------+
 * | version i16 | crc u32    | entry count i32  | entries ...                              |
 * | = 1         | CRC-32C of everything after the crc field                               |
 * +-------------+------------+------------------+------------------------------------------+
 * entry (46 bytes): producerId i64, epoch i16, lastSequence i32, lastOffset i64,
 *                   offsetDelta i32 (last batch lastOffset - firstOffset), timestamp i64,
 *                   coordinatorEpoch i32, currentTxnStartOffset i64 (-1: none)
 * </pre>
 * Like Kafka, a snapshot keeps only each producer's last batch, so after a reload only a retry of
 * the last batch is recognised as a duplicate, except for batches replayed from the log.
 *
 * <p>Transactions: a producer's first transactional data batch opens its transaction at that
 * batch's base offset; its next COMMIT/ABORT marker ends it ({@link #update} returns the
 * {@link CompletedTxn}). Open transactions are also kept ordered by first offset
 * ({@link #ongoingTxns}); a completed one stays "unreplicated" until the high watermark passes its
 * marker ({@link #onHighWatermarkUpdated}). The first offset of the oldest of either is the
 * partition's first unstable offset, which bounds the last stable offset. Both maps are derived
 * from the entries' {@code currentTxnStartOffset} when a snapshot loads.
 *
 * <p>Threading: confined to the owning log's lock.
 */
final class ProducerStateManager {

    static final String SNAPSHOT_SUFFIX = ".snapshot";
    private static final short SNAPSHOT_VERSION = 1;
    private static final int SNAPSHOT_HEADER_BYTES = 2 + 4 + 4;
    private static final int SNAPSHOT_ENTRY_BYTES = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;

    private final Path dir;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    /** Open transactions: first offset to producer id (a producer has at most one open). */
    private final NavigableMap<Long, Long> ongoingTxns = new TreeMap<>();
    /** Completed transactions whose marker is not yet below the high watermark, by first offset. */
    private final NavigableMap<Long, CompletedTxn> unreplicatedTxns = new TreeMap<>();
    /** The offset up to which {@link #producers} reflects the log. */
    private long mapEndOffset;

    ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    long mapEndOffset() {
        return mapEndOffset;
    }

    Collection<ProducerStateEntry> activeProducers() {
        return List.copyOf(producers.values());
    }

    /** The original batch when one of {@code batches} retries a batch still remembered. */
    Optional<BatchMetadata> findDuplicate(List<RecordBatchView> batches) {
        for (RecordBatchView batch : batches) {
            if (!batch.hasProducerId() || batch.isControlBatch()) {
                continue;
            }
            ProducerStateEntry entry = producers.get(batch.producerId());
            if (entry != null) {
                Optional<BatchMetadata> duplicate = entry.findDuplicate(batch.producerEpoch(), batch.baseSequence(), batch.lastSequence());
                if (duplicate.isPresent()) {
                    return duplicate;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Checks an append as the leader would, without changing state: stale epochs, sequence gaps,
     * new epochs not starting at 0, markers from fenced coordinators, non-transactional writes
     * inside a transaction. {@code markers} holds the parsed marker of each control batch (null
     * for data batches). As Kafka, sequences are checked only for client appends: the coordinator
     * writes transactional offset commits without sequences, validated by epoch only.
     */
    void validateAppend(List<RecordBatchView> batches, List<EndTxnMarker> markers, AppendOrigin origin) {
        Map<Long, ProducerStateEntry> pending = new HashMap<>();
        for (int i = 0; i < batches.size(); i++) {
            RecordBatchView batch = batches.get(i);
            if (!batch.hasProducerId()) {
                continue;
            }
            long producerId = batch.producerId();
            ProducerStateEntry entry = pending.getOrDefault(producerId, producers.getOrDefault(producerId, ProducerStateEntry.empty(producerId)));
            checkEpoch(entry, batch.producerEpoch());
            if (batch.isControlBatch()) {
                EndTxnMarker marker = markers.get(i);
                if (entry.coordinatorEpoch() > marker.coordinatorEpoch()) {
                    throw new ApiException(Errors.TRANSACTION_COORDINATOR_FENCED, "marker coordinator epoch " + marker.coordinatorEpoch()
                        + " is older than " + entry.coordinatorEpoch() + " for producer " + producerId);
                }
            } else {
                if (origin == AppendOrigin.CLIENT) {
                    checkSequence(entry, batch.producerEpoch(), batch.baseSequence());
                }
                if (!batch.isTransactional() && entry.currentTxnStartOffset() >= 0) {
                    throw new ApiException(Errors.INVALID_TXN_STATE, "producer " + producerId + " wrote a non-transactional batch inside a transaction");
                }
            }
            pending.put(producerId, apply(entry, batch, markers.get(i)));
        }
    }

    private static void checkEpoch(ProducerStateEntry entry, short epoch) {
        if (epoch < entry.producerEpoch()) {
            throw new ApiException(Errors.INVALID_PRODUCER_EPOCH, "epoch " + epoch + " of producer " + entry.producerId()
                + " is older than the current epoch " + entry.producerEpoch());
        }
    }

    private static void checkSequence(ProducerStateEntry entry, short epoch, int firstSequence) {
        if (epoch != entry.producerEpoch()) {
            // A producer the partition does not know (epoch -1) may start anywhere: its earlier
            // batches may have been removed by retention or DeleteRecords (Kafka 2.5+).
            if (firstSequence != 0 && entry.producerEpoch() != RecordBatchView.NO_PRODUCER_EPOCH) {
                throw new ApiException(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + entry.producerId() + " epoch " + epoch
                    + " must start at sequence 0, not " + firstSequence);
            }
        } else if (!inSequence(entry.lastSequence(), firstSequence)) {
            throw new ApiException(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + entry.producerId() + " sent sequence " + firstSequence
                + " after " + entry.lastSequence());
        }
    }

    static boolean inSequence(int lastSequence, int nextSequence) {
        return nextSequence == lastSequence + 1L || (nextSequence == 0 && lastSequence == Integer.MAX_VALUE);
    }

    /**
     * Records an appended batch (offsets assigned); also used to replay the log on load. Returns
     * the transaction a COMMIT/ABORT marker ended, empty for data batches and for markers of a
     * producer with no open transaction (Kafka appends those without indexing anything).
     */
    Optional<CompletedTxn> update(RecordBatchView batch, EndTxnMarker marker) {
        mapEndOffset = Math.max(mapEndOffset, batch.nextOffset());
        if (!batch.hasProducerId()) {
            return Optional.empty();
        }
        if (batch.isControlBatch() && marker == null) {
            // Not a transaction marker (LogValidator admits only markers): nothing to record.
            return Optional.empty();
        }
        long producerId = batch.producerId();
        ProducerStateEntry entry = producers.getOrDefault(producerId, ProducerStateEntry.empty(producerId));
        ProducerStateEntry updated = apply(entry, batch, marker);
        producers.put(producerId, updated);
        long openedAt = entry.currentTxnStartOffset();
        if (openedAt < 0 && updated.currentTxnStartOffset() >= 0) {
            ongoingTxns.put(updated.currentTxnStartOffset(), producerId);
        }
        if (!batch.isControlBatch() || openedAt < 0) {
            return Optional.empty();
        }
        // Kafka computes the aborted entry's LSO before removing this transaction: the oldest other open one.
        CompletedTxn completed = new CompletedTxn(producerId, openedAt, batch.baseOffset(), marker.type() == ControlRecordType.ABORT,
            firstOngoingTxnOfAnotherProducer(producerId).orElse(batch.baseOffset() + 1));
        ongoingTxns.remove(openedAt);
        unreplicatedTxns.put(openedAt, completed);
        return Optional.of(completed);
    }

    private OptionalLong firstOngoingTxnOfAnotherProducer(long producerId) {
        for (Map.Entry<Long, Long> txn : ongoingTxns.entrySet()) {
            if (txn.getValue() != producerId) {
                return OptionalLong.of(txn.getKey());
            }
        }
        return OptionalLong.empty();
    }

    /** Transactions whose marker is now below the high watermark are stable. */
    void onHighWatermarkUpdated(long highWatermark) {
        unreplicatedTxns.values().removeIf(txn -> txn.lastOffset() < highWatermark);
    }

    /** The first offset of the oldest transaction that is open or whose marker is above the high watermark. */
    OptionalLong firstUnstableOffset() {
        Long ongoing = ongoingTxns.isEmpty() ? null : ongoingTxns.firstKey();
        Long unreplicated = unreplicatedTxns.isEmpty() ? null : unreplicatedTxns.firstKey();
        if (ongoing == null && unreplicated == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.min(ongoing == null ? Long.MAX_VALUE : ongoing, unreplicated == null ? Long.MAX_VALUE : unreplicated));
    }

    private static ProducerStateEntry apply(ProducerStateEntry entry, RecordBatchView batch, EndTxnMarker marker) {
        if (batch.isControlBatch()) {
            return entry.withMarker(batch.producerEpoch(), marker.coordinatorEpoch(), batch.maxTimestamp());
        }
        BatchMetadata metadata = new BatchMetadata(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp());
        return entry.withBatch(batch.producerEpoch(), metadata, batch.isTransactional());
    }

    void setMapEndOffset(long offset) {
        mapEndOffset = offset;
    }

    /** Forgets producers idle for {@code expirationMs} with no transaction open (Kafka's producer.id.expiration.ms). */
    void removeExpiredProducers(long nowMs, long expirationMs) {
        producers.values().removeIf(e -> e.currentTxnStartOffset() < 0 && nowMs - e.lastTimestamp() >= expirationMs);
    }

    void clear() {
        producers.clear();
        ongoingTxns.clear();
        unreplicatedTxns.clear();
    }

    static Path snapshotFile(Path dir, long offset) {
        return dir.resolve(LogSegment.filenamePrefix(offset) + SNAPSHOT_SUFFIX);
    }

    /** Writes the state as of {@link #mapEndOffset()} to {@code <mapEndOffset>.snapshot}. */
    void takeSnapshot() throws IOException {
        List<ProducerStateEntry> entries = new ArrayList<>(producers.values());
        ByteBuffer buffer = ByteBuffer.allocate(SNAPSHOT_HEADER_BYTES + entries.size() * SNAPSHOT_ENTRY_BYTES);
        buffer.putShort(SNAPSHOT_VERSION).putInt(0).putInt(entries.size());
        for (ProducerStateEntry entry : entries) {
            long lastOffset = entry.lastDataOffset();
            int offsetDelta = entry.batchMetadata().isEmpty() ? 0
                : (int) (lastOffset - entry.batchMetadata().get(entry.batchMetadata().size() - 1).firstOffset());
            buffer.putLong(entry.producerId()).putShort(entry.producerEpoch()).putInt(entry.lastSequence()).putLong(lastOffset)
                .putInt(offsetDelta).putLong(entry.lastTimestamp()).putInt(entry.coordinatorEpoch()).putLong(entry.currentTxnStartOffset());
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 6, buffer.capacity() - 6);
        buffer.putInt(2, (int) crc.getValue());
        CheckpointFile.writeAtomically(snapshotFile(dir, mapEndOffset), buffer.array());
    }

    /** Offsets of the snapshot files in the directory, ascending. */
    TreeSet<Long> snapshotOffsets() throws IOException {
        TreeSet<Long> offsets = new TreeSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SNAPSHOT_SUFFIX)) {
            for (Path file : stream) {
                String name = file.getFileName().toString();
                try {
                    offsets.add(Long.parseLong(name.substring(0, name.length() - SNAPSHOT_SUFFIX.length())));
                } catch (NumberFormatException e) {
                    // Not a snapshot of ours; leave it alone.
                }
            }
        }
        return offsets;
    }

    /**
     * Loads the newest readable snapshot at or below {@code logEndOffset} and {@code maxSnapshotOffset}
     * (ones past the log end and corrupt ones are deleted); without one, starts empty at {@code logStartOffset}. Returns the snapshot offset
     * from which the log must be replayed.
     */
    long loadLatestSnapshot(long logStartOffset, long logEndOffset, long maxSnapshotOffset) throws IOException {
        clear();
        TreeSet<Long> offsets = snapshotOffsets();
        for (Long offset : offsets.descendingSet()) {
            Path file = snapshotFile(dir, offset);
            if (offset > logEndOffset || offset < logStartOffset) {
                Files.deleteIfExists(file);
                continue;
            }
            if (offset > maxSnapshotOffset) {
                // Valid, but the caller must replay from further back (to rebuild transaction indexes).
                continue;
            }
            Optional<List<ProducerStateEntry>> entries = readSnapshot(file);
            if (entries.isEmpty()) {
                Files.deleteIfExists(file);
                continue;
            }
            for (ProducerStateEntry entry : entries.get()) {
                producers.put(entry.producerId(), entry);
                if (entry.currentTxnStartOffset() >= 0) {
                    ongoingTxns.put(entry.currentTxnStartOffset(), entry.producerId());
                }
            }
            mapEndOffset = offset;
            return offset;
        }
        mapEndOffset = logStartOffset;
        return logStartOffset;
    }

    /** Deletes snapshots below {@code offset} (their segments are gone). */
    void deleteSnapshotsBelow(long offset) throws IOException {
        for (Long snapshot : snapshotOffsets().headSet(offset)) {
            Files.deleteIfExists(snapshotFile(dir, snapshot));
        }
    }

    static Optional<List<ProducerStateEntry>> readSnapshot(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < SNAPSHOT_HEADER_BYTES) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        short version = buffer.getShort();
        long storedCrc = Integer.toUnsignedLong(buffer.getInt());
        CRC32C crc = new CRC32C();
        crc.update(bytes, 6, bytes.length - 6);
        int count = buffer.getInt();
        if (version != SNAPSHOT_VERSION || storedCrc != crc.getValue() || count < 0 || (long) count * SNAPSHOT_ENTRY_BYTES != buffer.remaining()) {
            return Optional.empty();
        }
        List<ProducerStateEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long producerId = buffer.getLong();
            short epoch = buffer.getShort();
            int lastSequence = buffer.getInt();
            long lastOffset = buffer.getLong();
            int offsetDelta = buffer.getInt();
            long timestamp = buffer.getLong();
            int coordinatorEpoch = buffer.getInt();
            long txnFirstOffset = buffer.getLong();
            List<BatchMetadata> batches = lastSequence < 0 ? List.of() : List.of(new BatchMetadata(
                decrementSequence(lastSequence, offsetDelta), lastSequence, lastOffset - offsetDelta, lastOffset, timestamp));
            entries.add(new ProducerStateEntry(producerId, epoch, coordinatorEpoch, txnFirstOffset, timestamp, batches));
        }
        return Optional.of(entries);
    }

    private static int decrementSequence(int sequence, int decrement) {
        if (sequence < decrement) {
            return Integer.MAX_VALUE - (decrement - sequence) + 1;
        }
        return sequence - decrement;
    }
}
