package io.fjord.common.errors;

/**
 * A failure that has a Kafka error code. Cores throw it for bad input (a corrupt batch, a stale
 * producer epoch, an offset out of range); the broker's handlers translate it into the error code
 * of the partition or request it concerns. It never crosses the network as an exception.
 */
public class ApiException extends RuntimeException {

    private final Errors error;

    public ApiException(Errors error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}
