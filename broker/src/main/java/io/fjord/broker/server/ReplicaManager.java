package io.fjord.broker.server;

import io.fjord.common.Time;
import io.fjord.common.TopicPartition;
import io.fjord.common.Uuid;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataListener;
import io.fjord.metadata.MetadataRecord;
import io.fjord.metadata.PartitionImage;
import io.fjord.metadata.TopicImage;
import io.fjord.record.MemoryRecords;
import io.fjord.storage.AppendOrigin;
import io.fjord.storage.LogAppendResult;
import io.fjord.storage.LogConfig;
import io.fjord.storage.LogManager;
import io.fjord.storage.PartitionLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partitions this broker hosts, kept in step with the metadata image: creates a log when a
 * partition appears, deletes it when its topic goes, applies topic config changes. Appends and
 * reads go through here so the high watermark and waiting fetches are updated in one place.
 *
 * <p>Called from network threads (append, read) and from the controller's listener (metadata
 * changes); the partition map is concurrent and each {@link PartitionLog} is thread-safe.
 */
public final class ReplicaManager implements MetadataListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);

    /** A hosted partition: its log and the leader epoch it is appended with. */
    public record HostedPartition(TopicPartition topicPartition, Uuid topicId, PartitionLog log, int leaderEpoch) {
    }

    private final LogManager logManager;
    private final Map<String, String> topicConfigDefaults;
    private final Time time;
    private final DelayedFetchPurgatory fetchPurgatory;
    private final Map<TopicPartition, HostedPartition> partitions = new ConcurrentHashMap<>();

    public ReplicaManager(LogManager logManager, Map<String, String> topicConfigDefaults, Time time,
                          DelayedFetchPurgatory fetchPurgatory) {
        this.logManager = logManager;
        this.topicConfigDefaults = Map.copyOf(topicConfigDefaults);
        this.time = time;
        this.fetchPurgatory = fetchPurgatory;
    }

    /** The effective log config of a topic: broker defaults overlaid with the topic's overrides. */
    public LogConfig logConfig(Map<String, String> topicOverrides) {
        return LogConfig.fromOverrides(topicOverrides, LogConfig.fromOverrides(topicConfigDefaults, LogConfig.defaults()));
    }

    public Map<String, String> topicConfigDefaults() {
        return topicConfigDefaults;
    }

    @Override
    public void onMetadataChanged(MetadataImage previous, MetadataImage current, List<MetadataRecord> records) {
        for (TopicImage topic : previous.topics()) {
            Optional<TopicImage> still = current.topic(topic.topicId());
            if (still.isEmpty()) {
                for (int partition : topic.partitions().keySet()) {
                    removePartition(new TopicPartition(topic.name(), partition));
                }
            }
        }
        for (TopicImage topic : current.topics()) {
            Optional<TopicImage> before = previous.topic(topic.topicId());
            if (before.isPresent() && before.get() == topic) {
                // Images share untouched topics: nothing changed here.
                continue;
            }
            LogConfig config = logConfig(topic.configs());
            boolean configChanged = before.isPresent() && !before.get().configs().equals(topic.configs());
            List<TopicPartition> created = new ArrayList<>();
            for (PartitionImage partition : topic.partitions().values()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partitionId());
                HostedPartition hosted = partitions.get(tp);
                if (hosted == null) {
                    created.add(tp);
                } else if (configChanged) {
                    hosted.log().updateConfig(config);
                }
            }
            if (!created.isEmpty()) {
                Map<TopicPartition, PartitionLog> logs = logManager.getOrCreateLogs(created, topic.topicId(), config);
                for (TopicPartition tp : created) {
                    PartitionLog log = logs.get(tp);
                    // A log loaded from disk at start-up got the broker defaults; give it the topic's own.
                    log.updateConfig(config);
                    partitions.put(tp, new HostedPartition(tp, topic.topicId(), log,
                            topic.partitions().get(tp.partition()).leaderEpoch()));
                }
            }
        }
    }

    private void removePartition(TopicPartition tp) {
        HostedPartition removed = partitions.remove(tp);
        if (removed != null) {
            logManager.deleteLog(tp);
            fetchPurgatory.wake(tp);
            LOG.info("[partition {}] deleted", tp);
        }
    }

    public Optional<HostedPartition> partition(TopicPartition tp) {
        return Optional.ofNullable(partitions.get(tp));
    }

    /** The partition or an UNKNOWN_TOPIC_OR_PARTITION ApiException. */
    public HostedPartition partitionOrThrow(TopicPartition tp) {
        HostedPartition hosted = partitions.get(tp);
        if (hosted == null) {
            throw new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition: " + tp);
        }
        return hosted;
    }

    /**
     * An append and when it may be acknowledged: {@code durable} is complete at once, or, when the append
     * reached {@code flush.messages}, once a flusher thread has fsynced it; it fails with the flush's
     * error (KAFKA_STORAGE_ERROR, or NOT_LEADER_OR_FOLLOWER while shutting down).
     */
    public record Appended(LogAppendResult result, CompletableFuture<Void> durable) {
    }

    /** The {@code durable} of every append not waiting for a flush: shared, so the produce path allocates none. */
    private static final CompletableFuture<Void> DURABLE_NOW = CompletableFuture.completedFuture(null);

    /**
     * Appends a produced batch as leader. On a single node the ISR is this broker alone, so the
     * high watermark moves to the log end at once and acks=all is satisfied by the append itself.
     */
    public LogAppendResult appendRecords(TopicPartition tp, MemoryRecords records) {
        return appendRecords(tp, records, AppendOrigin.CLIENT);
    }

    /** As {@link #appendRecords(TopicPartition, MemoryRecords)}; COORDINATOR for transaction markers. */
    public LogAppendResult appendRecords(TopicPartition tp, MemoryRecords records, AppendOrigin origin) {
        return append(tp, records, origin).result();
    }

    /**
     * Appends as leader and moves the high watermark. When the append reaches {@code flush.messages}
     * the fsync runs on a flusher thread, never this (network) thread, and, as in Kafka, where that
     * flush is part of the append, the records become visible to consumers and acknowledgeable only
     * once it is done.
     */
    public Appended append(TopicPartition tp, MemoryRecords records, AppendOrigin origin) {
        HostedPartition hosted = partitionOrThrow(tp);
        PartitionLog log = hosted.log();
        LogAppendResult result = log.appendAsLeader(records, hosted.leaderEpoch(), time.milliseconds(), origin);
        if (result.duplicate()) {
            // A retry of a batch already appended: acknowledge it no sooner than the original, whose flush may still run.
            boolean flushing = log.config().flushMessages() != Long.MAX_VALUE && log.recoveryPoint() <= result.lastOffset();
            return new Appended(result, flushing ? logManager.flushAsync(log, result.lastOffset() + 1) : DURABLE_NOW);
        }
        long end = result.lastOffset() + 1;
        if (!result.flushDue()) {
            advanceHighWatermark(tp, log, end);
            return new Appended(result, DURABLE_NOW);
        }
        CompletableFuture<Void> durable = logManager.flushAsync(log, end).thenRun(() -> advanceHighWatermark(tp, log, end));
        return new Appended(result, durable);
    }

    private void advanceHighWatermark(TopicPartition tp, PartitionLog log, long offset) {
        log.advanceHighWatermark(offset);
        fetchPurgatory.wake(tp);
    }

    public Map<TopicPartition, HostedPartition> allPartitions() {
        return partitions;
    }
}
