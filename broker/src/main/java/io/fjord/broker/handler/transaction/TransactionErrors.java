package io.fjord.broker.handler.transaction;

import io.fjord.common.errors.Errors;

/**
 * Version-dependent error translation shared by the transaction handlers. KIP-588 added
 * PRODUCER_FENCED in InitProducerId v4, AddPartitionsToTxn v2, AddOffsetsToTxn v2 and EndTxn v2;
 * older clients only understand INVALID_PRODUCER_EPOCH, so Kafka answers that below those versions.
 */
final class TransactionErrors {

    private TransactionErrors() {
    }

    static Errors forVersion(Errors error, short version, short firstVersionWithProducerFenced) {
        return error == Errors.PRODUCER_FENCED && version < firstVersionWithProducerFenced ? Errors.INVALID_PRODUCER_EPOCH : error;
    }
}
