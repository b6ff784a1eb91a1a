package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.InitProducerIdRequestData;
import io.fjord.protocol.message.InitProducerIdResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.concurrent.CompletableFuture;

/**
 * InitProducerId (key 22), versions 0-5, for idempotent producers: every call gets a fresh
 * producer id with epoch 0, as Kafka does without a transactional id (the client bumps epochs
 * itself, KIP-360). Transactional ids need the transaction coordinator (issue 4) and are answered
 * with COORDINATOR_NOT_AVAILABLE until then.
 */
public final class InitProducerIdHandler implements ApiHandler {

    private final BrokerContext broker;

    public InitProducerIdHandler(BrokerContext broker) {
        this.broker = broker;
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
        InitProducerIdResponseData response = new InitProducerIdResponseData().setProducerId(-1L).setProducerEpoch((short) -1);
        if (request.transactionalId() != null) {
            response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        } else {
            response.setProducerId(broker.producerIds().generateProducerId()).setProducerEpoch((short) 0);
        }
        return CompletableFuture.completedFuture(response);
    }
}
