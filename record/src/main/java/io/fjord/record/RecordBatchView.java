package io.fjord.record;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.CRC32C;

/**
 * A zero-copy view of one record batch v2 (magic 2) at {@code position} of a buffer (PROTOCOL.md §4):
 *
 * <pre>
 *  0                   8           12                     16    17          21          23
 *  +-------------------+-----------+----------------------+-----+-----------+-----------+
 *  | baseOffset int64  | batchLen  | partitionLeaderEpoch | mag | crc u32   | attrs i16 |
 *  +-------------------+-----------+----------------------+-----+-----------+-----------+
 *  23                  27                  35                  43                  51
 *  +-------------------+-------------------+-------------------+-------------------+
 *  | lastOffsetDelta   | baseTimestamp i64 | maxTimestamp i64  | producerId i64    |
 *  +-------------------+-------------------+-------------------+-------------------+
 *  51                53                57             61
 *  +-----------------+-----------------+--------------+------------------------------+
 *  | producerEpoch   | baseSequence    | recordsCount | records (maybe compressed)   |
 *  +-----------------+-----------------+--------------+------------------------------+
 *  batchLen counts the bytes after itself: sizeInBytes = 12 + batchLen.
 *  The CRC-32C covers bytes 21 (attributes) to the end; baseOffset and
 *  partitionLeaderEpoch are outside it, so the broker can assign them in place.
 *  attributes: bits 0-2 codec, 3 timestamp type, 4 transactional, 5 control, 6 delete horizon.
 * </pre>
 *
 * The view reads with absolute gets and never moves the buffer's position. The setters write into
 * the shared bytes: only the thread that owns the buffer (the appending thread) may call them.
 * Accessors assume the header is present; call {@link #ensureValid()} first on untrusted bytes.
 */
public final class RecordBatchView {

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORDS_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;

    /** BaseOffset and BatchLength: the bytes before the length-counted part. */
    public static final int LOG_OVERHEAD = 12;
    /** A batch with no records. */
    public static final int RECORD_BATCH_OVERHEAD = RECORDS_OFFSET;
    /** Bytes that must be present to read the magic byte. */
    public static final int HEADER_SIZE_UP_TO_MAGIC = 17;
    public static final byte MAGIC_V2 = 2;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    /** The smallest possible encoded record: seven one-byte varints/fields. */
    static final int MIN_RECORD_BYTES = 7;

    private static final int COMPRESSION_CODEC_MASK = 0x07;
    private static final int TIMESTAMP_TYPE_MASK = 0x08;
    private static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    private static final int CONTROL_FLAG_MASK = 0x20;
    private static final int DELETE_HORIZON_FLAG_MASK = 0x40;

    private final ByteBuffer buffer;
    private final int position;

    public RecordBatchView(ByteBuffer buffer, int position) {
        this.buffer = buffer.order() == ByteOrder.BIG_ENDIAN ? buffer : buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.position = position;
    }

    /** The position of this batch in its buffer. */
    public int position() {
        return position;
    }

    public long baseOffset() {
        return buffer.getLong(position + BASE_OFFSET_OFFSET);
    }

    public int batchLength() {
        return buffer.getInt(position + LENGTH_OFFSET);
    }

