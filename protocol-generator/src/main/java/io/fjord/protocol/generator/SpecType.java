package io.fjord.protocol.generator;

import java.util.Locale;

/** The {@code type} of a spec file. */
public enum SpecType {
    REQUEST,
    RESPONSE,
    HEADER,
    DATA,
    /** KRaft metadata-log records; generated like {@link #DATA}. */
    METADATA,
    /** Group and share coordinator records; generated like {@link #DATA}. */
    COORDINATOR_KEY,
    /** Group and share coordinator records; generated like {@link #DATA}. */
    COORDINATOR_VALUE;

    static SpecType parse(String text) {
        for (SpecType type : values()) {
            if (type.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(text)) {
                return type;
            }
        }
        throw new SpecException("unknown spec type '" + text + "'");
    }

    public boolean isApi() {
        return this == REQUEST || this == RESPONSE;
    }
}
