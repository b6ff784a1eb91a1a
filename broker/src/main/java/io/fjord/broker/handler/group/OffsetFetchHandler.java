package io.fjord.broker.handler.group;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.group.GroupCoordinatorShard.TopicRequest;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.OffsetFetchRequestData;
import io.fjord.protocol.message.OffsetFetchResponseData;
import io.fjord.protocol.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import io.fjord.protocol.types.ApiMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetFetch (key 9), versions 1-9: committed offsets of one group (v1-7; null topics means all
 * from v2) or of a batch of groups (v8+). Unknown groups and partitions answer offset -1 without an
 * error, as Kafka does. With RequireStable (v7+; the Java consumer always sets it) a partition with
 * an offset committed by a still open transaction answers UNSTABLE_OFFSET_COMMIT and the consumer
 * retries until the transaction ends. v9's member id and epoch are not checked for classic groups (Kafka
 * does not either); for KIP-848 consumer groups a member must exist (UNKNOWN_MEMBER_ID) and send its
 * current epoch (STALE_MEMBER_EPOCH). Version 10 (topic ids) is not advertised.
 */
public final class OffsetFetchHandler implements ApiHandler {

    private final OffsetsTopicManager groups;

    public OffsetFetchHandler(OffsetsTopicManager groups) {
        this.groups = groups;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.OFFSET_FETCH;
    }

    @Override
    public short minAdvertisedVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 9;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        OffsetFetchRequestData request = (OffsetFetchRequestData) message;
        if (context.apiVersion() >= 8) {
            List<CompletableFuture<OffsetFetchResponseGroup>> futures = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups()) {
                Optional<List<TopicRequest>> topics = group.topics() == null ? Optional.empty()
                        : Optional.of(group.topics().stream().map(t -> new TopicRequest(t.name(), t.partitionIndexes())).toList());
                // v9 (KIP-848): a member names itself and its epoch, checked for consumer groups.
                Optional<String> memberId = context.apiVersion() >= 9 ? Optional.ofNullable(group.memberId()) : Optional.empty();
                int memberEpoch = context.apiVersion() >= 9 ? group.memberEpoch() : -1;
                futures.add(groups.coordinator().fetchOffsets(group.groupId(), memberId, memberEpoch, topics, request.requireStable()));
            }
            return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                OffsetFetchResponseData response = new OffsetFetchResponseData();
                futures.forEach(future -> response.groups().add(future.join()));
                return response;
            });
        }
        Optional<List<TopicRequest>> topics = request.topics() == null ? Optional.empty()
                : Optional.of(request.topics().stream().map(t -> new TopicRequest(t.name(), t.partitionIndexes())).toList());
        short version = context.apiVersion();
        boolean requireStable = version >= 7 && request.requireStable();
        return groups.coordinator().fetchOffsets(request.groupId(), topics, requireStable).thenApply(group -> singleGroupResponse(group, version));
    }

    /** The v1-7 shape; v1 has no top-level error, so a group error goes on every partition. */
    private static ApiMessage singleGroupResponse(OffsetFetchResponseGroup group, short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData().setErrorCode(group.errorCode());
        for (OffsetFetchResponseData.OffsetFetchResponseTopics topic : group.topics()) {
            OffsetFetchResponseData.OffsetFetchResponseTopic single = new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic.name());
            for (OffsetFetchResponseData.OffsetFetchResponsePartitions partition : topic.partitions()) {
                short error = version < 2 && group.errorCode() != Errors.NONE.code() ? group.errorCode() : partition.errorCode();
                single.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(partition.partitionIndex())
                        .setCommittedOffset(partition.committedOffset()).setCommittedLeaderEpoch(partition.committedLeaderEpoch())
                        .setMetadata(partition.metadata()).setErrorCode(error));
            }
            response.topics().add(single);
        }
        return response;
    }
}
