package io.fjord.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.TopicPartition;
import io.fjord.common.Uuid;
import io.fjord.record.BaseRecords;
import io.fjord.record.ControlRecordType;
import io.fjord.record.EndTxnMarker;
import io.fjord.record.FileRecords;
import io.fjord.record.MemoryRecords;
import io.fjord.record.MemoryRecordsBuilder;
import io.fjord.record.Record;
import io.fjord.record.RecordBatchView;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builders and readers shared by the storage tests. */
final class LogTestSupport {

    static final long START_MS = 1_700_000_000_000L;
    static final TopicPartition TP = new TopicPartition("orders", 0);
    static final Uuid TOPIC_ID = Uuid.random(new SplittableRandom(1));
    static final int MAX = 1 << 20;

    private LogTestSupport() {
    }

    /** A small-segment config for tests: segments of {@code segmentBytes}, an index entry every 100 bytes. */
    static LogConfig smallSegments(int segmentBytes) {
        return LogConfig.builder().internalSegmentBytes(segmentBytes).indexIntervalBytes(100).segmentIndexBytes(4096)
            .messageTimestampBeforeMaxMs(Long.MAX_VALUE).messageTimestampAfterMaxMs(Long.MAX_VALUE).build();
    }

    static MemoryRecords batch(long timestamp, String... values) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        for (String value : values) {
            builder.append(timestamp, "k-" + value, value);
        }
        return builder.build();
    }

    static MemoryRecords idempotent(long producerId, short epoch, int baseSequence, long timestamp, String... values) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().producer(producerId, epoch, baseSequence);
        for (String value : values) {
            builder.append(timestamp, "k-" + value, value);
        }
        return builder.build();
    }

    static MemoryRecords transactional(long producerId, short epoch, int baseSequence, long timestamp, String... values) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().producer(producerId, epoch, baseSequence).transactional(true);
        for (String value : values) {
            builder.append(timestamp, "k-" + value, value);
        }
        return builder.build();
    }

    /** A COMMIT or ABORT control batch as the transaction coordinator writes it. */
    static MemoryRecords marker(long producerId, short epoch, ControlRecordType type, int coordinatorEpoch) {
        return MemoryRecordsBuilder.endTxnMarker(producerId, epoch, START_MS, new EndTxnMarker(type, coordinatorEpoch));
    }

    static LogManager manager(Path dir, FakeTime time, LogConfig config) {
        return manager(dir, time, config, (logDir, context, cause) -> {
            throw new AssertionError("unexpected log dir failure while " + context, cause);
        });
    }

    static LogManager manager(Path dir, FakeTime time, LogConfig config, LogDirFailureHandler handler) {
        LogManager manager = new LogManager(List.of(dir), config, time, handler, LogManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
        manager.startup(topic -> config);
        return manager;
    }

    static List<Record> records(BaseRecords records) {
        MemoryRecords memory = switch (records) {
            case MemoryRecords m -> m;
            case FileRecords f -> f.toMemoryRecords();
        };
        List<Record> out = new ArrayList<>();
        for (RecordBatchView batch : memory.batches()) {
            assertThat(batch.isValid()).as("stored batch at offset %d is valid", batch.baseOffset()).isTrue();
            out.addAll(batch.recordList(MAX));
        }
        return out;
    }

    static List<RecordBatchView> batches(BaseRecords records) {
        MemoryRecords memory = records instanceof FileRecords f ? f.toMemoryRecords() : (MemoryRecords) records;
        return memory.batchList();
    }

    /** Every record value from {@code fromOffset} to the log end, reading in {@code maxBytes} steps. */
    static List<String> readAllValues(PartitionLog log, long fromOffset, int maxBytes) {
        List<String> values = new ArrayList<>();
        long offset = fromOffset;
        while (offset < log.logEndOffset()) {
            List<Record> records = records(log.read(offset, maxBytes, true, log.logEndOffset()).records());
            assertThat(records).as("read at %d returns data", offset).isNotEmpty();
            for (Record record : records) {
                if (record.offset() >= offset) {
                    values.add(utf8(record.value()));
                }
            }
            offset = records.get(records.size() - 1).offset() + 1;
        }
        return values;
    }

    static String utf8(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static Path partitionDir(Path logDir) {
        return logDir.resolve(TP.toString());
    }

    static Path segmentFile(Path logDir, long baseOffset, String suffix) {
        return partitionDir(logDir).resolve(LogSegment.filenamePrefix(baseOffset) + suffix);
    }
}
