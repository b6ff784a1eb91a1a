package io.fjord.coordinator.group;

import java.util.OptionalLong;

/**
 * One committed offset of a group for one partition, as stored in {@code __consumer_offsets}.
 *
 * @param committedOffset      the next offset the group will consume
 * @param committedLeaderEpoch the leader epoch of the record before it, or -1 when unknown
 * @param metadata             the client's metadata string (never null; "" when none)
 * @param commitTimestampMs    when the coordinator accepted the commit
 * @param expireTimestampMs    explicit expiry from an OffsetCommit v2-4 retention time, if any
 */
public record OffsetAndMetadata(long committedOffset, int committedLeaderEpoch, String metadata, long commitTimestampMs,
                                OptionalLong expireTimestampMs) {

    public static final int NO_LEADER_EPOCH = -1;

    public OffsetAndMetadata {
        if (metadata == null) {
            throw new IllegalArgumentException("metadata must not be null");
        }
    }
}
