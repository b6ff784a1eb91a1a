package io.fjord.broker.handler.transaction;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.broker.server.transaction.TransactionTopicManager;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.TopicImage;
import io.fjord.protocol.message.AddPartitionsToTxnRequestData;
import io.fjord.protocol.message.AddPartitionsToTxnResponseData;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.types.ApiMessage;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * AddPartitionsToTxn (key 24), the client forms v0-3: adds partitions to the producer's open
 * transaction (starting it). If any partition is unknown, nothing is added: those answer
 * UNKNOWN_TOPIC_OR_PARTITION and the rest OPERATION_NOT_ATTEMPTED, as in Kafka; otherwise every
 * partition gets the coordinator's answer. v4-5 (broker-to-broker verification, KIP-890) are not
 * advertised: Fjord verifies in-process.
 */
public final class AddPartitionsToTxnHandler implements ApiHandler {

    private final BrokerContext broker;
    private final TransactionTopicManager transactions;

    public AddPartitionsToTxnHandler(BrokerContext broker, TransactionTopicManager transactions) {
        this.broker = broker;
        this.transactions = transactions;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        AddPartitionsToTxnRequestData request = (AddPartitionsToTxnRequestData) message;
        Map<TopicPartition, Boolean> known = new LinkedHashMap<>();
        MetadataImage image = broker.controller().image();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic topic : request.v3AndBelowTopics()) {
            Optional<TopicImage> topicImage = image.topic(topic.name());
            for (int partition : topic.partitions()) {
                known.put(new TopicPartition(topic.name(), partition),
                        topicImage.isPresent() && topicImage.get().partitions().containsKey(partition) && !isInternal(topic.name()));
            }
        }
        if (known.containsValue(false)) {
            return CompletableFuture.completedFuture(response(known, tp -> known.get(tp) ? Errors.OPERATION_NOT_ATTEMPTED : Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        Set<TopicPartition> partitions = new HashSet<>(known.keySet());
        short version = context.apiVersion();
        return transactions.coordinator().addPartitions(request.v3AndBelowTransactionalId(), request.v3AndBelowProducerId(),
                        request.v3AndBelowProducerEpoch(), partitions)
                .thenApply(error -> response(known, tp -> TransactionErrors.forVersion(error, version, (short) 2)));
    }

    /** Internal topics take part in transactions only through AddOffsetsToTxn, never directly. */
    private static boolean isInternal(String topic) {
        return topic.equals("__consumer_offsets") || topic.equals(TransactionTopicManager.TOPIC);
    }

    private static ApiMessage response(Map<TopicPartition, Boolean> partitions, java.util.function.Function<TopicPartition, Errors> errorOf) {
        Map<String, AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult> byTopic = new LinkedHashMap<>();
        for (TopicPartition tp : partitions.keySet()) {
            byTopic.computeIfAbsent(tp.topic(), name -> new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult().setName(name))
                    .resultsByPartition().add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult()
                            .setPartitionIndex(tp.partition()).setPartitionErrorCode(errorOf.apply(tp).code()));
        }
        return new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(List.copyOf(byTopic.values()));
    }
}
