package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.broker.server.ReplicaManager.HostedPartition;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.OffsetForLeaderEpochRequestData;
import io.fjord.protocol.message.OffsetForLeaderEpochResponseData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.storage.EpochEndOffset;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetForLeaderEpoch (key 23), versions 2-4: the end offset of a leader epoch, which consumers use
 * to validate their position after a leader change (KIP-320). Unknown epochs answer -1/-1 as Kafka.
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler {

    private final BrokerContext broker;

    public OffsetForLeaderEpochHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public short minAdvertisedVersion() {
        return 2;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        OffsetForLeaderEpochRequestData request = (OffsetForLeaderEpochRequestData) message;
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : request.topics()) {
            List<OffsetForLeaderEpochResponseData.EpochEndOffset> partitions = new ArrayList<>();
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition partition : topic.partitions()) {
                OffsetForLeaderEpochResponseData.EpochEndOffset result = new OffsetForLeaderEpochResponseData.EpochEndOffset()
                        .setPartition(partition.partition()).setLeaderEpoch(-1).setEndOffset(-1L);
                try {
                    HostedPartition hosted = broker.replicaManager().partitionOrThrow(new TopicPartition(topic.topic(), partition.partition()));
                    FetchHandler.checkLeaderEpoch(partition.currentLeaderEpoch(), hosted.leaderEpoch());
                    Optional<EpochEndOffset> end = hosted.log().endOffsetForEpoch(partition.leaderEpoch());
                    end.ifPresent(e -> result.setLeaderEpoch(e.leaderEpoch()).setEndOffset(e.endOffset()));
                } catch (ApiException e) {
                    result.setErrorCode(e.error().code());
                }
                partitions.add(result);
            }
            response.topics().add(new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult()
                    .setTopic(topic.topic()).setPartitions(partitions));
        }
        return CompletableFuture.completedFuture(response);
    }
}
