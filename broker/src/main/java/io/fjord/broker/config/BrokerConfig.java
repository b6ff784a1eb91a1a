package io.fjord.broker.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.fjord.broker.config.ConfigKey.atLeast;

/**
 * The broker's configuration: Kafka's property names and defaults ({@code config/server.properties}),
 * parsed and validated once at start-up. An invalid value stops start-up with a message naming the
 * key; an unknown key is warned about (Kafka does the same). Immutable.
 *
 * <p>Topic-level defaults ({@code log.segment.bytes} and friends) are exposed as
 * {@link #topicConfigDefaults()} with the topic-level names, for the storage layer's LogConfig.
 */
public final class BrokerConfig {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConfig.class);

    static final Map<String, ConfigKey<?>> KEYS = new LinkedHashMap<>();

    public static final ConfigKey<Integer> NODE_ID = define("node.id", ConfigKey::parseInt, "1", atLeast(0), "[int] The node id of this server.");
    public static final ConfigKey<String> PROCESS_ROLES = define("process.roles", s -> s, "broker,controller", null, "[list] Roles of this process; a single Fjord node is always broker and controller.");
    public static final ConfigKey<String> LISTENERS = define("listeners", s -> s, "PLAINTEXT://127.0.0.1:9092", null, "[list] Listener URIs to bind.");
    public static final ConfigKey<String> ADVERTISED_LISTENERS = define("advertised.listeners", s -> s, "", null, "[list] Listener URIs given to clients; defaults to listeners.");
    public static final ConfigKey<String> LOG_DIRS = define("log.dirs", s -> s, "", null, "[list] Directories holding the log data; overrides log.dir.");
    public static final ConfigKey<String> LOG_DIR = define("log.dir", s -> s, "./data", null, "[string] The directory holding the log data when log.dirs is not set.");
    public static final ConfigKey<Integer> NUM_PARTITIONS = define("num.partitions", ConfigKey::parseInt, "1", atLeast(1), "[int] Default partitions per auto-created topic.");
    public static final ConfigKey<Integer> DEFAULT_REPLICATION_FACTOR = define("default.replication.factor", ConfigKey::parseInt, "1", atLeast(1), "[int] Default replication factor.");
    public static final ConfigKey<Boolean> AUTO_CREATE_TOPICS_ENABLE = define("auto.create.topics.enable", ConfigKey::parseBoolean, "true", null, "[boolean] Create unknown topics on Metadata requests that allow it.");
    public static final ConfigKey<Boolean> DELETE_TOPIC_ENABLE = define("delete.topic.enable", ConfigKey::parseBoolean, "true", null, "[boolean] Allow DeleteTopics.");
    public static final ConfigKey<Integer> MESSAGE_MAX_BYTES = define("message.max.bytes", ConfigKey::parseInt, "1048588", atLeast(0), "[int] Largest record batch size allowed (topic: max.message.bytes).");
    public static final ConfigKey<Integer> SOCKET_REQUEST_MAX_BYTES = define("socket.request.max.bytes", ConfigKey::parseInt, "104857600", atLeast(1), "[int] Largest request frame accepted.");
    public static final ConfigKey<Integer> FETCH_MAX_BYTES = define("fetch.max.bytes", ConfigKey::parseInt, "57671680", atLeast(1024), "[int] Most record bytes one fetch response carries, whatever the request asks for (the first batch is always returned).");
    public static final ConfigKey<Integer> MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS = define("max.incremental.fetch.session.cache.slots", ConfigKey::parseInt, "1000", atLeast(0), "[int] Most incremental fetch sessions (KIP-227) kept at once; 0 makes every fetch a full one.");
    public static final ConfigKey<Integer> SOCKET_SEND_BUFFER_BYTES = define("socket.send.buffer.bytes", ConfigKey::parseInt, "262144", atLeast(-1), "[int] SO_SNDBUF; -1 keeps the kernel's send-buffer autotuning. Fjord's default 262144 (Kafka's is 102400): big enough that a 1 MB partition fetch goes out in a few sendfile calls, small enough that the broker's thread, not the consumer's ACKs, paces the transmit (docs/benchmarks.md).");
    public static final ConfigKey<Integer> SOCKET_RECEIVE_BUFFER_BYTES = define("socket.receive.buffer.bytes", ConfigKey::parseInt, "102400", atLeast(-1), "[int] SO_RCVBUF; -1 for the OS default.");
    public static final ConfigKey<String> SOCKET_TCP_CONGESTION_CONTROL = define("socket.tcp.congestion.control", String::trim, "",
            v -> v.isEmpty() || v.matches("[a-z0-9_]{1,15}") ? null : "must be a TCP congestion control name such as cubic or bbr (a-z, 0-9, _; at most 15 characters), or empty for the machine's default",
            "[string] Fjord only: the TCP congestion control (Linux TCP_CONGESTION) of the connections the broker accepts, which governs how fast it sends fetch responses; empty keeps the machine's net.ipv4.tcp_congestion_control. Setting one outside net.ipv4.tcp_allowed_congestion_control needs CAP_NET_ADMIN. With BBR and no fq qdisc every response is paced by a kernel timer and a connection's speed depends on its bandwidth estimate; on this project's benchmark machines cubic read 1,000 partitions 13 % faster and 6 partitions 11 % slower (docs/benchmarks.md).");
    public static final ConfigKey<Long> CONNECTIONS_MAX_IDLE_MS = define("connections.max.idle.ms", ConfigKey::parseLong, "600000", atLeast(-1), "[long] Idle connections are closed after this many ms; -1 never.");
    public static final ConfigKey<Integer> NUM_NETWORK_THREADS = define("num.network.threads", ConfigKey::parseInt, "3", atLeast(1), "[int] Netty event loop threads.");
    public static final ConfigKey<Integer> NUM_IO_THREADS = define("num.io.threads", ConfigKey::parseInt, "8", atLeast(1), "[int] Accepted for compatibility; Fjord serves requests on the network threads.");
    public static final ConfigKey<Long> LOG_SEGMENT_BYTES = define("log.segment.bytes", ConfigKey::parseLong, "1073741824", atLeast(14), "[long] Segment size.");
    public static final ConfigKey<Long> LOG_ROLL_MS = define("log.roll.ms", ConfigKey::parseLong, "", atLeast(1), "[long] Roll a segment after this many ms.");
    public static final ConfigKey<Long> LOG_ROLL_HOURS = define("log.roll.hours", ConfigKey::parseLong, "168", atLeast(1), "[long] Roll a segment after this many hours.");
    public static final ConfigKey<Long> LOG_RETENTION_MS = define("log.retention.ms", ConfigKey::parseLong, "", atLeast(-1), "[long] Retention time; -1 unlimited.");
    public static final ConfigKey<Long> LOG_RETENTION_MINUTES = define("log.retention.minutes", ConfigKey::parseLong, "", atLeast(-1), "[long] Retention time in minutes.");
    public static final ConfigKey<Long> LOG_RETENTION_HOURS = define("log.retention.hours", ConfigKey::parseLong, "168", atLeast(-1), "[long] Retention time in hours.");
    public static final ConfigKey<Long> LOG_RETENTION_BYTES = define("log.retention.bytes", ConfigKey::parseLong, "-1", atLeast(-1), "[long] Retention size per partition; -1 unlimited.");
    public static final ConfigKey<Long> LOG_RETENTION_CHECK_INTERVAL_MS = define("log.retention.check.interval.ms", ConfigKey::parseLong, "300000", atLeast(1), "[long] How often retention runs.");
    public static final ConfigKey<Long> LOG_FLUSH_INTERVAL_MESSAGES = define("log.flush.interval.messages", ConfigKey::parseLong, String.valueOf(Long.MAX_VALUE), atLeast(1), "[long] fsync after this many messages.");
    public static final ConfigKey<Long> LOG_FLUSH_INTERVAL_MS = define("log.flush.interval.ms", ConfigKey::parseLong, "", atLeast(0), "[long] fsync after this many ms.");
    public static final ConfigKey<Long> LOG_FLUSH_SCHEDULER_INTERVAL_MS = define("log.flush.scheduler.interval.ms", ConfigKey::parseLong, String.valueOf(Long.MAX_VALUE), atLeast(1), "[long] How often the flusher checks.");
    public static final ConfigKey<Long> LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = define("log.flush.offset.checkpoint.interval.ms", ConfigKey::parseLong, "60000", atLeast(1), "[long] How often the recovery points (and log start offsets) are checkpointed.");
    public static final ConfigKey<Integer> LOG_INDEX_INTERVAL_BYTES = define("log.index.interval.bytes", ConfigKey::parseInt, "4096", atLeast(0), "[int] Bytes between offset index entries.");
    public static final ConfigKey<Integer> LOG_INDEX_SIZE_MAX_BYTES = define("log.index.size.max.bytes", ConfigKey::parseInt, "10485760", atLeast(4), "[int] Maximum index file size.");
    public static final ConfigKey<String> LOG_MESSAGE_TIMESTAMP_TYPE = define("log.message.timestamp.type", s -> s, "CreateTime",
            v -> Set.of("CreateTime", "LogAppendTime").contains(v) ? null : "must be CreateTime or LogAppendTime", "[string] Timestamp type.");
    public static final ConfigKey<Long> LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS = define("log.message.timestamp.before.max.ms", ConfigKey::parseLong, String.valueOf(Long.MAX_VALUE), atLeast(0), "[long] How far in the past a record timestamp may be.");
    public static final ConfigKey<Long> LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS = define("log.message.timestamp.after.max.ms", ConfigKey::parseLong, "3600000", atLeast(0), "[long] How far in the future a record timestamp may be.");
    public static final ConfigKey<String> LOG_CLEANUP_POLICY = define("log.cleanup.policy", s -> s, "delete",
            v -> Set.of("delete", "compact", "compact,delete", "delete,compact").contains(v.replace(" ", "")) ? null : "must be delete, compact or both", "[list] Cleanup policy.");
    public static final ConfigKey<Long> LOG_SEGMENT_DELETE_DELAY_MS = define("log.segment.delete.delay.ms", ConfigKey::parseLong, "60000", atLeast(0), "[long] Delay before a deleted segment's files are removed.");
    public static final ConfigKey<Integer> MIN_INSYNC_REPLICAS = define("min.insync.replicas", ConfigKey::parseInt, "1", atLeast(1), "[int] Minimum ISR size for acks=all.");
    public static final ConfigKey<String> COMPRESSION_TYPE = define("compression.type", s -> s, "producer",
            v -> Set.of("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd").contains(v) ? null : "must be one of producer, uncompressed, gzip, snappy, lz4, zstd", "[string] Compression of stored batches.");
    public static final ConfigKey<Integer> OFFSETS_TOPIC_NUM_PARTITIONS = define("offsets.topic.num.partitions", ConfigKey::parseInt, "50", atLeast(1), "[int] Partitions of __consumer_offsets; fixed once the topic exists.");
    public static final ConfigKey<Integer> OFFSETS_TOPIC_REPLICATION_FACTOR = define("offsets.topic.replication.factor", ConfigKey::parseInt, "3", atLeast(1), "[short] Replication factor of __consumer_offsets; capped at the number of brokers.");
    public static final ConfigKey<Integer> OFFSETS_TOPIC_SEGMENT_BYTES = define("offsets.topic.segment.bytes", ConfigKey::parseInt, "104857600", atLeast(1), "[int] Segment size of __consumer_offsets.");
    public static final ConfigKey<Integer> OFFSETS_RETENTION_MINUTES = define("offsets.retention.minutes", ConfigKey::parseInt, "10080", atLeast(1), "[int] How long the offsets of an empty group are kept.");
    public static final ConfigKey<Long> OFFSETS_RETENTION_CHECK_INTERVAL_MS = define("offsets.retention.check.interval.ms", ConfigKey::parseLong, "600000", atLeast(1), "[long] How often expired offsets are removed.");
    public static final ConfigKey<Integer> OFFSET_METADATA_MAX_BYTES = define("offset.metadata.max.bytes", ConfigKey::parseInt, "4096", atLeast(0), "[int] Longest metadata string an offset commit may carry.");
    public static final ConfigKey<Integer> GROUP_INITIAL_REBALANCE_DELAY_MS = define("group.initial.rebalance.delay.ms", ConfigKey::parseInt, "3000", atLeast(0), "[int] How long the first rebalance of an empty group waits for more members.");
    public static final ConfigKey<Integer> GROUP_MIN_SESSION_TIMEOUT_MS = define("group.min.session.timeout.ms", ConfigKey::parseInt, "6000", atLeast(0), "[int] Smallest session timeout a group member may ask for.");
    public static final ConfigKey<Integer> GROUP_MAX_SESSION_TIMEOUT_MS = define("group.max.session.timeout.ms", ConfigKey::parseInt, "1800000", atLeast(0), "[int] Largest session timeout a group member may ask for.");
    public static final ConfigKey<Integer> GROUP_MAX_SIZE = define("group.max.size", ConfigKey::parseInt, String.valueOf(Integer.MAX_VALUE), atLeast(1), "[int] Most members one classic group may hold.");
    public static final ConfigKey<Integer> GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = define("group.consumer.heartbeat.interval.ms", ConfigKey::parseInt, "5000", atLeast(1), "[int] How often members of a consumer (KIP-848) group heartbeat.");
    public static final ConfigKey<Integer> GROUP_CONSUMER_SESSION_TIMEOUT_MS = define("group.consumer.session.timeout.ms", ConfigKey::parseInt, "45000", atLeast(1), "[int] A consumer (KIP-848) group member that does not heartbeat for this long is fenced.");
    public static final ConfigKey<Integer> TRANSACTION_STATE_LOG_NUM_PARTITIONS = define("transaction.state.log.num.partitions", ConfigKey::parseInt, "50", atLeast(1), "[int] Partitions of __transaction_state; fixed once the topic exists.");
    public static final ConfigKey<Integer> TRANSACTION_STATE_LOG_REPLICATION_FACTOR = define("transaction.state.log.replication.factor", ConfigKey::parseInt, "3", atLeast(1), "[short] Replication factor of __transaction_state; capped at the number of brokers.");
    public static final ConfigKey<Integer> TRANSACTION_STATE_LOG_SEGMENT_BYTES = define("transaction.state.log.segment.bytes", ConfigKey::parseInt, "104857600", atLeast(1), "[int] Segment size of __transaction_state.");
    public static final ConfigKey<Integer> TRANSACTION_MAX_TIMEOUT_MS = define("transaction.max.timeout.ms", ConfigKey::parseInt, "900000", atLeast(1), "[int] Largest transaction.timeout.ms a producer may ask for.");
    public static final ConfigKey<Long> TRANSACTIONAL_ID_EXPIRATION_MS = define("transactional.id.expiration.ms", ConfigKey::parseLong, "604800000", atLeast(1), "[long] How long an idle transactional id is kept.");
    public static final ConfigKey<Long> TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS = define("transaction.abort.timed.out.transaction.cleanup.interval.ms", ConfigKey::parseLong, "10000", atLeast(1), "[long] How often transactions past their timeout are looked for and aborted.");
    public static final ConfigKey<Long> TRANSACTION_REMOVE_EXPIRED_TRANSACTION_CLEANUP_INTERVAL_MS = define("transaction.remove.expired.transaction.cleanup.interval.ms", ConfigKey::parseLong, "3600000", atLeast(1), "[long] How often expired transactional ids are removed.");
    public static final ConfigKey<String> CLUSTER_ID = define("cluster.id", s -> s, "", null, "[string] Cluster id; generated and kept in meta.properties when empty.");

    /** Keys Kafka users set that Fjord accepts without acting on them yet; no warning for these. */
    private static final Set<String> ACCEPTED = Set.of(
            "controller.listener.names", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "inter.broker.listener.name", "listener.security.protocol.map", "num.recovery.threads.per.data.dir",
            "transaction.state.log.min.isr",
            "share.coordinator.state.topic.replication.factor",
            "share.coordinator.state.topic.min.isr", "num.replica.fetchers", "unclean.leader.election.enable",
            "broker.id");

    private final Map<String, Object> values;
    private final Map<String, String> originals;

    private BrokerConfig(Map<String, Object> values, Map<String, String> originals) {
        this.values = values;
        this.originals = originals;
    }

    private static <T> ConfigKey<T> define(String name, java.util.function.Function<String, T> parser, String defaultValue,
                                           ConfigKey.Check<T> check, String doc) {
        ConfigKey<T> key = new ConfigKey<>(name, parser, defaultValue, check, doc);
        KEYS.put(name, key);
        return key;
    }

    /** Parses and validates; throws {@link BrokerConfigException} naming the first bad key. */
    public static BrokerConfig parse(Map<String, String> properties) {
        Map<String, Object> values = new HashMap<>();
        for (Map.Entry<String, String> entry : properties.entrySet()) {
            ConfigKey<?> key = KEYS.get(entry.getKey());
            if (key == null) {
                if (!ACCEPTED.contains(entry.getKey())) {
                    LOG.warn("Unknown configuration '{}' was supplied; it is ignored.", entry.getKey());
                }
                continue;
            }
            if (!entry.getValue().isBlank() || key.defaultValue().isEmpty()) {
                values.put(key.name(), entry.getValue().isBlank() ? null : key.parse(entry.getValue()));
            }
        }
        for (ConfigKey<?> key : KEYS.values()) {
            if (!values.containsKey(key.name()) && !key.defaultValue().isEmpty()) {
                values.put(key.name(), key.parse(key.defaultValue()));
            }
        }
        BrokerConfig config = new BrokerConfig(values, Map.copyOf(properties));
        config.listeners();
        config.advertisedListeners();
        return config;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        T value = (T) values.get(key.name());
        if (value == null) {
            throw new IllegalStateException("config " + key.name() + " has no value");
        }
        return value;
    }

    /** The value of a key without a default, when set. */
    public <T> java.util.Optional<T> find(ConfigKey<T> key) {
        return java.util.Optional.ofNullable(getOrNull(key));
    }

    @SuppressWarnings("unchecked")
    private <T> T getOrNull(ConfigKey<T> key) {
        return (T) values.get(key.name());
    }

    public int nodeId() {
        return get(NODE_ID);
    }

    public List<Endpoint> listeners() {
        return Endpoint.parseList(LISTENERS.name(), get(LISTENERS));
    }

    /** Defaults to the listeners; a listener bound to 0.0.0.0 is advertised as the machine's host name. */
    public List<Endpoint> advertisedListeners() {
        String advertised = getOrNull(ADVERTISED_LISTENERS);
        if (advertised == null || advertised.isBlank()) {
            return listeners().stream().map(Endpoint::advertisable).toList();
        }
        return Endpoint.parseList(ADVERTISED_LISTENERS.name(), advertised);
    }

    public List<Path> logDirs() {
        String dirs = getOrNull(LOG_DIRS);
        String chosen = dirs == null || dirs.isBlank() ? get(LOG_DIR) : dirs;
        List<Path> paths = new ArrayList<>();
        for (String dir : chosen.split(",")) {
            if (!dir.isBlank()) {
                paths.add(Path.of(dir.trim()).toAbsolutePath().normalize());
            }
        }
        if (paths.isEmpty()) {
            throw new BrokerConfigException(LOG_DIRS.name(), chosen, "names no directory");
        }
        return paths;
    }

    public long retentionMs() {
        Long ms = getOrNull(LOG_RETENTION_MS);
        if (ms != null) {
            return ms;
        }
        Long minutes = getOrNull(LOG_RETENTION_MINUTES);
        if (minutes != null) {
            return minutes < 0 ? -1 : minutes * 60_000L;
        }
        long hours = get(LOG_RETENTION_HOURS);
        return hours < 0 ? -1 : hours * 3_600_000L;
    }

    public long rollMs() {
        Long ms = getOrNull(LOG_ROLL_MS);
        return ms != null ? ms : get(LOG_ROLL_HOURS) * 3_600_000L;
    }

    public long flushIntervalMs() {
        Long ms = getOrNull(LOG_FLUSH_INTERVAL_MS);
        return ms != null ? ms : get(LOG_FLUSH_SCHEDULER_INTERVAL_MS);
    }

    /** The topic-level defaults implied by the broker's log.* keys, under the topic-level names. */
    public Map<String, String> topicConfigDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("segment.bytes", String.valueOf(get(LOG_SEGMENT_BYTES)));
        defaults.put("segment.ms", String.valueOf(rollMs()));
        defaults.put("retention.ms", String.valueOf(retentionMs()));
        defaults.put("retention.bytes", String.valueOf(get(LOG_RETENTION_BYTES)));
        defaults.put("max.message.bytes", String.valueOf(get(MESSAGE_MAX_BYTES)));
        defaults.put("index.interval.bytes", String.valueOf(get(LOG_INDEX_INTERVAL_BYTES)));
        defaults.put("segment.index.bytes", String.valueOf(get(LOG_INDEX_SIZE_MAX_BYTES)));
        defaults.put("flush.messages", String.valueOf(get(LOG_FLUSH_INTERVAL_MESSAGES)));
        defaults.put("flush.ms", String.valueOf(flushIntervalMs()));
        defaults.put("message.timestamp.type", get(LOG_MESSAGE_TIMESTAMP_TYPE));
        defaults.put("message.timestamp.before.max.ms", String.valueOf(get(LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS)));
        defaults.put("message.timestamp.after.max.ms", String.valueOf(get(LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS)));
        defaults.put("cleanup.policy", get(LOG_CLEANUP_POLICY).replace(" ", ""));
        defaults.put("file.delete.delay.ms", String.valueOf(get(LOG_SEGMENT_DELETE_DELAY_MS)));
        defaults.put("min.insync.replicas", String.valueOf(get(MIN_INSYNC_REPLICAS)));
        defaults.put("compression.type", get(COMPRESSION_TYPE));
        return defaults;
    }

    /** Every known broker key with its effective value as text (DescribeConfigs on the broker). */
    public Map<String, String> describe() {
        Map<String, String> described = new LinkedHashMap<>();
        for (ConfigKey<?> key : KEYS.values()) {
            Object value = values.get(key.name());
            described.put(key.name(), value == null ? null : String.valueOf(value));
        }
        return described;
    }

    /** True when the key was set explicitly (in the file or on the command line). */
    public boolean isExplicit(String name) {
        return originals.containsKey(name);
    }

    public static Map<String, ConfigKey<?>> keys() {
        return KEYS;
    }
}
