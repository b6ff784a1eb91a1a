package io.fjord.broker.handler.group;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.TopicImage;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.OffsetCommitRequestData;
import io.fjord.protocol.message.OffsetCommitResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetCommit (key 8), versions 2-9. Partitions of topics this cluster does not have are answered
 * UNKNOWN_TOPIC_OR_PARTITION here and never reach the coordinator (as Kafka's KafkaApis does); the
 * rest is committed by the group's coordinator. Commits with generation -1 from outside the group
 * (Admin, manually assigning consumers) are accepted while the group has no members. v9 carries a
 * member epoch: for classic groups it is the generation; for KIP-848 consumer groups it must be the
 * member's current epoch (STALE_MEMBER_EPOCH otherwise), and members must use v9+. Version 10 (topic
 * ids) is not advertised.
 */
public final class OffsetCommitHandler implements ApiHandler {

    private final BrokerContext broker;
    private final OffsetsTopicManager groups;

    public OffsetCommitHandler(BrokerContext broker, OffsetsTopicManager groups) {
        this.broker = broker;
        this.groups = groups;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.OFFSET_COMMIT;
    }

    @Override
    public short minAdvertisedVersion() {
        return 2;
    }

    @Override
    public short maxVersion() {
        return 9;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        OffsetCommitRequestData request = (OffsetCommitRequestData) message;
        MetadataImage image = broker.controller().image();
        OffsetCommitRequestData known = new OffsetCommitRequestData().setGroupId(request.groupId())
                .setGenerationIdOrMemberEpoch(request.generationIdOrMemberEpoch()).setMemberId(request.memberId())
                .setGroupInstanceId(request.groupInstanceId()).setRetentionTimeMs(request.retentionTimeMs());
        OffsetCommitResponseData unknown = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            Optional<TopicImage> topicImage = image.topic(topic.name());
            OffsetCommitRequestData.OffsetCommitRequestTopic knownTopic = new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic.name());
            OffsetCommitResponseData.OffsetCommitResponseTopic unknownTopic = new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(topic.name());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                if (topicImage.isPresent() && topicImage.get().partitions().containsKey(partition.partitionIndex())) {
                    knownTopic.partitions().add(partition);
                } else {
                    unknownTopic.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                            .setPartitionIndex(partition.partitionIndex()).setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
                }
            }
            if (!knownTopic.partitions().isEmpty()) {
                known.topics().add(knownTopic);
            }
            if (!unknownTopic.partitions().isEmpty()) {
                unknown.topics().add(unknownTopic);
            }
        }
        return groups.coordinator().commitOffsets(JoinGroupHandler.groupContext(context), known).thenApply(response -> {
            response.topics().addAll(unknown.topics());
            return response;
        });
    }
}
