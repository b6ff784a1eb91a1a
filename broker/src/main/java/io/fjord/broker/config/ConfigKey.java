package io.fjord.broker.config;

import java.util.function.Function;

/**
 * One broker config key: Kafka's name, its type, Kafka's default and a check. Parsing a bad value
 * throws {@link BrokerConfigException} naming the key, so start-up stops with a clear message.
 */
public record ConfigKey<T>(String name, Function<String, T> parser, String defaultValue, Check<T> check, String doc) {

    @FunctionalInterface
    public interface Check<T> {
        /** Returns null when the value is fine, otherwise why it is not. */
        String problem(T value);
    }

    public T parse(String raw) {
        T value;
        try {
            value = parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new BrokerConfigException(name, raw, "not a valid " + typeName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        String problem = check == null ? null : check.problem(value);
        if (problem != null) {
            throw new BrokerConfigException(name, raw, problem);
        }
        return value;
    }

    private String typeName() {
        return doc.startsWith("[") ? doc.substring(1, doc.indexOf(']')) : "value";
    }

    public static Long parseLong(String raw) {
        return Long.parseLong(raw);
    }

    public static Integer parseInt(String raw) {
        return Integer.parseInt(raw);
    }

    public static Boolean parseBoolean(String raw) {
        if (raw.equalsIgnoreCase("true")) {
            return true;
        }
        if (raw.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    public static <N extends Number> Check<N> atLeast(long min) {
        return value -> value.longValue() >= min ? null : "must be at least " + min;
    }
}
