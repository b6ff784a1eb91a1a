package io.fjord.coordinator.group;

import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * What one shard (one {@code __consumer_offsets} partition) holds: its groups, the binding to its
 * log partition, and the deadline queue that tells {@link GroupCoordinatorShard#poll} which groups
 * may have something timing out. Shared by {@link ClassicGroupManager} and {@link OffsetManager}.
 *
 * <p>Deadlines: each group registers its earliest deadline when it gets earlier than the one
 * already registered; a due entry makes the shard look at the group, which re-registers its next
 * deadline. Stale entries only cause a look that finds nothing, so the queue holds about one entry
 * per group with a running timer. Confined to the coordinator thread.
 */
final class GroupShardState {

    private record Deadline(long deadlineMs, String groupId) {
    }

    private final int partition;
    private final CoordinatorLog log;
    private final Map<String, ClassicGroup> groups = new HashMap<>();
    /** KIP-848 consumer groups; their committed offsets stay in {@link #groups} (an entry without members). */
    private final Map<String, ConsumerGroup> consumerGroups = new HashMap<>();
    /** Offsets of open transactions (TxnOffsetCommit): producer id -> group -> partition -> offset. */
    private final Map<Long, Map<String, Map<TopicPartition, OffsetAndMetadata>>> pendingTxnOffsets = new HashMap<>();
    private final Map<String, Long> registeredDeadlines = new HashMap<>();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.deadlineMs(), b.deadlineMs()));

    GroupShardState(int partition, CoordinatorLog log) {
        this.partition = partition;
        this.log = log;
    }

    int partition() {
        return partition;
    }

    ClassicGroup group(String groupId) {
        return groups.get(groupId);
    }

    ClassicGroup getOrCreate(String groupId, long nowMs) {
        return groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, nowMs));
    }

    /** Puts a group rebuilt by replay in place. */
    void getOrCreateWith(ClassicGroup group) {
        groups.put(group.groupId(), group);
    }

    void remove(String groupId) {
        groups.remove(groupId);
        registeredDeadlines.remove(groupId);
    }

    ConsumerGroup consumerGroup(String groupId) {
        return consumerGroups.get(groupId);
    }

    void putConsumerGroup(ConsumerGroup group) {
        consumerGroups.put(group.groupId(), group);
    }

    void removeConsumerGroup(String groupId) {
        consumerGroups.remove(groupId);
    }

    Collection<ConsumerGroup> consumerGroups() {
        return consumerGroups.values();
    }

    Collection<ClassicGroup> groups() {
        return groups.values();
    }

    /** The pending transactional offsets of every group, for one producer; the map is live (mutable). */
    Map<String, Map<TopicPartition, OffsetAndMetadata>> pendingTxnOffsets(long producerId) {
        return pendingTxnOffsets.computeIfAbsent(producerId, id -> new HashMap<>());
    }

    /** Forgets a producer's pending offsets once its COMMIT/ABORT is recorded; returns what was pending. */
    Map<String, Map<TopicPartition, OffsetAndMetadata>> removePendingTxnOffsets(long producerId) {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> removed = pendingTxnOffsets.remove(producerId);
        return removed == null ? Map.of() : removed;
    }

    /** Replay of a pending record's tombstone. */
    void removePendingTxnOffset(long producerId, String groupId, TopicPartition tp) {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup = pendingTxnOffsets.get(producerId);
        if (byGroup == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = byGroup.get(groupId);
        if (offsets != null) {
            offsets.remove(tp);
            if (offsets.isEmpty()) {
                byGroup.remove(groupId);
            }
        }
        if (byGroup.isEmpty()) {
            pendingTxnOffsets.remove(producerId);
        }
    }

    /** True while some open transaction has committed an offset of {@code tp} for the group (RequireStable). */
    boolean hasPendingTxnOffset(String groupId, TopicPartition tp) {
        for (Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup : pendingTxnOffsets.values()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = byGroup.get(groupId);
            if (offsets != null && offsets.containsKey(tp)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the records as one batch to this shard's partition. Throws an {@link ApiException}
     * with the storage error when the log refuses; the caller maps it to the API's error.
     */
    void append(List<GroupRecord> records, long nowMs) {
        if (records.isEmpty()) {
            return;
        }
        List<CoordinatorLog.Entry> entries = new ArrayList<>(records.size());
        for (GroupRecord record : records) {
            entries.add(GroupRecordSerde.serialize(record));
        }
        try {
            log.append(partition, entries, nowMs);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ApiException(Errors.UNKNOWN_SERVER_ERROR, "appending to __consumer_offsets-" + partition + " failed: " + e);
        }
    }

    /** Registers the group's earliest deadline if it is earlier than the one registered. */
    void scheduleCheck(ClassicGroup group) {
        long next = group.nextDeadlineMs();
        if (next == ClassicGroup.NO_DEADLINE || !groups.containsKey(group.groupId())) {
            return;
        }
        Long registered = registeredDeadlines.get(group.groupId());
        if (registered == null || next < registered) {
            registeredDeadlines.put(group.groupId(), next);
            deadlines.add(new Deadline(next, group.groupId()));
        }
    }

    /** The groups with a registered deadline at or before {@code nowMs}; their registrations are consumed. */
    Set<String> takeDueGroups(long nowMs) {
        Set<String> due = new LinkedHashSet<>();
        while (!deadlines.isEmpty() && deadlines.peek().deadlineMs() <= nowMs) {
            Deadline deadline = deadlines.poll();
            Long registered = registeredDeadlines.get(deadline.groupId());
            if (registered != null && registered == deadline.deadlineMs()) {
                registeredDeadlines.remove(deadline.groupId());
                due.add(deadline.groupId());
            }
        }
        return due;
    }

    /** Maps a storage error from writing group metadata to what JoinGroup/SyncGroup answer (Kafka's mapping). */
    static Errors groupMetadataAppendError(Errors error) {
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT -> Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.UNKNOWN_SERVER_ERROR;
            default -> error;
        };
    }

    /** Maps a storage error from writing offsets to what OffsetCommit answers (Kafka's mapping). */
    static Errors offsetCommitAppendError(Errors error) {
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT -> Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.INVALID_COMMIT_OFFSET_SIZE;
            default -> error;
        };
    }
}
