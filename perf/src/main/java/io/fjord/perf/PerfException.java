package io.fjord.perf;

import io.fjord.common.errors.Errors;

/**
 * A failure that ends a perf run with exit code 1: a broker error code, a lost connection, a
 * timeout. The message is written for the person at the terminal; {@link PerfMain} prints it once.
 */
public final class PerfException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PerfException(String message) {
        super(message);
    }

    public PerfException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A broker's error code as Kafka names it, e.g. {@code NOT_LEADER_OR_FOLLOWER (6)}; unknown codes keep their number. */
    public static String errorName(short code) {
        Errors error = Errors.forCode(code);
        if (error == Errors.UNKNOWN_SERVER_ERROR && code != Errors.UNKNOWN_SERVER_ERROR.code()) {
            return "error code " + code;
        }
        return error.name() + " (" + code + ")";
    }

    /** An exception for an error code the broker answered, with where it happened. */
    public static PerfException brokerError(String what, short code, String brokerMessage) {
        String detail = brokerMessage == null || brokerMessage.isEmpty() ? Errors.forCode(code).message() : brokerMessage;
        return new PerfException(what + ": the broker answered " + errorName(code) + (detail.isEmpty() ? "" : ": " + detail));
    }
}
