package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.broker.server.ReplicaManager.HostedPartition;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ListOffsetsRequestData;
import io.fjord.protocol.message.ListOffsetsResponseData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.storage.FetchIsolation;
import io.fjord.storage.PartitionLog;
import io.fjord.storage.TimestampAndOffset;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * ListOffsets (key 2), versions 1-7: the earliest (-2) and latest (-1) offsets, the offset of the
 * largest timestamp (-3, KIP-734, v7) and the first offset at or after a timestamp. "Latest" is the
 * high watermark for read_uncommitted and the last stable offset for read_committed (v2+).
 */
public final class ListOffsetsHandler implements ApiHandler {

    static final long LATEST_TIMESTAMP = -1L;
    static final long EARLIEST_TIMESTAMP = -2L;
    static final long MAX_TIMESTAMP = -3L;

    private final BrokerContext broker;

    public ListOffsetsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.LIST_OFFSETS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 7;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        ListOffsetsRequestData request = (ListOffsetsRequestData) message;
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            List<ListOffsetsResponseData.ListOffsetsPartitionResponse> partitions = new ArrayList<>();
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                partitions.add(listOffset(new TopicPartition(topic.name(), partition.partitionIndex()), partition,
                        FetchIsolation.ofIsolationLevel(request.isolationLevel())));
            }
            response.topics().add(new ListOffsetsResponseData.ListOffsetsTopicResponse()
                    .setName(topic.name()).setPartitions(partitions));
        }
        return CompletableFuture.completedFuture(response);
    }

    private ListOffsetsResponseData.ListOffsetsPartitionResponse listOffset(TopicPartition tp,
                                                                           ListOffsetsRequestData.ListOffsetsPartition partition,
                                                                           FetchIsolation isolation) {
        ListOffsetsResponseData.ListOffsetsPartitionResponse result = new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                .setPartitionIndex(tp.partition()).setTimestamp(-1L).setOffset(-1L).setLeaderEpoch(-1);
        try {
            HostedPartition hosted = broker.replicaManager().partitionOrThrow(tp);
            FetchHandler.checkLeaderEpoch(partition.currentLeaderEpoch(), hosted.leaderEpoch());
            PartitionLog log = hosted.log();
            long timestamp = partition.timestamp();
            long latest = isolation == FetchIsolation.TXN_COMMITTED ? log.lastStableOffset() : log.highWatermark();
            if (timestamp == LATEST_TIMESTAMP) {
                result.setOffset(latest).setLeaderEpoch(Math.max(hosted.leaderEpoch(), log.latestEpoch()));
            } else if (timestamp == EARLIEST_TIMESTAMP) {
                result.setOffset(log.logStartOffset()).setLeaderEpoch(Math.max(hosted.leaderEpoch(), log.latestEpoch()));
            } else {
                Optional<TimestampAndOffset> found = log.fetchOffsetByTimestamp(timestamp, isolation);
                found.filter(t -> t.offset() < latest).ifPresent(t -> result.setTimestamp(t.timestamp())
                        .setOffset(t.offset()).setLeaderEpoch(t.leaderEpoch()));
            }
        } catch (ApiException e) {
            result.setErrorCode(e.error().code());
        }
        return result;
    }
}
