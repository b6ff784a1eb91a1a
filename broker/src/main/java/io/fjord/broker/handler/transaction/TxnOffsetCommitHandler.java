package io.fjord.broker.handler.transaction;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicLog;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.broker.server.transaction.TransactionTopicManager;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.group.GroupCoordinator;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.TxnOffsetCommitRequestData;
import io.fjord.protocol.message.TxnOffsetCommitResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * TxnOffsetCommit (key 28), versions 0-4: offsets a transaction commits for a consumer group
 * ({@code sendOffsetsToTransaction}). The transaction coordinator first checks that the producer's
 * open transaction holds the group's {@code __consumer_offsets} partition (AddOffsetsToTxn came
 * first; KIP-890 part 1 in-process) and hands the commit to the group coordinator from its own
 * thread, which keeps it ahead of the transaction's COMMIT/ABORT. The group coordinator checks
 * member and generation (v3+, KIP-447) and keeps the offsets pending until the transaction ends.
 * v5-6 (transaction V2, topic ids) are not advertised.
 */
public final class TxnOffsetCommitHandler implements ApiHandler {

    private final TransactionTopicManager transactions;
    private final OffsetsTopicManager groups;

    public TxnOffsetCommitHandler(TransactionTopicManager transactions, OffsetsTopicManager groups) {
        this.transactions = transactions;
        this.groups = groups;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.TXN_OFFSET_COMMIT;
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
        TxnOffsetCommitRequestData request = (TxnOffsetCommitRequestData) message;
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(GroupCoordinator.txnCommitError(request, Errors.INVALID_GROUP_ID));
        }
        GroupCoordinator coordinator = groups.coordinator();
        TopicPartition offsetsPartition = new TopicPartition(OffsetsTopicLog.TOPIC, coordinator.partitionFor(request.groupId()));
        CompletableFuture<CompletableFuture<TxnOffsetCommitResponseData>> verified = transactions.coordinator().runInTransaction(
                request.transactionalId(), request.producerId(), request.producerEpoch(), List.of(offsetsPartition),
                () -> coordinator.commitTransactionalOffsets(request),
                error -> CompletableFuture.completedFuture(GroupCoordinator.txnCommitError(request, verificationError(error))));
        return verified.thenCompose(inner -> inner).thenApply(response -> (ApiMessage) response);
    }

    /**
     * What a failed transaction check means to the client: a fenced producer is told
     * INVALID_PRODUCER_EPOCH (which every client version treats as fenced); a coordinator that is
     * not ready is retriable.
     */
    private static Errors verificationError(Errors error) {
        return switch (error) {
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            case NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS -> Errors.COORDINATOR_LOAD_IN_PROGRESS;
            default -> error;
        };
    }
}
