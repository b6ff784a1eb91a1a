package io.fjord.record;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One record of a batch, as its iterator decodes it: absolute offset and timestamp, the producer
 * sequence (-1 when the batch has none), key and value as read-only slices of the batch (or of
 * its decompressed bytes), {@code null} when absent, and the headers.
 */
public record Record(long offset, long timestamp, int sequence, ByteBuffer key, ByteBuffer value, List<Header> headers) {

    public boolean hasKey() {
        return key != null;
    }

    public boolean hasValue() {
        return value != null;
    }
}
