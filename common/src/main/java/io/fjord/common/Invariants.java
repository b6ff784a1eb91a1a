package io.fjord.common;

/**
 * Cheap, always-on checks for what must never happen. A failed invariant is a bug in Fjord,
 * never bad input: input errors are reported as Kafka error codes instead.
 */
public final class Invariants {

    private Invariants() {
    }

    /** Throws {@link IllegalStateException} with the formatted message when {@code condition} is false. */
    public static void check(boolean condition, String message, Object... args) {
        if (!condition) {
            throw new IllegalStateException("invariant violated: " + String.format(message, args));
        }
    }
}
