package io.fjord.broker.handler.transaction;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.transaction.TransactionTopicManager;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.EndTxnRequestData;
import io.fjord.protocol.message.EndTxnResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.concurrent.CompletableFuture;

/**
 * EndTxn (key 26), versions 0-4: commits or aborts the producer's open transaction. The answer
 * comes once PrepareCommit/PrepareAbort is in {@code __transaction_state}; the markers follow
 * (Kafka does the same). v5 (epoch bump per transaction, KIP-890 part 2) is not advertised, as
 * Fjord never finalizes {@code transaction.version} 2.
 */
public final class EndTxnHandler implements ApiHandler {

    private final TransactionTopicManager transactions;

    public EndTxnHandler(TransactionTopicManager transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.END_TXN;
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
        EndTxnRequestData request = (EndTxnRequestData) message;
        short version = context.apiVersion();
        return transactions.coordinator().endTransaction(request.transactionalId(), request.producerId(), request.producerEpoch(),
                        request.committed())
                .thenApply(error -> new EndTxnResponseData().setErrorCode(TransactionErrors.forVersion(error, version, (short) 2).code()));
    }
}
