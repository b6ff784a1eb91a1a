package io.fjord.record;

/**
 * The bytes of a {@code records} field in a Kafka message: zero or more record batches, either in
 * memory ({@link MemoryRecords}) or as a region of a segment file ({@link FileRecords}) that the
 * broker hands to the socket with sendfile. Message codecs only need the size and the bytes.
 */
public sealed interface BaseRecords permits MemoryRecords, FileRecords {

    /** The number of bytes on the wire. */
    int sizeInBytes();
}
