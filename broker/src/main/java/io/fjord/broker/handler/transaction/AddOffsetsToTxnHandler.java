package io.fjord.broker.handler.transaction;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicLog;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.broker.server.transaction.TransactionTopicManager;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.AddOffsetsToTxnRequestData;
import io.fjord.protocol.message.AddOffsetsToTxnResponseData;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.types.ApiMessage;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * AddOffsetsToTxn (key 25), versions 0-4: adds the group's {@code __consumer_offsets} partition to
 * the producer's open transaction, so a following TxnOffsetCommit is accepted and the transaction's
 * end reaches the group coordinator (Kafka's handleAddOffsetsToTxnRequest). v4 only tells that the
 * client understands TRANSACTION_ABORTABLE, which classic transactions never answer.
 */
public final class AddOffsetsToTxnHandler implements ApiHandler {

    private final TransactionTopicManager transactions;
    private final OffsetsTopicManager groups;

    public AddOffsetsToTxnHandler(TransactionTopicManager transactions, OffsetsTopicManager groups) {
        this.transactions = transactions;
        this.groups = groups;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        AddOffsetsToTxnRequestData request = (AddOffsetsToTxnRequestData) message;
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        Errors ready = groups.ensureReady();
        if (ready != Errors.NONE) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponseData().setErrorCode(ready.code()));
        }
        TopicPartition offsetsPartition = new TopicPartition(OffsetsTopicLog.TOPIC, groups.coordinator().partitionFor(request.groupId()));
        short version = context.apiVersion();
        return transactions.coordinator().addPartitions(request.transactionalId(), request.producerId(), request.producerEpoch(),
                        Set.of(offsetsPartition))
                .thenApply(error -> new AddOffsetsToTxnResponseData().setErrorCode(TransactionErrors.forVersion(error, version, (short) 2).code()));
    }
}
