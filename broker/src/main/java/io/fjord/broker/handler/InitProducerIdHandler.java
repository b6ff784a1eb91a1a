package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.broker.server.transaction.TransactionTopicManager;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.InitProducerIdRequestData;
import io.fjord.protocol.message.InitProducerIdResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.concurrent.CompletableFuture;

/**
 * InitProducerId (key 22), versions 0-5. Without a transactional id (idempotent producers) every
 * call gets a fresh producer id with epoch 0, as Kafka does (the client bumps epochs itself,
 * KIP-360). With one, the transaction coordinator answers: a new or bumped epoch, a new producer
 * id when the epoch is exhausted, CONCURRENT_TRANSACTIONS while it aborts the open transaction of
 * the producer it fences, INVALID_TRANSACTION_TIMEOUT above {@code transaction.max.timeout.ms}.
 * v3+ may name the caller's producer id and epoch to bump its own epoch (KIP-360): both or neither,
 * else INVALID_REQUEST. Below v4 PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH (KIP-588).
 * v6 (two-phase commit, KIP-939) is not advertised.
 */
public final class InitProducerIdHandler implements ApiHandler {

    private static final long NO_PRODUCER_ID = -1L;
    private static final short NO_PRODUCER_EPOCH = -1;

    private final BrokerContext broker;
    private final TransactionTopicManager transactions;

    public InitProducerIdHandler(BrokerContext broker, TransactionTopicManager transactions) {
        this.broker = broker;
        this.transactions = transactions;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.INIT_PRODUCER_ID;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        InitProducerIdRequestData request = (InitProducerIdRequestData) message;
        InitProducerIdResponseData response = new InitProducerIdResponseData().setProducerId(NO_PRODUCER_ID).setProducerEpoch(NO_PRODUCER_EPOCH);
        if (request.transactionalId() == null) {
            response.setProducerId(broker.producerIds().generateProducerId()).setProducerEpoch((short) 0);
            return CompletableFuture.completedFuture(response);
        }
        boolean noId = request.producerId() == NO_PRODUCER_ID;
        boolean noEpoch = request.producerEpoch() == NO_PRODUCER_EPOCH;
        if (noId != noEpoch) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.INVALID_REQUEST.code()));
        }
        short version = context.apiVersion();
        return transactions.coordinator().initProducerId(request.transactionalId(), request.transactionTimeoutMs(),
                request.producerId(), request.producerEpoch()).thenApply(result -> {
                    Errors error = result.error() == Errors.PRODUCER_FENCED && version < 4 ? Errors.INVALID_PRODUCER_EPOCH : result.error();
                    return response.setErrorCode(error.code()).setProducerId(result.producerId()).setProducerEpoch(result.producerEpoch());
                });
    }
}
