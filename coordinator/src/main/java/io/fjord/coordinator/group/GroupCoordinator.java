package io.fjord.coordinator.group;

import io.fjord.coordinator.CoordinatorEventLoop;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ConsumerGroupDescribeResponseData;
import io.fjord.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.fjord.protocol.message.ConsumerGroupHeartbeatResponseData;
import io.fjord.protocol.message.DeleteGroupsResponseData.DeletableGroupResult;
import io.fjord.protocol.message.DescribeGroupsResponseData.DescribedGroup;
import io.fjord.protocol.message.HeartbeatRequestData;
import io.fjord.protocol.message.HeartbeatResponseData;
import io.fjord.protocol.message.JoinGroupRequestData;
import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.message.LeaveGroupRequestData;
import io.fjord.protocol.message.LeaveGroupResponseData;
import io.fjord.protocol.message.ListGroupsResponseData.ListedGroup;
import io.fjord.protocol.message.OffsetCommitRequestData;
import io.fjord.protocol.message.OffsetCommitResponseData;
import io.fjord.protocol.message.OffsetDeleteRequestData;
import io.fjord.protocol.message.OffsetDeleteResponseData;
import io.fjord.protocol.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import io.fjord.protocol.message.SyncGroupRequestData;
import io.fjord.protocol.message.SyncGroupResponseData;
import io.fjord.protocol.message.TxnOffsetCommitRequestData;
import io.fjord.protocol.message.TxnOffsetCommitResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The group coordinator of a broker: routes each group to its {@code __consumer_offsets} partition
 * ({@link #partitionFor}, Kafka's formula) and runs that partition's {@link GroupCoordinatorShard}.
 *
 * <p>Threading: one event-loop thread ({@code fjord-group-coordinator}) runs every shard, every
 * request and a poll every {@link #POLL_INTERVAL_MS} ms that applies timeouts. One thread for all
 * shards keeps the design simple and the order of events total; shards share nothing, so moving
 * to a thread per shard later changes only this class. Callers on any thread get a future that
 * completes on the event loop. At most {@link #MAX_PENDING_EVENTS} events wait; beyond that a
 * request is answered COORDINATOR_NOT_AVAILABLE at once (the client looks up the coordinator and retries).
 *
 * <p>Lifecycle: {@link #start}, then {@link #loadPartitions} when {@code __consumer_offsets} exists
 * (a group of a partition not loaded gets NOT_COORDINATOR, while it loads COORDINATOR_LOAD_IN_PROGRESS),
 * then {@link #close}, which answers everything parked with NOT_COORDINATOR.
 */
public final class GroupCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
    public static final int MAX_PENDING_EVENTS = 10_000;
    static final long POLL_INTERVAL_MS = 50;

    private final GroupCoordinatorConfig config;
    private final CoordinatorLog log;
    private final Time time;
    private final RandomGenerator random;
    private final CoordinatorEventLoop eventLoop;
    /** Loaded shards by partition; touched only on the event loop. */
    private final Map<Integer, GroupCoordinatorShard> shards = new HashMap<>();
    private volatile boolean closed;

    public GroupCoordinator(GroupCoordinatorConfig config, CoordinatorLog log, Time time, RandomGenerator random) {
        this.config = config;
        this.log = log;
        this.time = time;
        this.random = random;
        this.eventLoop = new CoordinatorEventLoop("fjord-group-coordinator", MAX_PENDING_EVENTS);
    }

    public void start() {
        eventLoop.scheduleWithFixedDelay(this::pollShards, POLL_INTERVAL_MS);
    }

    public GroupCoordinatorConfig config() {
        return config;
    }

    /** Kafka's {@code Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions}. */
    public int partitionFor(String groupId) {
        int hash = groupId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % config.offsetsTopicNumPartitions();
    }

    /** Loads (replays) the given partitions that are not loaded yet; the future completes when all are. */
    public CompletableFuture<Void> loadPartitions(Collection<Integer> partitions) {
        List<Integer> toLoad = List.copyOf(partitions);
        return runOnLoop(() -> {
            for (int partition : toLoad) {
                if (!shards.containsKey(partition)) {
                    GroupCoordinatorShard shard = new GroupCoordinatorShard(partition, config, log, random);
                    shard.load(log, time.milliseconds());
                    shards.put(partition, shard);
                }
            }
            return null;
        }, error -> null);
    }

    /** True once every partition of {@code __consumer_offsets} has been loaded. */
    public CompletableFuture<Boolean> isFullyLoaded() {
        return runOnLoop(() -> shards.size() == config.offsetsTopicNumPartitions(), error -> false);
    }

    public CompletableFuture<JoinGroupResponseData> joinGroup(GroupRequestContext context, JoinGroupRequestData request) {
        return routeAsync(request.groupId(), (shard, nowMs) -> shard.joinGroup(context, request, nowMs),
                error -> ClassicGroupManager.joinError(request.memberId(), error));
    }

    public CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData request) {
        return routeAsync(request.groupId(), (shard, nowMs) -> shard.syncGroup(request, nowMs),
                error -> new SyncGroupResponseData().setErrorCode(error.code()));
    }

    public CompletableFuture<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
        return route(request.groupId(), (shard, nowMs) -> shard.heartbeat(request, nowMs),
                error -> new HeartbeatResponseData().setErrorCode(error.code()));
    }

    /** LeaveGroup in its batched (v3+) shape. */
    public CompletableFuture<LeaveGroupResponseData> leaveGroup(LeaveGroupRequestData request) {
        return route(request.groupId(), (shard, nowMs) -> shard.leaveGroup(request, nowMs),
                error -> new LeaveGroupResponseData().setErrorCode(error.code()));
    }

    /** ConsumerGroupHeartbeat (KIP-848); {@code topics} is the broker's view of topic ids and partition counts. */
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(GroupRequestContext context,
                                                                                        ConsumerGroupHeartbeatRequestData request,
                                                                                        TopicMetadataView topics) {
        return route(request.groupId(), (shard, nowMs) -> shard.consumerGroupHeartbeat(context, request, topics, nowMs),
                error -> new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()));
    }

    /** ConsumerGroupDescribe: one described group per id, NOT_COORDINATOR for groups of partitions not loaded here. */
    public CompletableFuture<List<ConsumerGroupDescribeResponseData.DescribedGroup>> describeConsumerGroups(List<String> groupIds,
                                                                                                          boolean includeAuthorizedOperations,
                                                                                                          TopicMetadataView topics) {
        return runOnLoop(() -> {
            List<ConsumerGroupDescribeResponseData.DescribedGroup> described = new ArrayList<>(groupIds.size());
            for (String groupId : groupIds) {
                GroupCoordinatorShard shard = groupId == null ? null : shards.get(partitionFor(groupId));
                described.add(shard == null
                        ? new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId).setErrorCode(Errors.NOT_COORDINATOR.code())
                        : shard.describeConsumerGroup(groupId, includeAuthorizedOperations, topics));
            }
            return described;
        }, error -> groupIds.stream().map(id -> new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(id)
                .setErrorCode(error.code())).toList());
    }

    /** OffsetFetch v9+ with the member's id and epoch (checked for KIP-848 groups). */
    public CompletableFuture<OffsetFetchResponseGroup> fetchOffsets(String groupId, Optional<String> memberId, int memberEpoch,
                                                                    Optional<List<GroupCoordinatorShard.TopicRequest>> topics,
                                                                    boolean requireStable) {
        return route(groupId, (shard, nowMs) -> shard.fetchOffsets(groupId, memberId, memberEpoch, topics, requireStable),
                error -> new OffsetFetchResponseGroup().setGroupId(groupId).setErrorCode(error.code()));
    }

    /** On a routing error every partition of the request gets that error. */
    public CompletableFuture<OffsetCommitResponseData> commitOffsets(GroupRequestContext context, OffsetCommitRequestData request) {
        return route(request.groupId(), (shard, nowMs) -> shard.commitOffsets(context, request, nowMs),
                error -> commitError(request, error));
    }

    public CompletableFuture<OffsetFetchResponseGroup> fetchOffsets(String groupId, Optional<List<GroupCoordinatorShard.TopicRequest>> topics) {
        return fetchOffsets(groupId, topics, false);
    }

    /** OffsetFetch; with {@code requireStable} (v7+) offsets of open transactions answer UNSTABLE_OFFSET_COMMIT. */
    public CompletableFuture<OffsetFetchResponseGroup> fetchOffsets(String groupId, Optional<List<GroupCoordinatorShard.TopicRequest>> topics,
                                                                    boolean requireStable) {
        return route(groupId, (shard, nowMs) -> shard.fetchOffsets(groupId, topics, requireStable),
                error -> new OffsetFetchResponseGroup().setGroupId(groupId).setErrorCode(error.code()));
    }

    /**
     * TxnOffsetCommit; the caller (the broker) has had the transaction coordinator check that the
     * producer's open transaction holds this group's partition. On a routing error every partition
     * of the request gets that error.
     */
    public CompletableFuture<TxnOffsetCommitResponseData> commitTransactionalOffsets(TxnOffsetCommitRequestData request) {
        return route(request.groupId(), (shard, nowMs) -> shard.commitTransactionalOffsets(request, nowMs),
                error -> txnCommitError(request, error));
    }

    /** Builds TxnOffsetCommit's answer with {@code error} on every partition. */
    public static TxnOffsetCommitResponseData txnCommitError(TxnOffsetCommitRequestData request, Errors error) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topicResponse =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(topic.name());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                topicResponse.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    /**
     * The transaction coordinator's COMMIT/ABORT for {@code producerId} on {@code __consumer_offsets}
     * partition {@code partition}: NONE once the outcome is recorded, NOT_COORDINATOR while the
     * partition is not loaded, or the storage error (all retriable by the caller).
     */
    public CompletableFuture<Errors> completeTransaction(int partition, long producerId, boolean commit) {
        return runOnLoop(() -> {
            GroupCoordinatorShard shard = shards.get(partition);
            return shard == null ? Errors.NOT_COORDINATOR : shard.completeTransaction(producerId, commit, time.milliseconds());
        }, error -> error);
    }

    public CompletableFuture<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData request) {
        return route(request.groupId(), (shard, nowMs) -> shard.deleteOffsets(request, nowMs),
                error -> new OffsetDeleteResponseData().setErrorCode(error.code()));
    }

    /** The groups of every loaded partition, or an error if the coordinator is not ready. */
    public record ListGroupsResult(Errors error, List<ListedGroup> groups) {
    }

    public CompletableFuture<ListGroupsResult> listGroups(Set<String> statesFilter, Set<String> typesFilter) {
        return runOnLoop(() -> {
            List<ListedGroup> groups = new ArrayList<>();
            for (GroupCoordinatorShard shard : shards.values()) {
                groups.addAll(shard.listGroups(statesFilter, typesFilter));
            }
            return new ListGroupsResult(Errors.NONE, groups);
        }, error -> new ListGroupsResult(error, List.of()));
    }

    public CompletableFuture<List<DescribedGroup>> describeGroups(List<String> groupIds, boolean includeAuthorizedOperations) {
        return runOnLoop(() -> {
            List<DescribedGroup> described = new ArrayList<>(groupIds.size());
            for (String groupId : groupIds) {
                GroupCoordinatorShard shard = shards.get(partitionFor(groupId));
                described.add(shard == null
                        ? new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.NOT_COORDINATOR.code())
                        : shard.describeGroup(groupId, includeAuthorizedOperations));
            }
            return described;
        }, error -> groupIds.stream().map(id -> new DescribedGroup().setGroupId(id).setErrorCode(error.code())).toList());
    }

    public CompletableFuture<List<DeletableGroupResult>> deleteGroups(List<String> groupIds) {
        return runOnLoop(() -> {
            List<DeletableGroupResult> results = new ArrayList<>(groupIds.size());
            long nowMs = time.milliseconds();
            for (String groupId : groupIds) {
                GroupCoordinatorShard shard = groupId == null ? null : shards.get(partitionFor(groupId));
                results.add(shard == null
                        ? new DeletableGroupResult().setGroupId(groupId).setErrorCode(Errors.NOT_COORDINATOR.code())
                        : shard.deleteGroup(groupId, nowMs));
            }
            return results;
        }, error -> groupIds.stream().map(id -> new DeletableGroupResult().setGroupId(id).setErrorCode(error.code())).toList());
    }

    private static OffsetCommitResponseData commitError(OffsetCommitRequestData request, Errors error) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseData.OffsetCommitResponseTopic()
                    .setName(topic.name()).setTopicId(topic.topicId());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                topicResponse.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    private <T> CompletableFuture<T> route(String groupId, BiFunction<GroupCoordinatorShard, Long, T> call, Function<Errors, T> onError) {
        return routeAsync(groupId, (shard, nowMs) -> CompletableFuture.completedFuture(call.apply(shard, nowMs)), onError);
    }

    /** Runs {@code call} on the shard owning {@code groupId}, on the event loop. */
    private <T> CompletableFuture<T> routeAsync(String groupId, BiFunction<GroupCoordinatorShard, Long, CompletableFuture<T>> call,
                                                Function<Errors, T> onError) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<CompletableFuture<T>> submitted = runOnLoop(() -> {
            GroupCoordinatorShard shard = groupId == null ? null : shards.get(partitionFor(groupId));
            if (shard == null) {
                return CompletableFuture.completedFuture(onError.apply(Errors.NOT_COORDINATOR));
            }
            return call.apply(shard, time.milliseconds());
        }, error -> CompletableFuture.completedFuture(onError.apply(error)));
        submitted.whenComplete((inner, failure) -> {
            if (failure != null) {
                result.complete(onError.apply(Errors.UNKNOWN_SERVER_ERROR));
            } else {
                inner.whenComplete((value, innerFailure) -> result.complete(innerFailure == null ? value : onError.apply(Errors.UNKNOWN_SERVER_ERROR)));
            }
        });
        return result;
    }

    /** Runs {@code task} on the event loop; when it cannot run or fails, the future holds {@code onError}'s value. */
    private <T> CompletableFuture<T> runOnLoop(java.util.function.Supplier<T> task, Function<Errors, T> onError) {
        if (closed) {
            return CompletableFuture.completedFuture(onError.apply(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        return eventLoop.call(task, onError);
    }

    private void pollShards() {
        long nowMs = time.milliseconds();
        for (GroupCoordinatorShard shard : shards.values()) {
            try {
                shard.poll(nowMs);
            } catch (RuntimeException e) {
                LOG.error("[__consumer_offsets-{}] applying timeouts failed", shard.partition(), e);
            }
        }
    }

    /** Answers everything parked with NOT_COORDINATOR and stops the event loop. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        eventLoop.runAndWait(() -> {
            long nowMs = time.milliseconds();
            for (GroupCoordinatorShard shard : shards.values()) {
                shard.unload(nowMs);
            }
            shards.clear();
        }, 10_000);
        eventLoop.shutdownNow();
    }
}
