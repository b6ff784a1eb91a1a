package io.fjord.broker.server;

import io.fjord.common.Time;
import io.fjord.metadata.MetadataLog;
import io.fjord.metadata.MetadataRecord;
import io.fjord.metadata.MetadataRecordSerde;
import io.fjord.record.BaseRecords;
import io.fjord.record.FileRecords;
import io.fjord.record.MemoryRecords;
import io.fjord.record.MemoryRecordsBuilder;
import io.fjord.record.Record;
import io.fjord.record.RecordBatchView;
import io.fjord.storage.LogAppendResult;
import io.fjord.storage.LogReadResult;
import io.fjord.storage.PartitionLog;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The metadata log on one node: the partition {@code __cluster_metadata-0} in the first log dir,
 * one record batch per controller commit (so a commit is atomic: a torn batch is truncated away by
 * recovery as a whole), fsynced before the controller publishes the change. The cluster milestone
 * replaces this with a Raft quorum behind the same {@link MetadataLog} port.
 */
public final class PartitionMetadataLog implements MetadataLog {

    /** Largest metadata batch read at once during replay; one commit is far smaller. */
    private static final int READ_CHUNK_BYTES = 8 * 1024 * 1024;

    private final PartitionLog log;
    private final Time time;

    public PartitionMetadataLog(PartitionLog log, Time time) {
        this.log = log;
        this.time = time;
    }

    @Override
    public long append(List<MetadataRecord> records) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        long now = time.milliseconds();
        for (MetadataRecord record : records) {
            builder.append(now, null, ByteBuffer.wrap(MetadataRecordSerde.serialize(record)), List.of());
        }
        LogAppendResult result = log.appendAsLeader(builder.build(), 0, now);
        log.flush();
        log.updateHighWatermark(log.logEndOffset());
        return result.lastOffset();
    }

    @Override
    public void replay(RecordConsumer consumer) {
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            LogReadResult read = log.read(offset, READ_CHUNK_BYTES, true, log.logEndOffset());
            MemoryRecords records = toMemory(read.records());
            if (records.sizeInBytes() == 0) {
                break;
            }
            for (RecordBatchView batch : records.batches()) {
                for (Record record : batch.recordList(Integer.MAX_VALUE)) {
                    if (record.offset() >= offset) {
                        consumer.accept(MetadataRecordSerde.deserialize(record.value().duplicate()), record.offset());
                    }
                }
                offset = batch.nextOffset();
            }
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    private static MemoryRecords toMemory(BaseRecords records) {
        return switch (records) {
            case MemoryRecords memory -> memory;
            case FileRecords file -> file.toMemoryRecords();
        };
    }
}
