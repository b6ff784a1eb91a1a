package io.fjord.broker.handler.group;

import io.fjord.broker.config.Endpoint;
import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.broker.server.transaction.TransactionTopicManager;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.FindCoordinatorRequestData;
import io.fjord.protocol.message.FindCoordinatorResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.concurrent.CompletableFuture;

/**
 * FindCoordinator (key 10), versions 0-5. Key type 0 (group) and 1 (transaction): this node, at
 * the advertised address of the listener the request came in on, after making sure
 * {@code __consumer_offsets} or {@code __transaction_state} exists and is loading; any other key
 * type is INVALID_REQUEST. v4+ carries a batch of keys.
 * Version 6 (share groups, key type 2) is not advertised.
 */
public final class FindCoordinatorHandler implements ApiHandler {

    static final byte GROUP_KEY_TYPE = 0;
    static final byte TRANSACTION_KEY_TYPE = 1;

    private final BrokerContext broker;
    private final OffsetsTopicManager groups;
    private final TransactionTopicManager transactions;

    public FindCoordinatorHandler(BrokerContext broker, OffsetsTopicManager groups, TransactionTopicManager transactions) {
        this.broker = broker;
        this.groups = groups;
        this.transactions = transactions;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.FIND_COORDINATOR;
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
        FindCoordinatorRequestData request = (FindCoordinatorRequestData) message;
        Endpoint advertised = broker.advertisedFor(context.listener());
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (context.apiVersion() >= 4) {
            for (String key : request.coordinatorKeys()) {
                response.coordinators().add(coordinatorFor(key, request.keyType(), advertised));
            }
        } else {
            FindCoordinatorResponseData.Coordinator single = coordinatorFor(request.key(), request.keyType(), advertised);
            response.setErrorCode(single.errorCode()).setErrorMessage(single.errorMessage())
                    .setNodeId(single.nodeId()).setHost(single.host()).setPort(single.port());
        }
        return CompletableFuture.completedFuture(response);
    }

    private FindCoordinatorResponseData.Coordinator coordinatorFor(String key, byte keyType, Endpoint advertised) {
        FindCoordinatorResponseData.Coordinator coordinator = new FindCoordinatorResponseData.Coordinator().setKey(key);
        Errors error = switch (keyType) {
            case GROUP_KEY_TYPE -> groups.ensureReady();
            case TRANSACTION_KEY_TYPE -> transactions.ensureReady();
            default -> Errors.INVALID_REQUEST;
        };
        if (error != Errors.NONE) {
            return coordinator.setErrorCode(error.code()).setErrorMessage(error.message()).setNodeId(-1).setHost("").setPort(-1);
        }
        return coordinator.setNodeId(broker.nodeId()).setHost(advertised.host()).setPort(advertised.port()).setErrorMessage(null);
    }

}
