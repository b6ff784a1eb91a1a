package io.fjord.storage;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.record.CompressionType;
import io.fjord.record.ControlRecordType;
import io.fjord.record.EndTxnMarker;
import io.fjord.record.MemoryRecords;
import io.fjord.record.MemoryRecordsBuilder;
import io.fjord.record.Record;
import io.fjord.record.RecordBatchView;
import io.fjord.record.RecordsSummary;
import io.fjord.record.TimestampType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Validates the batches of one append as Kafka's {@code LogValidator} and
 * {@code UnifiedLog.analyzeAndValidateRecords} do, before anything is written: every check that
 * can fail runs here, so a failed append changes nothing. Stateless; called under the log lock.
 *
 * <p>Errors: base offset not 0, control batches from clients, inconsistent counts or offset deltas,
 * missing keys on compacted topics: INVALID_RECORD. Size above {@code max.message.bytes}:
 * MESSAGE_TOO_LARGE; whole append above the segment size: RECORD_LIST_TOO_LARGE. CreateTime out
 * of the allowed window: INVALID_TIMESTAMP. Everything else malformed (magic, CRC, lengths, record
 * encoding, decompression): CORRUPT_MESSAGE.
 */
final class LogValidator {

    /** Upper bound on one batch's decompressed records: {@code max.message.bytes} times this factor... */
    static final long DECOMPRESSION_FACTOR = 64;
    /** ...but never less than this (small max.message.bytes must still admit compressible data)... */
    static final int MIN_DECOMPRESSION_LIMIT_BYTES = 64 << 20;
    /** ...and never more than this. */
    static final int MAX_DECOMPRESSION_LIMIT_BYTES = 256 << 20;

    /** One validated batch and what validation learnt from its records. */
    record ValidatedBatch(RecordBatchView batch, long maxTimestamp, EndTxnMarker marker) {
    }

    /** The records to append (rebuilt when the topic forces a codec) and their batches. */
    record ValidatedRecords(MemoryRecords records, List<ValidatedBatch> batches) {
    }

    private LogValidator() {
    }

    static int decompressionLimit(LogConfig config) {
        long limit = Math.max(MIN_DECOMPRESSION_LIMIT_BYTES, config.maxMessageBytes() * DECOMPRESSION_FACTOR);
        return (int) Math.min(limit, MAX_DECOMPRESSION_LIMIT_BYTES);
    }

    static ValidatedRecords validate(MemoryRecords records, LogConfig config, long nowMs, AppendOrigin origin) {
        if (records.sizeInBytes() == 0) {
            throw new ApiException(Errors.INVALID_RECORD, "an append must contain at least one record batch");
        }
        if (records.sizeInBytes() > config.segmentBytes()) {
            throw new ApiException(Errors.RECORD_LIST_TOO_LARGE, "append of " + records.sizeInBytes()
                + " bytes exceeds the segment size " + config.segmentBytes());
        }
        List<ValidatedBatch> batches = new ArrayList<>();
        int validBytes = 0;
        for (RecordBatchView batch : records.batches()) {
            batches.add(validateBatch(batch, config, nowMs, origin));
            validBytes += batch.sizeInBytes();
        }
        if (validBytes != records.sizeInBytes()) {
            throw new ApiException(Errors.CORRUPT_MESSAGE, (records.sizeInBytes() - validBytes) + " bytes of a partial batch at the end of the append");
        }
        return maybeRecompress(records, batches, config);
    }

    private static ValidatedBatch validateBatch(RecordBatchView batch, LogConfig config, long nowMs, AppendOrigin origin) {
        if (batch.sizeInBytes() > config.maxMessageBytes()) {
            throw new ApiException(Errors.MESSAGE_TOO_LARGE, "batch of " + batch.sizeInBytes()
                + " bytes exceeds max.message.bytes " + config.maxMessageBytes());
        }
        batch.ensureValid();
        if (origin == AppendOrigin.CLIENT && batch.baseOffset() != 0) {
            throw new ApiException(Errors.INVALID_RECORD, "the base offset of a produced batch must be 0, not " + batch.baseOffset());
        }
        if (batch.isControlBatch() && origin == AppendOrigin.CLIENT) {
            throw new ApiException(Errors.INVALID_RECORD, "clients may not write control batches");
        }
        // Kafka checks sequences of client appends only: the coordinator writes transactional
        // offset commits with the producer's id and epoch but no sequence.
        if (origin == AppendOrigin.CLIENT && batch.hasProducerId() && batch.baseSequence() < 0) {
            throw new ApiException(Errors.INVALID_RECORD, "idempotent batch without a base sequence");
        }
        if (batch.isTransactional() && !batch.hasProducerId()) {
            throw new ApiException(Errors.INVALID_RECORD, "transactional batch without a producer id");
        }
        int count = batch.recordsCount();
        if (count <= 0 || batch.lastOffsetDelta() != count - 1) {
            throw new ApiException(Errors.INVALID_RECORD, "batch claims " + count + " records but last offset delta " + batch.lastOffsetDelta());
        }
        if (config.messageTimestampType() == TimestampType.CREATE_TIME && batch.timestampType() != TimestampType.CREATE_TIME) {
            throw new ApiException(Errors.INVALID_TIMESTAMP, "LogAppendTime batch sent to a CreateTime topic");
        }
        return validateRecords(batch, config, nowMs);
    }

