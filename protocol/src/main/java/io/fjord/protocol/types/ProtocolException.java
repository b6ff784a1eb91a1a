package io.fjord.protocol.types;

/**
 * Bytes that do not decode as the message they claim to be: truncated frames, lengths or counts
 * larger than the bytes that follow, malformed varints, nulls where the version forbids them.
 *
 * <p>Thrown by {@link MessageReader} and by generated {@code read} methods. The network layer
 * catches it at the connection boundary, logs once and closes that connection (STYLE.md, Errors).
 */
public class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
