package io.fjord.protocol.generator;

/** A spec the generator does not understand or that breaks the spec language's rules; fails the build. */
public final class SpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
