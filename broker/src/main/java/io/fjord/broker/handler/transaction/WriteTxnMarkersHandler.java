package io.fjord.broker.handler.transaction;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.WriteTxnMarkersRequestData;
import io.fjord.protocol.message.WriteTxnMarkersResponseData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.record.ControlRecordType;
import io.fjord.record.EndTxnMarker;
import io.fjord.record.MemoryRecordsBuilder;
import io.fjord.storage.AppendOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * WriteTxnMarkers (key 27), version 1. Between Kafka brokers the transaction coordinator sends it
 * to partition leaders; Fjord's own coordinator writes markers in-process, so the only sender is
 * Admin {@code abortTransaction} ({@code kafka-transactions.sh abort}, KIP-664), which aborts a
 * hanging transaction in a partition with the producer id, epoch and coordinator epoch that
 * DescribeProducers showed. Each marker is appended as the coordinator; the partition's producer
 * state fences stale epochs (INVALID_PRODUCER_EPOCH) and stale coordinators
 * (TRANSACTION_COORDINATOR_FENCED). Partitions of internal topics are refused (INVALID_REQUEST).
 */
public final class WriteTxnMarkersHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(WriteTxnMarkersHandler.class);

    private final BrokerContext broker;

    public WriteTxnMarkersHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.WRITE_TXN_MARKERS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        WriteTxnMarkersRequestData request = (WriteTxnMarkersRequestData) message;
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        long nowMs = broker.time().milliseconds();
        for (WriteTxnMarkersRequestData.WritableTxnMarker marker : request.markers()) {
            WriteTxnMarkersResponseData.WritableTxnMarkerResult result = new WriteTxnMarkersResponseData.WritableTxnMarkerResult()
                    .setProducerId(marker.producerId());
            EndTxnMarker endMarker = new EndTxnMarker(marker.transactionResult() ? ControlRecordType.COMMIT : ControlRecordType.ABORT,
                    marker.coordinatorEpoch());
            for (WriteTxnMarkersRequestData.WritableTxnMarkerTopic topic : marker.topics()) {
                WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult topicResult =
                        new WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult().setName(topic.name());
                for (int partition : topic.partitionIndexes()) {
                    Errors error = append(new TopicPartition(topic.name(), partition), marker, endMarker, nowMs);
                    topicResult.partitions().add(new WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult()
                            .setPartitionIndex(partition).setErrorCode(error.code()));
                }
                result.topics().add(topicResult);
            }
            response.markers().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private Errors append(TopicPartition tp, WriteTxnMarkersRequestData.WritableTxnMarker marker, EndTxnMarker endMarker, long nowMs) {
        if (tp.topic().equals("__consumer_offsets") || tp.topic().equals("__transaction_state")) {
            return Errors.INVALID_REQUEST;
        }
        try {
            broker.replicaManager().appendRecords(tp, MemoryRecordsBuilder.endTxnMarker(marker.producerId(), marker.producerEpoch(), nowMs,
                    endMarker), AppendOrigin.COORDINATOR);
            LOG.info("[partition {}] {} marker written for producer {} epoch {} on request", tp, endMarker.type(), marker.producerId(),
                    marker.producerEpoch());
            return Errors.NONE;
        } catch (ApiException e) {
            return e.error();
        }
    }
}