    private static ValidatedBatch validateRecords(RecordBatchView batch, LogConfig config, long nowMs) {
        boolean checkTimestamps = config.messageTimestampType() == TimestampType.CREATE_TIME;
        if (!batch.isControlBatch()) {
            // The hot path: one allocation-free pass over the varints of every record.
            RecordsSummary summary = batch.scanRecords(decompressionLimit(config));
            if (!summary.offsetDeltasSequential()) {
                throw new ApiException(Errors.INVALID_RECORD, "record has offset delta " + summary.badOffsetDelta()
                    + ", expected " + summary.firstBadOffsetDelta());
            }
            if (config.compact() && summary.nullKeys() > 0) {
                throw new ApiException(Errors.INVALID_RECORD, "compacted topics require a key on every record");
            }
            if (checkTimestamps && summary.minSetTimestamp() <= summary.maxSetTimestamp()) {
                // The window check is monotone: if any timestamp is outside, the smallest or the largest is.
                checkTimestamp(summary.minSetTimestamp(), nowMs, config);
                checkTimestamp(summary.maxSetTimestamp(), nowMs, config);
            }
            return new ValidatedBatch(batch, summary.maxTimestamp(), null);
        }
        // Control batches (transaction markers written by the coordinator): one record, parsed.
        Iterator<Record> records = batch.records(decompressionLimit(config));
        long maxTimestamp = RecordBatchView.NO_TIMESTAMP;
        int expectedDelta = 0;
        EndTxnMarker marker = null;
        while (records.hasNext()) {
            Record record = records.next();
            if (record.offset() - batch.baseOffset() != expectedDelta) {
                throw new ApiException(Errors.INVALID_RECORD, "record has offset delta " + (record.offset() - batch.baseOffset())
                    + ", expected " + expectedDelta);
            }
            if (checkTimestamps && record.timestamp() != RecordBatchView.NO_TIMESTAMP) {
                checkTimestamp(record.timestamp(), nowMs, config);
            }
            marker = parseMarker(record);
            maxTimestamp = Math.max(maxTimestamp, record.timestamp());
            expectedDelta++;
        }
        if (expectedDelta != 1) {
            throw new ApiException(Errors.INVALID_RECORD, "a control batch holds exactly one record, not " + expectedDelta);
        }
        return new ValidatedBatch(batch, maxTimestamp, marker);
    }

    private static void checkTimestamp(long timestamp, long nowMs, LogConfig config) {
        if (nowMs - timestamp > config.messageTimestampBeforeMaxMs() || timestamp - nowMs > config.messageTimestampAfterMaxMs()) {
            throw new ApiException(Errors.INVALID_TIMESTAMP, "timestamp " + timestamp + " is outside the window allowed around " + nowMs
                + " (message.timestamp.before.max.ms " + config.messageTimestampBeforeMaxMs()
                + ", message.timestamp.after.max.ms " + config.messageTimestampAfterMaxMs() + ")");
        }
    }

    private static EndTxnMarker parseMarker(Record record) {
        ControlRecordType type = ControlRecordType.parseKey(record.key());
        if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
            throw new ApiException(Errors.INVALID_RECORD, "control record of type " + type + " is not a transaction marker");
        }
        return EndTxnMarker.fromRecord(record);
    }

    /**
     * When the topic's {@code compression.type} is a codec rather than "producer", data batches in
     * another codec are rebuilt with it (new CRC), keeping producer fields, offsets deltas,
     * timestamps, keys, values and headers.
     */
    private static ValidatedRecords maybeRecompress(MemoryRecords records, List<ValidatedBatch> batches, LogConfig config) {
        CompressionType target = targetCompression(config);
        if (target == null || batches.stream().allMatch(b -> b.batch().isControlBatch() || b.batch().compressionType() == target)) {
            return new ValidatedRecords(records, batches);
        }
        List<MemoryRecords> rebuilt = new ArrayList<>();
        int size = 0;
        for (ValidatedBatch validated : batches) {
            RecordBatchView batch = validated.batch();
            MemoryRecords converted = batch.isControlBatch() || batch.compressionType() == target
                ? new MemoryRecords(batch.slice())
                : rebuild(batch, target, config);
            rebuilt.add(converted);
            size += converted.sizeInBytes();
        }
        ByteBuffer joined = ByteBuffer.allocate(size);
        rebuilt.forEach(r -> joined.put(r.duplicateBuffer()));
        MemoryRecords result = new MemoryRecords(joined.flip());
        List<ValidatedBatch> validatedBatches = new ArrayList<>();
        List<RecordBatchView> views = result.batchList();
        for (int i = 0; i < views.size(); i++) {
            validatedBatches.add(new ValidatedBatch(views.get(i), batches.get(i).maxTimestamp(), batches.get(i).marker()));
        }
        if (result.sizeInBytes() > config.segmentBytes()) {
            throw new ApiException(Errors.RECORD_LIST_TOO_LARGE, "recompressed append exceeds the segment size");
        }
        return new ValidatedRecords(result, validatedBatches);
    }

    private static MemoryRecords rebuild(RecordBatchView batch, CompressionType target, LogConfig config) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().compression(target)
            .producer(batch.producerId(), batch.producerEpoch(), batch.baseSequence()).transactional(batch.isTransactional());
        Iterator<Record> records = batch.records(decompressionLimit(config));
        while (records.hasNext()) {
            Record record = records.next();
            builder.appendWithOffsetDelta((int) (record.offset() - batch.baseOffset()), record.timestamp(), record.key(), record.value(), record.headers());
        }
        return builder.build();
    }

    private static CompressionType targetCompression(LogConfig config) {
        return switch (config.compressionType()) {
            case "producer" -> null;
            case "uncompressed" -> CompressionType.NONE;
            default -> CompressionType.forConfigName(config.compressionType());
        };
    }
}
