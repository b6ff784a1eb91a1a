package io.fjord.broker.server.group;

import io.fjord.broker.server.ReplicaManager;
import io.fjord.common.TopicPartition;
import io.fjord.coordinator.group.CoordinatorLog;
import io.fjord.record.BaseRecords;
import io.fjord.record.FileRecords;
import io.fjord.record.MemoryRecords;
import io.fjord.record.MemoryRecordsBuilder;
import io.fjord.record.Record;
import io.fjord.record.RecordBatchView;
import io.fjord.storage.LogReadResult;
import io.fjord.storage.PartitionLog;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The group coordinator's {@link CoordinatorLog} on the partitions of {@code __consumer_offsets}:
 * one record batch per append, through {@link ReplicaManager#appendRecords} so the high watermark
 * moves and waiting fetches wake (a consumer of {@code __consumer_offsets} sees commits at once).
 * Not fsynced per append: like Kafka, an acknowledged commit is as durable as any acknowledged
 * produce (the page cache survives {@code kill -9}; flush.ms/flush.messages decide fsync).
 *
 * <p>The transaction coordinator uses the same class on {@code __transaction_state}
 * ({@link #forTopic}). Called on the owning coordinator's event-loop thread only.
 */
public final class OffsetsTopicLog implements CoordinatorLog {

    public static final String TOPIC = "__consumer_offsets";
    /** Largest chunk read at once while replaying; a batch larger than this is still read whole. */
    private static final int READ_CHUNK_BYTES = 4 * 1024 * 1024;

    private final ReplicaManager replicaManager;
    private final String topic;

    public OffsetsTopicLog(ReplicaManager replicaManager) {
        this(replicaManager, TOPIC);
    }

    private OffsetsTopicLog(ReplicaManager replicaManager, String topic) {
        this.replicaManager = replicaManager;
        this.topic = topic;
    }

    /** The same port on another compacted internal topic. */
    public static OffsetsTopicLog forTopic(ReplicaManager replicaManager, String topic) {
        return new OffsetsTopicLog(replicaManager, topic);
    }

    @Override
    public void append(int partition, List<Entry> entries, long nowMs) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        for (Entry entry : entries) {
            builder.append(nowMs, ByteBuffer.wrap(entry.key()), entry.value() == null ? null : ByteBuffer.wrap(entry.value()), List.of());
        }
        replicaManager.appendRecords(new TopicPartition(topic, partition), builder.build());
    }

    @Override
    public void replay(int partition, EntryConsumer consumer) {
        PartitionLog log = replicaManager.partitionOrThrow(new TopicPartition(topic, partition)).log();
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        while (offset < end) {
            LogReadResult read = log.read(offset, READ_CHUNK_BYTES, true, end);
            MemoryRecords records = toMemory(read.records());
            if (records.sizeInBytes() == 0) {
                break;
            }
            for (RecordBatchView batch : records.batches()) {
                for (Record record : batch.isControlBatch() ? List.<Record>of() : batch.recordList(Integer.MAX_VALUE)) {
                    if (record.offset() >= offset && record.key() != null) {
                        consumer.accept(new Entry(bytes(record.key()), record.value() == null ? null : bytes(record.value())));
                    }
                }
                offset = batch.nextOffset();
            }
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private static MemoryRecords toMemory(BaseRecords records) {
        return switch (records) {
            case MemoryRecords memory -> memory;
            case FileRecords file -> file.toMemoryRecords();
        };
    }
}
