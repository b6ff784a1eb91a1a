package io.fjord.broker.handler.transaction;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.transaction.TransactionTopicManager;
import io.fjord.coordinator.transaction.TransactionState;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ListTransactionsRequestData;
import io.fjord.protocol.message.ListTransactionsResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * ListTransactions (key 66), versions 0-1 (Admin {@code listTransactions},
 * {@code kafka-transactions.sh list}): the transactional ids this coordinator owns, filtered by
 * state, producer id and (v1) minimum open duration. Unknown state names are echoed in
 * UnknownStateFilters and match nothing, as in Kafka. v2 (id pattern, KIP-1152) is not advertised.
 */
public final class ListTransactionsHandler implements ApiHandler {

    private final TransactionTopicManager transactions;

    public ListTransactionsHandler(TransactionTopicManager transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.LIST_TRANSACTIONS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        ListTransactionsRequestData request = (ListTransactionsRequestData) message;
        Set<TransactionState> states = EnumSet.noneOf(TransactionState.class);
        List<String> unknown = new ArrayList<>();
        for (String name : request.stateFilters()) {
            Optional<TransactionState> state = TransactionState.fromDisplayName(name);
            state.ifPresentOrElse(states::add, () -> unknown.add(name));
        }
        ListTransactionsResponseData response = new ListTransactionsResponseData().setUnknownStateFilters(unknown);
        if (!unknown.isEmpty() && states.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        long minDurationMs = context.apiVersion() >= 1 ? request.durationFilter() : -1;
        return transactions.coordinator().listTransactions(Set.copyOf(request.producerIdFilters()), states, minDurationMs)
                .thenApply(result -> response.setErrorCode(result.error().code()).setTransactionStates(result.transactions()));
    }
}
