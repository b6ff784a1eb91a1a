package io.fjord.storage;

import io.fjord.record.TimestampType;
import io.fjord.storage.ConfigDef.AnyValue;
import io.fjord.storage.ConfigDef.Range;
import io.fjord.storage.ConfigDef.RangeOrValue;
import io.fjord.storage.ConfigDef.Type;
import io.fjord.storage.ConfigDef.ValidList;
import io.fjord.storage.ConfigDef.ValidString;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The per-topic log configuration: Kafka 4.1's topic configs with Kafka's names, types, defaults and
 * validators. Immutable and validated; build one with {@link #builder()}, {@link #fromOverrides} or
 * {@link #defaults()}. Configs Fjord does not act on yet (compaction, tiered storage, throttling)
 * are still accepted and described, so DescribeConfigs and AlterConfigs behave like Kafka.
 *
 * <p>{@code internal.segment.bytes} (Kafka's test-only override, not listed in
 * {@link #topicConfigDefs()}) allows segments below Kafka's 1 MiB minimum.
 */
public final class LogConfig {

    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String COMPRESSION_GZIP_LEVEL = "compression.gzip.level";
    public static final String COMPRESSION_LZ4_LEVEL = "compression.lz4.level";
    public static final String COMPRESSION_ZSTD_LEVEL = "compression.zstd.level";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String FOLLOWER_REPLICATION_THROTTLED_REPLICAS = "follower.replication.throttled.replicas";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String LEADER_REPLICATION_THROTTLED_REPLICAS = "leader.replication.throttled.replicas";
    public static final String LOCAL_RETENTION_BYTES = "local.retention.bytes";
    public static final String LOCAL_RETENTION_MS = "local.retention.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String PREALLOCATE = "preallocate";
    public static final String REMOTE_LOG_COPY_DISABLE = "remote.log.copy.disable";
    public static final String REMOTE_LOG_DELETE_ON_DISABLE = "remote.log.delete.on.disable";
    public static final String REMOTE_STORAGE_ENABLE = "remote.storage.enable";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String SEGMENT_JITTER_MS = "segment.jitter.ms";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    /** Kafka's internal, test-only segment size that bypasses the 1 MiB minimum. */
    public static final String INTERNAL_SEGMENT_BYTES = "internal.segment.bytes";

    private static final List<ConfigDef> DEFS = List.of(
        def(CLEANUP_POLICY, Type.LIST, "delete", new ValidList(ordered("compact", "delete")),
            "The retention policy on old log segments: \"delete\" discards them by time or size, \"compact\" keeps the latest value per key."),
        def(COMPRESSION_TYPE, Type.STRING, "producer", new ValidString(ordered("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer")),
            "The final compression type for the topic; \"producer\" keeps the codec the producer chose."),
        def(COMPRESSION_GZIP_LEVEL, Type.INT, "-1", new RangeOrValue(Range.between(1, 9), -1), "The compression level when compression.type is gzip."),
        def(COMPRESSION_LZ4_LEVEL, Type.INT, "9", Range.between(1, 17), "The compression level when compression.type is lz4."),
        def(COMPRESSION_ZSTD_LEVEL, Type.INT, "3", Range.between(-131072, 22), "The compression level when compression.type is zstd."),
        def(DELETE_RETENTION_MS, Type.LONG, "86400000", Range.atLeast(0), "How long delete tombstones are retained on compacted topics."),
        def(FILE_DELETE_DELAY_MS, Type.LONG, "60000", Range.atLeast(0), "How long to wait before deleting a file from the filesystem."),
        def(FLUSH_MESSAGES, Type.LONG, String.valueOf(Long.MAX_VALUE), Range.atLeast(1), "Force an fsync after this many messages."),
        def(FLUSH_MS, Type.LONG, String.valueOf(Long.MAX_VALUE), Range.atLeast(0), "Force an fsync after this much time."),
        def(FOLLOWER_REPLICATION_THROTTLED_REPLICAS, Type.LIST, "", new AnyValue(), "Replicas whose log replication is throttled on the follower side."),
        def(INDEX_INTERVAL_BYTES, Type.INT, "4096", Range.atLeast(0), "How often (in bytes) an entry is added to the offset index."),
        def(LEADER_REPLICATION_THROTTLED_REPLICAS, Type.LIST, "", new AnyValue(), "Replicas whose log replication is throttled on the leader side."),
        def(LOCAL_RETENTION_BYTES, Type.LONG, "-2", Range.atLeast(-2), "Local retention size with tiered storage (-2: retention.bytes)."),
        def(LOCAL_RETENTION_MS, Type.LONG, "-2", Range.atLeast(-2), "Local retention time with tiered storage (-2: retention.ms)."),
        def(MAX_COMPACTION_LAG_MS, Type.LONG, String.valueOf(Long.MAX_VALUE), Range.atLeast(1), "The longest time a message remains ineligible for compaction."),
        def(MAX_MESSAGE_BYTES, Type.INT, "1048588", Range.atLeast(0), "The largest record batch size allowed."),
        def(MESSAGE_TIMESTAMP_AFTER_MAX_MS, Type.LONG, "3600000", Range.atLeast(0), "How far a CreateTime timestamp may be ahead of the broker's clock."),
        def(MESSAGE_TIMESTAMP_BEFORE_MAX_MS, Type.LONG, String.valueOf(Long.MAX_VALUE), Range.atLeast(0), "How far a CreateTime timestamp may be behind the broker's clock."),
        def(MESSAGE_TIMESTAMP_TYPE, Type.STRING, "CreateTime", new ValidString(ordered("CreateTime", "LogAppendTime")), "Whether record timestamps are the producer's or the broker's."),
        def(MIN_CLEANABLE_DIRTY_RATIO, Type.DOUBLE, "0.5", Range.between(0, 1), "The dirty ratio above which the log is compacted."),
        def(MIN_COMPACTION_LAG_MS, Type.LONG, "0", Range.atLeast(0), "The minimum time a message remains uncompacted."),
        def(MIN_INSYNC_REPLICAS, Type.INT, "1", Range.atLeast(1), "The minimum number of in-sync replicas for acks=all."),
        def(PREALLOCATE, Type.BOOLEAN, "false", new AnyValue(), "Preallocate the file on disk when creating a new log segment."),
        def(REMOTE_LOG_COPY_DISABLE, Type.BOOLEAN, "false", new AnyValue(), "Stop copying segments to tiered storage."),
        def(REMOTE_LOG_DELETE_ON_DISABLE, Type.BOOLEAN, "false", new AnyValue(), "Delete tiered data when tiered storage is disabled."),
        def(REMOTE_STORAGE_ENABLE, Type.BOOLEAN, "false", new AnyValue(), "Enable tiered storage for the topic."),
        def(RETENTION_BYTES, Type.LONG, "-1", new AnyValue(), "The maximum size a partition can grow to before old segments are deleted (-1: unlimited)."),
        def(RETENTION_MS, Type.LONG, "604800000", Range.atLeast(-1), "The maximum time a segment is retained before it is deleted (-1: unlimited)."),
        def(SEGMENT_BYTES, Type.INT, "1073741824", Range.atLeast(1024 * 1024), "The segment file size for the log."),
        def(SEGMENT_INDEX_BYTES, Type.INT, "10485760", Range.atLeast(4), "The size of the index that maps offsets to file positions."),
        def(SEGMENT_JITTER_MS, Type.LONG, "0", Range.atLeast(0), "The maximum random jitter subtracted from segment.ms."),
        def(SEGMENT_MS, Type.LONG, "604800000", Range.atLeast(1), "The period after which a segment is rolled even if not full."),
        def(UNCLEAN_LEADER_ELECTION_ENABLE, Type.BOOLEAN, "false", new AnyValue(), "Whether replicas outside the ISR may be elected leader."));

    private static final Map<String, ConfigDef> DEFS_BY_NAME = indexByName();
    private static final ConfigDef INTERNAL_SEGMENT_BYTES_DEF =
        def(INTERNAL_SEGMENT_BYTES, Type.INT, null, Range.atLeast(io.fjord.record.RecordBatchView.RECORD_BATCH_OVERHEAD), "Test-only segment size.");
    private static final LogConfig DEFAULTS = builder().build();

    private final Map<String, String> strings;
    private final List<String> cleanupPolicy;
    private final String compressionType;
    private final long fileDeleteDelayMs;
    private final long flushMessages;
    private final long flushMs;
    private final int indexIntervalBytes;
    private final int maxMessageBytes;
    private final long messageTimestampAfterMaxMs;
    private final long messageTimestampBeforeMaxMs;
    private final TimestampType messageTimestampType;
    private final int minInsyncReplicas;
    private final long retentionBytes;
    private final long retentionMs;
    private final int segmentBytes;
    private final int segmentIndexBytes;
    private final long segmentJitterMs;
    private final long segmentMs;
    private final boolean uncleanLeaderElectionEnable;

    @SuppressWarnings("unchecked")
    private LogConfig(Map<String, String> strings) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigDef def : DEFS) {
            values.put(def.name(), def.parseAndValidate(strings.get(def.name())));
        }
        String internalSegmentBytes = strings.get(INTERNAL_SEGMENT_BYTES);
        this.strings = Collections.unmodifiableMap(new LinkedHashMap<>(strings));
        this.cleanupPolicy = (List<String>) values.get(CLEANUP_POLICY);
        this.compressionType = (String) values.get(COMPRESSION_TYPE);
        this.fileDeleteDelayMs = (Long) values.get(FILE_DELETE_DELAY_MS);
        this.flushMessages = (Long) values.get(FLUSH_MESSAGES);
        this.flushMs = (Long) values.get(FLUSH_MS);
        this.indexIntervalBytes = (Integer) values.get(INDEX_INTERVAL_BYTES);
        this.maxMessageBytes = (Integer) values.get(MAX_MESSAGE_BYTES);
        this.messageTimestampAfterMaxMs = (Long) values.get(MESSAGE_TIMESTAMP_AFTER_MAX_MS);
        this.messageTimestampBeforeMaxMs = (Long) values.get(MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
        this.messageTimestampType = TimestampType.forConfigName((String) values.get(MESSAGE_TIMESTAMP_TYPE));
        this.minInsyncReplicas = (Integer) values.get(MIN_INSYNC_REPLICAS);
        this.retentionBytes = (Long) values.get(RETENTION_BYTES);
        this.retentionMs = (Long) values.get(RETENTION_MS);
        this.segmentBytes = internalSegmentBytes != null
            ? (Integer) INTERNAL_SEGMENT_BYTES_DEF.parseAndValidate(internalSegmentBytes)
            : (Integer) values.get(SEGMENT_BYTES);
        this.segmentIndexBytes = (Integer) values.get(SEGMENT_INDEX_BYTES);
        this.segmentJitterMs = (Long) values.get(SEGMENT_JITTER_MS);
        this.segmentMs = (Long) values.get(SEGMENT_MS);
        this.uncleanLeaderElectionEnable = (Boolean) values.get(UNCLEAN_LEADER_ELECTION_ENABLE);
    }

    public static LogConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder(DEFAULTS == null ? defaultStrings() : DEFAULTS.strings);
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        return new Builder(strings);
    }

    /**
     * {@code base} with {@code overrides} applied (AlterConfigs / CreateTopics configs). Unknown keys
     * and invalid values throw {@link ConfigException} naming the key.
     */
    public static LogConfig fromOverrides(Map<String, String> overrides, LogConfig base) {
        Builder builder = base.toBuilder();
        overrides.forEach(builder::set);
        return builder.build();
    }

    /** Every topic config Kafka 4.1 lists, in name order. */
    public static List<ConfigDef> topicConfigDefs() {
        return DEFS;
    }

    public static boolean isTopicConfig(String name) {
        return DEFS_BY_NAME.containsKey(name);
    }

    /** Every config as its string form (defaults included), in name order. */
    public Map<String, String> asStrings() {
        return strings;
    }

    public List<String> cleanupPolicy() {
        return cleanupPolicy;
    }

    public boolean compact() {
        return cleanupPolicy.contains("compact");
    }

    /** Whether time and size retention apply ("delete" is in the cleanup policy). */
    public boolean delete() {
        return cleanupPolicy.contains("delete");
    }

    public String compressionType() {
        return compressionType;
    }

    public long fileDeleteDelayMs() {
        return fileDeleteDelayMs;
    }

    public long flushMessages() {
        return flushMessages;
    }

    public long flushMs() {
        return flushMs;
    }

    public int indexIntervalBytes() {
        return indexIntervalBytes;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public long messageTimestampAfterMaxMs() {
        return messageTimestampAfterMaxMs;
    }

    public long messageTimestampBeforeMaxMs() {
        return messageTimestampBeforeMaxMs;
    }

    public TimestampType messageTimestampType() {
        return messageTimestampType;
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    public long retentionBytes() {
        return retentionBytes;
    }

    public long retentionMs() {
        return retentionMs;
    }

    /** The segment size in force: {@code internal.segment.bytes} when set, else {@code segment.bytes}. */
    public int segmentBytes() {
        return segmentBytes;
    }

    public int segmentIndexBytes() {
        return segmentIndexBytes;
    }

    public long segmentJitterMs() {
        return segmentJitterMs;
    }

    public long segmentMs() {
        return segmentMs;
    }

    public boolean uncleanLeaderElectionEnable() {
        return uncleanLeaderElectionEnable;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogConfig other && strings.equals(other.strings);
    }

    @Override
    public int hashCode() {
        return strings.hashCode();
    }

    @Override
    public String toString() {
        return "LogConfig" + strings;
    }

    /** Collects string values; {@link #build()} parses and validates them all. */
    public static final class Builder {
        private final Map<String, String> values;

        private Builder(Map<String, String> start) {
            this.values = new LinkedHashMap<>(start);
        }

        /** Sets any topic config by its Kafka name; unknown names throw {@link ConfigException}. */
        public Builder set(String key, String value) {
            Objects.requireNonNull(key, "key");
            if (!DEFS_BY_NAME.containsKey(key) && !INTERNAL_SEGMENT_BYTES.equals(key)) {
                throw new ConfigException(key, value, "unknown topic config");
            }
            if (value == null) {
                throw new ConfigException(key, null, "a value is required");
            }
            values.put(key, value);
            return this;
        }

        public Builder segmentBytes(int bytes) {
            return set(SEGMENT_BYTES, String.valueOf(bytes));
        }

        /** Test-only: a segment size below Kafka's 1 MiB minimum. */
        public Builder internalSegmentBytes(int bytes) {
            return set(INTERNAL_SEGMENT_BYTES, String.valueOf(bytes));
        }

        public Builder segmentMs(long ms) {
            return set(SEGMENT_MS, String.valueOf(ms));
        }

        public Builder segmentJitterMs(long ms) {
            return set(SEGMENT_JITTER_MS, String.valueOf(ms));
        }

        public Builder segmentIndexBytes(int bytes) {
            return set(SEGMENT_INDEX_BYTES, String.valueOf(bytes));
        }

        public Builder indexIntervalBytes(int bytes) {
            return set(INDEX_INTERVAL_BYTES, String.valueOf(bytes));
        }

        public Builder retentionMs(long ms) {
            return set(RETENTION_MS, String.valueOf(ms));
        }

        public Builder retentionBytes(long bytes) {
            return set(RETENTION_BYTES, String.valueOf(bytes));
        }

        public Builder maxMessageBytes(int bytes) {
            return set(MAX_MESSAGE_BYTES, String.valueOf(bytes));
        }

        public Builder flushMessages(long messages) {
            return set(FLUSH_MESSAGES, String.valueOf(messages));
        }

        public Builder flushMs(long ms) {
            return set(FLUSH_MS, String.valueOf(ms));
        }

        public Builder messageTimestampType(TimestampType type) {
            return set(MESSAGE_TIMESTAMP_TYPE, type.configName());
        }

        public Builder messageTimestampBeforeMaxMs(long ms) {
            return set(MESSAGE_TIMESTAMP_BEFORE_MAX_MS, String.valueOf(ms));
        }

        public Builder messageTimestampAfterMaxMs(long ms) {
            return set(MESSAGE_TIMESTAMP_AFTER_MAX_MS, String.valueOf(ms));
        }

        public Builder cleanupPolicy(String policy) {
            return set(CLEANUP_POLICY, policy);
        }

        public Builder fileDeleteDelayMs(long ms) {
            return set(FILE_DELETE_DELAY_MS, String.valueOf(ms));
        }

        public Builder minInsyncReplicas(int replicas) {
            return set(MIN_INSYNC_REPLICAS, String.valueOf(replicas));
        }

        public Builder compressionType(String type) {
            return set(COMPRESSION_TYPE, type);
        }

        public LogConfig build() {
            return new LogConfig(values);
        }
    }

    private static Map<String, String> defaultStrings() {
        Map<String, String> strings = new LinkedHashMap<>();
        for (ConfigDef def : DEFS) {
            strings.put(def.name(), def.defaultValue());
        }
        return strings;
    }

    private static Map<String, ConfigDef> indexByName() {
        Map<String, ConfigDef> byName = new LinkedHashMap<>();
        for (ConfigDef def : DEFS) {
            byName.put(def.name(), def);
        }
        return Collections.unmodifiableMap(byName);
    }

    private static ConfigDef def(String name, Type type, String defaultValue, ConfigDef.Validator validator, String doc) {
        return new ConfigDef(name, type, defaultValue, doc, validator);
    }

    private static LinkedHashSet<String> ordered(String... values) {
        return new LinkedHashSet<>(List.of(values));
    }
}
