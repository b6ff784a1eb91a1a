package io.fjord.perf.client;

import io.fjord.protocol.types.ApiMessage;

/**
 * Hears what becomes of a request. Called on the event-loop thread from inside
 * {@link PerfClient#poll}; the response's records are slices of the connection's receive buffer and
 * are only valid until the listener returns.
 */
public interface ResponseListener {

    /** The broker answered {@code request} with {@code response} (its error codes are the listener's to check). */
    void onResponse(InFlightRequest request, ApiMessage response, long nowNs);

    /** A request that expects no response (Produce with acks=0) has been written to the socket completely. */
    default void onSent(InFlightRequest request, long nowNs) {
    }
}
