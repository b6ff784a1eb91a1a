package io.fjord.record;

import java.nio.ByteBuffer;
import java.util.Objects;

/** A record header: a UTF-8 key that is never null and a value that may be null. */
public record Header(String key, ByteBuffer value) {

    public Header {
        Objects.requireNonNull(key, "key");
    }
}
