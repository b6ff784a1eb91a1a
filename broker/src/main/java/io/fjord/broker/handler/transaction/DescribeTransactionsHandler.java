package io.fjord.broker.handler.transaction;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.transaction.TransactionTopicManager;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.DescribeTransactionsRequestData;
import io.fjord.protocol.message.DescribeTransactionsResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeTransactions (key 65), version 0 (Admin {@code describeTransactions},
 * {@code kafka-transactions.sh describe}): state, producer id and epoch, timeout, start time and
 * partitions of each transactional id; TRANSACTIONAL_ID_NOT_FOUND for an unknown one.
 */
public final class DescribeTransactionsHandler implements ApiHandler {

    private final TransactionTopicManager transactions;

    public DescribeTransactionsHandler(TransactionTopicManager transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.DESCRIBE_TRANSACTIONS;
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
        DescribeTransactionsRequestData request = (DescribeTransactionsRequestData) message;
        return transactions.coordinator().describeTransactions(request.transactionalIds())
                .thenApply(states -> new DescribeTransactionsResponseData().setTransactionStates(states));
    }
}
