package io.fjord.common;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * A 128-bit id as Kafka uses it for topic ids and the cluster id. Rendered, like Kafka, as
 * 22 characters of URL-safe base64 without padding. {@link #ZERO} means "no id".
 */
public record Uuid(long mostSignificantBits, long leastSignificantBits) {

    public static final Uuid ZERO = new Uuid(0L, 0L);
    /** Kafka reserves the all-zero id and the id with only the lowest bit set (metadata topic). */
    public static final Uuid METADATA_TOPIC_ID = new Uuid(0L, 1L);

    /** A random id that is neither reserved nor starts with '-' once rendered (Kafka's rule). */
    public static Uuid random(RandomGenerator random) {
        while (true) {
            Uuid id = new Uuid(random.nextLong(), random.nextLong());
            if (!id.equals(ZERO) && !id.equals(METADATA_TOPIC_ID) && !id.toString().startsWith("-")) {
                return id;
            }
        }
    }

    public static Uuid fromString(String text) {
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        if (bytes.length != 16) {
            throw new IllegalArgumentException("a Uuid is 16 bytes, this text decodes to " + bytes.length + ": " + text);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new Uuid(buffer.getLong(), buffer.getLong());
    }

    @Override
    public String toString() {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        buffer.putLong(mostSignificantBits).putLong(leastSignificantBits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    // equals and hashCode written out: a record's generated ones bootstrap through ObjectMethods on
    // first use, spinning method-handle classes on the main thread while the broker starts (it compares
    // ids when it chooses the cluster id).
    @Override
    public boolean equals(Object other) {
        return other instanceof Uuid that && mostSignificantBits == that.mostSignificantBits
            && leastSignificantBits == that.leastSignificantBits;
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(mostSignificantBits) + Long.hashCode(leastSignificantBits);
    }
}
