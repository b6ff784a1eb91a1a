package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.DeleteRecordsRequestData;
import io.fjord.protocol.message.DeleteRecordsResponseData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.storage.PartitionLog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteRecords (key 21), versions 0-2: moves each partition's log start offset (its "low
 * watermark") forward; offset -1 means "up to the high watermark". Whole segments below the new
 * start are deleted; OFFSET_OUT_OF_RANGE past the high watermark.
 */
public final class DeleteRecordsHandler implements ApiHandler {

    private final BrokerContext broker;

    public DeleteRecordsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.DELETE_RECORDS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        DeleteRecordsRequestData request = (DeleteRecordsRequestData) message;
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.topics()) {
            List<DeleteRecordsResponseData.DeleteRecordsPartitionResult> partitions = new ArrayList<>();
            for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
                DeleteRecordsResponseData.DeleteRecordsPartitionResult result = new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                        .setPartitionIndex(partition.partitionIndex()).setLowWatermark(-1L);
                try {
                    PartitionLog log = broker.replicaManager()
                            .partitionOrThrow(new TopicPartition(topic.name(), partition.partitionIndex())).log();
                    long offset = partition.offset() == -1L ? log.highWatermark() : partition.offset();
                    result.setLowWatermark(log.deleteRecordsBefore(offset));
                } catch (ApiException e) {
                    result.setErrorCode(e.error().code());
                }
                partitions.add(result);
            }
            response.topics().add(new DeleteRecordsResponseData.DeleteRecordsTopicResult()
                    .setName(topic.name()).setPartitions(partitions));
        }
        return CompletableFuture.completedFuture(response);
    }
}
