package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.DescribeProducersRequestData;
import io.fjord.protocol.message.DescribeProducersResponseData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.storage.ProducerStateEntry;

import java.util.concurrent.CompletableFuture;

/** DescribeProducers (key 61), version 0: the idempotent producers each partition remembers (KIP-664). */
public final class DescribeProducersHandler implements ApiHandler {

    private final BrokerContext broker;

    public DescribeProducersHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.DESCRIBE_PRODUCERS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        DescribeProducersRequestData request = (DescribeProducersRequestData) message;
        DescribeProducersResponseData response = new DescribeProducersResponseData();
        for (DescribeProducersRequestData.TopicRequest topic : request.topics()) {
            DescribeProducersResponseData.TopicResponse topicResponse = new DescribeProducersResponseData.TopicResponse().setName(topic.name());
            for (int partition : topic.partitionIndexes()) {
                DescribeProducersResponseData.PartitionResponse result = new DescribeProducersResponseData.PartitionResponse()
                        .setPartitionIndex(partition);
                try {
                    var log = broker.replicaManager().partitionOrThrow(new TopicPartition(topic.name(), partition)).log();
                    for (ProducerStateEntry producer : log.activeProducers()) {
                        result.activeProducers().add(new DescribeProducersResponseData.ProducerState()
                                .setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch())
                                .setLastSequence(producer.lastSequence()).setLastTimestamp(producer.lastTimestamp())
                                .setCoordinatorEpoch(-1).setCurrentTxnStartOffset(producer.currentTxnStartOffset()));
                    }
                } catch (ApiException e) {
                    result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
                }
                topicResponse.partitions().add(result);
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }
}