    public int sizeInBytes() {
        return LOG_OVERHEAD + batchLength();
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(position + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buffer.get(position + MAGIC_OFFSET);
    }

    /** The stored CRC-32C as an unsigned value. */
    public long checksum() {
        return Integer.toUnsignedLong(buffer.getInt(position + CRC_OFFSET));
    }

    public short attributes() {
        return buffer.getShort(position + ATTRIBUTES_OFFSET);
    }

    public CompressionType compressionType() {
        return CompressionType.forId(attributes() & COMPRESSION_CODEC_MASK);
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_MASK) == 0 ? TimestampType.CREATE_TIME : TimestampType.LOG_APPEND_TIME;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    public boolean isControlBatch() {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_FLAG_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(position + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return buffer.getLong(position + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(position + MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(position + PRODUCER_ID_OFFSET);
    }

    public boolean hasProducerId() {
        return producerId() > NO_PRODUCER_ID;
    }

    public short producerEpoch() {
        return buffer.getShort(position + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(position + BASE_SEQUENCE_OFFSET);
    }

    /** The sequence of the last record, wrapping past Int.MAX to 0 like Kafka; NO_SEQUENCE when unused. */
    public int lastSequence() {
        int baseSequence = baseSequence();
        return baseSequence == NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(baseSequence, lastOffsetDelta());
    }

    public int recordsCount() {
        return buffer.getInt(position + RECORDS_COUNT_OFFSET);
    }

    /** {@code sequence + increment}, wrapping past Int.MAX to 0 (producer sequences are non-negative). */
    public static int incrementSequence(int sequence, int increment) {
        if (sequence > Integer.MAX_VALUE - increment) {
            return increment - (Integer.MAX_VALUE - sequence) - 1;
        }
        return sequence + increment;
    }

    /** True when the header is complete, magic is 2, the batch fits the buffer and the CRC matches. */
    public boolean isValid() {
        return validationFailure() == null;
    }

    /** Throws CORRUPT_MESSAGE naming what is wrong unless {@link #isValid()}. */
    public void ensureValid() {
        String failure = validationFailure();
        if (failure != null) {
            throw new ApiException(Errors.CORRUPT_MESSAGE, failure);
        }
    }

    private String validationFailure() {
        int available = buffer.limit() - position;
        if (available < RECORD_BATCH_OVERHEAD) {
            return "batch at position " + position + " has " + available + " bytes, less than a batch header";
        }
        if (magic() != MAGIC_V2) {
            return "unsupported magic " + magic() + " (only record batch v2 is accepted)";
        }
        int size = batchLength() + LOG_OVERHEAD;
        if (batchLength() < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
            return "batch length " + batchLength() + " is smaller than the header";
        }
        if (size > available) {
            return "batch of " + size + " bytes is truncated to " + available;
        }
        long computed = computeChecksum();
        if (computed != checksum()) {
            return "CRC mismatch: stored " + checksum() + ", computed " + computed + " for batch at offset " + baseOffset();
        }
        return null;
    }

    /** CRC-32C of bytes 21 to the end of the batch. */
    public long computeChecksum() {
        CRC32C crc = new CRC32C();
        crc.update(buffer.slice(position + ATTRIBUTES_OFFSET, sizeInBytes() - ATTRIBUTES_OFFSET));
        return crc.getValue();
    }

    public void setBaseOffset(long baseOffset) {
        buffer.putLong(position + BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Outside the CRC: no recomputation. */
    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(position + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /** For LogAppendTime topics: sets the timestamp-type bit, rewrites max timestamp and recomputes the CRC. */
    public void setMaxTimestampAndLogAppendTime(long logAppendTimeMs) {
        setMaxTimestamp(TimestampType.LOG_APPEND_TIME, logAppendTimeMs);
    }

    /** Rewrites the timestamp type and max timestamp; recomputes the CRC only when something changed. */
    public void setMaxTimestamp(TimestampType type, long maxTimestamp) {
        if (timestampType() == type && maxTimestamp() == maxTimestamp) {
            return;
        }
        int attributes = attributes();
        attributes = type == TimestampType.LOG_APPEND_TIME ? attributes | TIMESTAMP_TYPE_MASK : attributes & ~TIMESTAMP_TYPE_MASK;
        buffer.putShort(position + ATTRIBUTES_OFFSET, (short) attributes);
        buffer.putLong(position + MAX_TIMESTAMP_OFFSET, maxTimestamp);
        buffer.putInt(position + CRC_OFFSET, (int) computeChecksum());
    }

    /** The batch's bytes as a slice (shares content). */
    public ByteBuffer slice() {
        return buffer.slice(position, sizeInBytes());
    }

    /**
     * The records, decompressed if needed into at most {@code maxDecompressedBytes}. The record count
     * in the header must be plausible for the bytes present (every record takes at least
     * {@value #MIN_RECORD_BYTES} bytes), so a header cannot make the iterator run past the data.
     * Malformed records throw CORRUPT_MESSAGE from {@code next()}/{@code hasNext()}.
     */
    public Iterator<Record> records(int maxDecompressedBytes) {
        ByteBuffer data = buffer.slice(position + RECORDS_OFFSET, sizeInBytes() - RECORDS_OFFSET);
        CompressionType compression = compressionType();
        if (compression != CompressionType.NONE) {
            data = compression.decompress(data, maxDecompressedBytes);
        }
        int count = recordsCount();
        if (count < 0 || (long) count * MIN_RECORD_BYTES > data.remaining()) {
            throw new ApiException(Errors.CORRUPT_MESSAGE,
                "batch at offset " + baseOffset() + " claims " + count + " records in " + data.remaining() + " bytes");
        }
        return new RecordIterator(data, count);
    }

    /**
     * Walks every record of the batch (decompressed if needed into at most {@code maxDecompressedBytes})
     * checking the same structure {@link #records(int)} checks, but without creating a record, a
     * slice or a header: the produce path validates every record of every batch, and this is that
     * pass at the cost of reading the varints. Malformed records throw CORRUPT_MESSAGE.
     */
    public RecordsSummary scanRecords(int maxDecompressedBytes) {
        ByteBuffer data = buffer.slice(position + RECORDS_OFFSET, sizeInBytes() - RECORDS_OFFSET);
        CompressionType compression = compressionType();
        if (compression != CompressionType.NONE) {
            data = compression.decompress(data, maxDecompressedBytes);
        }
        int count = recordsCount();
        if (count < 0 || (long) count * MIN_RECORD_BYTES > data.remaining()) {
            throw new ApiException(Errors.CORRUPT_MESSAGE,
                "batch at offset " + baseOffset() + " claims " + count + " records in " + data.remaining() + " bytes");
        }
        long baseTimestamp = baseTimestamp();
        boolean logAppendTime = timestampType() == TimestampType.LOG_APPEND_TIME;
        long batchMaxTimestamp = maxTimestamp();
        long maxTimestamp = NO_TIMESTAMP;
        long minSet = Long.MAX_VALUE;
        long maxSet = Long.MIN_VALUE;
        int firstBadDelta = -1;
        int badDelta = 0;
        int nullKeys = 0;
        for (int index = 0; index < count; index++) {
            int length = Varint.readVarint(data);
            if (length < MIN_RECORD_BYTES - 1 || length > data.remaining()) {
                throw corrupt("record length " + length + " with " + data.remaining() + " bytes left");
            }
            int end = data.position() + length;
            int limit = data.limit();
            data.limit(end);
            data.get(); // attributes: unused in v2
            long timestampDelta = Varint.readVarlong(data);
            int offsetDelta = Varint.readVarint(data);
            if (skipField(data) < 0) {
                nullKeys++;
            }
            skipField(data);
            int headerCount = Varint.readVarint(data);
            // Each header takes at least two bytes (two length varints).
            if (headerCount < 0 || headerCount > data.remaining() / 2) {
                throw corrupt("invalid header count " + headerCount);
            }
            for (int h = 0; h < headerCount; h++) {
                int keyLength = Varint.readVarint(data);
                if (keyLength < 0 || keyLength > data.remaining()) {
                    throw corrupt("invalid header key length " + keyLength);
                }
                data.position(data.position() + keyLength);
                skipField(data);
            }
            if (data.hasRemaining()) {
                throw corrupt("record at offset delta " + offsetDelta + " has " + data.remaining() + " trailing bytes");
            }
            data.limit(limit);
            if (offsetDelta != index && firstBadDelta < 0) {
                firstBadDelta = index;
                badDelta = offsetDelta;
            }
            long timestamp = logAppendTime ? batchMaxTimestamp : baseTimestamp + timestampDelta;
            maxTimestamp = Math.max(maxTimestamp, timestamp);
            if (timestamp != NO_TIMESTAMP) {
                minSet = Math.min(minSet, timestamp);
                maxSet = Math.max(maxSet, timestamp);
            }
        }
        if (data.hasRemaining()) {
            throw corrupt(data.remaining() + " bytes after the last of " + count + " records");
        }
        return new RecordsSummary(maxTimestamp, minSet, maxSet, firstBadDelta, badDelta, nullKeys);
    }

    /** Skips a length-prefixed field; returns its length (-1 for null). */
    private int skipField(ByteBuffer data) {
        int length = Varint.readVarint(data);
        if (length == -1) {
            return -1;
        }
        if (length < -1 || length > data.remaining()) {
            throw corrupt("invalid field length " + length + " with " + data.remaining() + " bytes left");
        }
        data.position(data.position() + length);
        return length;
    }

    private ApiException corrupt(String message) {
        return new ApiException(Errors.CORRUPT_MESSAGE, "batch at offset " + baseOffset() + ": " + message);
    }

    /** All records in a list (tests and control-plane paths). */
    public List<Record> recordList(int maxDecompressedBytes) {
        List<Record> records = new ArrayList<>();
        records(maxDecompressedBytes).forEachRemaining(records::add);
        return records;
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", size=" + sizeInBytes()
            + ", count=" + recordsCount() + ", compression=" + (attributes() & COMPRESSION_CODEC_MASK) + ")";
    }

    /** Decodes records one at a time from the (decompressed) records bytes. Not thread-safe. */
    private final class RecordIterator implements Iterator<Record> {
        private final ByteBuffer data;
        private final int count;
        private final long baseOffset = baseOffset();
        private final long baseTimestamp = baseTimestamp();
        private final int baseSequence = baseSequence();
        private final boolean logAppendTime = timestampType() == TimestampType.LOG_APPEND_TIME;
        private final long maxTimestamp = maxTimestamp();
        private int read;

        RecordIterator(ByteBuffer data, int count) {
            this.data = data;
            this.count = count;
        }

        @Override
        public boolean hasNext() {
            if (read < count) {
                return true;
            }
            if (data.hasRemaining()) {
                throw corrupt(data.remaining() + " bytes after the last of " + count + " records");
            }
            return false;
        }

        @Override
        public Record next() {
            if (read >= count) {
                throw new NoSuchElementException();
            }
            read++;
            int length = Varint.readVarint(data);
            if (length < MIN_RECORD_BYTES - 1 || length > data.remaining()) {
                throw corrupt("record length " + length + " with " + data.remaining() + " bytes left");
            }
            ByteBuffer record = data.slice(data.position(), length);
            data.position(data.position() + length);
            record.get(); // attributes: unused in v2
            long timestampDelta = Varint.readVarlong(record);
            int offsetDelta = Varint.readVarint(record);
            ByteBuffer key = readBytes(record);
            ByteBuffer value = readBytes(record);
            List<Header> headers = readHeaders(record);
            if (record.hasRemaining()) {
                throw corrupt("record at offset delta " + offsetDelta + " has " + record.remaining() + " trailing bytes");
            }
            long timestamp = logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta;
            int sequence = baseSequence == NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(baseSequence, offsetDelta);
            return new Record(baseOffset + offsetDelta, timestamp, sequence, key, value, headers);
        }

        private List<Header> readHeaders(ByteBuffer record) {
            int headerCount = Varint.readVarint(record);
            // Each header takes at least two bytes (two length varints).
            if (headerCount < 0 || headerCount > record.remaining() / 2) {
                throw corrupt("invalid header count " + headerCount);
            }
            if (headerCount == 0) {
                return List.of();
            }
            List<Header> headers = new ArrayList<>(headerCount);
            for (int i = 0; i < headerCount; i++) {
                int keyLength = Varint.readVarint(record);
                if (keyLength < 0 || keyLength > record.remaining()) {
                    throw corrupt("invalid header key length " + keyLength);
                }
                String key = StandardCharsets.UTF_8.decode(record.slice(record.position(), keyLength)).toString();
                record.position(record.position() + keyLength);
                headers.add(new Header(key, readBytes(record)));
            }
            return headers;
        }

        private ByteBuffer readBytes(ByteBuffer record) {
            int length = Varint.readVarint(record);
            if (length == -1) {
                return null;
            }
            if (length < -1 || length > record.remaining()) {
                throw corrupt("invalid field length " + length + " with " + record.remaining() + " bytes left");
            }
            ByteBuffer bytes = record.slice(record.position(), length);
            record.position(record.position() + length);
            return bytes;
        }
    }
}
