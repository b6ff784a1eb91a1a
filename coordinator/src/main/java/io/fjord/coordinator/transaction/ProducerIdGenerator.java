package io.fjord.coordinator.transaction;

/**
 * The port through which the transaction coordinator gets new producer ids: the broker hands them
 * out from blocks reserved in the metadata log, so an id is never reused across restarts. Tests use
 * a counter. Called on the coordinator's event-loop thread; may block briefly while a block is reserved.
 */
@FunctionalInterface
public interface ProducerIdGenerator {

    /** A producer id never handed out before; throws an {@link io.fjord.common.errors.ApiException} when none can be had. */
    long generateProducerId();
}
