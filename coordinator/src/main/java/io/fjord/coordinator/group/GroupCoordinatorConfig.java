package io.fjord.coordinator.group;

/**
 * The group coordinator's settings, mirrored from the broker keys of the same Kafka names
 * ({@code offsets.topic.num.partitions} -> {@link #offsetsTopicNumPartitions}). Immutable; built
 * with {@link #builder()}, whose {@link Builder#build()} validates every value.
 *
 * @param offsetsTopicNumPartitions      partitions of {@code __consumer_offsets}; fixes {@code partitionFor}
 * @param groupMinSessionTimeoutMs       smallest session timeout a member may ask for
 * @param groupMaxSessionTimeoutMs       largest session timeout a member may ask for
 * @param groupInitialRebalanceDelayMs   how long the first rebalance of an empty group waits for more members
 * @param groupMaxSize                   most members one classic group may hold
 * @param offsetMetadataMaxBytes         longest metadata string an offset commit may carry
 * @param offsetsRetentionMs             how long the offsets of an empty group are kept
 * @param offsetsRetentionCheckIntervalMs how often expired offsets are looked for
 * @param newMemberJoinTimeoutMs         how long a new member's parked JoinGroup may wait (Kafka: 5 minutes)
 * @param memberMetadataMaxBytes         largest protocol metadata or assignment stored per member
 * @param consumerGroupHeartbeatIntervalMs  {@code group.consumer.heartbeat.interval.ms}: how often KIP-848 members heartbeat
 * @param consumerGroupSessionTimeoutMs     {@code group.consumer.session.timeout.ms}: a KIP-848 member silent this long is fenced
 */
public record GroupCoordinatorConfig(int offsetsTopicNumPartitions, int groupMinSessionTimeoutMs, int groupMaxSessionTimeoutMs,
                                     int groupInitialRebalanceDelayMs, int groupMaxSize, int offsetMetadataMaxBytes,
                                     long offsetsRetentionMs, long offsetsRetentionCheckIntervalMs, int newMemberJoinTimeoutMs,
                                     int memberMetadataMaxBytes, int consumerGroupHeartbeatIntervalMs, int consumerGroupSessionTimeoutMs) {

    /** Kafka's classic-group new-member join timeout. */
    public static final int DEFAULT_NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;
    /** Fjord's bound on one member's subscription metadata or assignment: opaque bytes, but not unbounded. */
    public static final int DEFAULT_MEMBER_METADATA_MAX_BYTES = 1024 * 1024;

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a config; every field starts at Kafka's default. */
    public static final class Builder {
        private int offsetsTopicNumPartitions = 50;
        private int groupMinSessionTimeoutMs = 6_000;
        private int groupMaxSessionTimeoutMs = 1_800_000;
        private int groupInitialRebalanceDelayMs = 3_000;
        private int groupMaxSize = Integer.MAX_VALUE;
        private int offsetMetadataMaxBytes = 4096;
        private long offsetsRetentionMs = 7L * 24 * 60 * 60 * 1000;
        private long offsetsRetentionCheckIntervalMs = 600_000L;
        private int newMemberJoinTimeoutMs = DEFAULT_NEW_MEMBER_JOIN_TIMEOUT_MS;
        private int memberMetadataMaxBytes = DEFAULT_MEMBER_METADATA_MAX_BYTES;
        private int consumerGroupHeartbeatIntervalMs = 5_000;
        private int consumerGroupSessionTimeoutMs = 45_000;

        private Builder() {
        }

        public Builder offsetsTopicNumPartitions(int value) {
            this.offsetsTopicNumPartitions = value;
            return this;
        }

        public Builder groupMinSessionTimeoutMs(int value) {
            this.groupMinSessionTimeoutMs = value;
            return this;
        }

        public Builder groupMaxSessionTimeoutMs(int value) {
            this.groupMaxSessionTimeoutMs = value;
            return this;
        }

        public Builder groupInitialRebalanceDelayMs(int value) {
            this.groupInitialRebalanceDelayMs = value;
            return this;
        }

        public Builder groupMaxSize(int value) {
            this.groupMaxSize = value;
            return this;
        }

        public Builder offsetMetadataMaxBytes(int value) {
            this.offsetMetadataMaxBytes = value;
            return this;
        }

        public Builder offsetsRetentionMs(long value) {
            this.offsetsRetentionMs = value;
            return this;
        }

        public Builder offsetsRetentionCheckIntervalMs(long value) {
            this.offsetsRetentionCheckIntervalMs = value;
            return this;
        }

        public Builder newMemberJoinTimeoutMs(int value) {
            this.newMemberJoinTimeoutMs = value;
            return this;
        }

        public Builder memberMetadataMaxBytes(int value) {
            this.memberMetadataMaxBytes = value;
            return this;
        }

        public Builder consumerGroupHeartbeatIntervalMs(int value) {
            this.consumerGroupHeartbeatIntervalMs = value;
            return this;
        }

        public Builder consumerGroupSessionTimeoutMs(int value) {
            this.consumerGroupSessionTimeoutMs = value;
            return this;
        }

        /** Validates and builds; an invalid value is an {@link IllegalArgumentException} naming the Kafka key. */
        public GroupCoordinatorConfig build() {
            require(offsetsTopicNumPartitions >= 1, "offsets.topic.num.partitions must be at least 1");
            require(groupMinSessionTimeoutMs >= 0, "group.min.session.timeout.ms must not be negative");
            require(groupMaxSessionTimeoutMs >= groupMinSessionTimeoutMs,
                    "group.max.session.timeout.ms must be at least group.min.session.timeout.ms");
            require(groupInitialRebalanceDelayMs >= 0, "group.initial.rebalance.delay.ms must not be negative");
            require(groupMaxSize >= 1, "group.max.size must be at least 1");
            require(offsetMetadataMaxBytes >= 0, "offset.metadata.max.bytes must not be negative");
            require(offsetsRetentionMs >= 1, "offsets.retention.minutes must be at least 1");
            require(offsetsRetentionCheckIntervalMs >= 1, "offsets.retention.check.interval.ms must be at least 1");
            require(newMemberJoinTimeoutMs >= 1, "the new member join timeout must be at least 1 ms");
            require(memberMetadataMaxBytes >= 1, "the member metadata bound must be at least 1 byte");
            require(consumerGroupHeartbeatIntervalMs >= 1, "group.consumer.heartbeat.interval.ms must be at least 1");
            require(consumerGroupSessionTimeoutMs > consumerGroupHeartbeatIntervalMs,
                    "group.consumer.session.timeout.ms must be greater than group.consumer.heartbeat.interval.ms");
            return new GroupCoordinatorConfig(offsetsTopicNumPartitions, groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs,
                    groupInitialRebalanceDelayMs, groupMaxSize, offsetMetadataMaxBytes, offsetsRetentionMs,
                    offsetsRetentionCheckIntervalMs, newMemberJoinTimeoutMs, memberMetadataMaxBytes,
                    consumerGroupHeartbeatIntervalMs, consumerGroupSessionTimeoutMs);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
