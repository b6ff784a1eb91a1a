package io.fjord.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One topic config as Kafka defines it: name, type, default (in its string form, {@code null} when
 * Kafka has no default), documentation and validator. DescribeConfigs and CreateTopics validation
 * use the list from {@link LogConfig#topicConfigDefs()}.
 */
public record ConfigDef(String name, Type type, String defaultValue, String doc, Validator validator) {

    /** Kafka's config types that topic configs use. */
    public enum Type {
        BOOLEAN, STRING, INT, LONG, DOUBLE, LIST;

        /** Parses and type-checks {@code value}; {@code key} names the config in the exception. */
        public Object parse(String key, String value) {
            String trimmed = value.trim();
            try {
                return switch (this) {
                    case BOOLEAN -> {
                        String lower = trimmed.toLowerCase(Locale.ROOT);
                        if (!lower.equals("true") && !lower.equals("false")) {
                            throw new ConfigException(key, value, "expected true or false");
                        }
                        yield Boolean.parseBoolean(lower);
                    }
                    case STRING -> trimmed;
                    case INT -> Integer.parseInt(trimmed);
                    case LONG -> Long.parseLong(trimmed);
                    case DOUBLE -> Double.parseDouble(trimmed);
                    case LIST -> trimmed.isEmpty() ? List.of() : Arrays.stream(trimmed.split("\\s*,\\s*")).toList();
                };
            } catch (NumberFormatException e) {
                throw new ConfigException(key, value, "expected a value of type " + name().toLowerCase(Locale.ROOT));
            }
        }
    }

    /** Checks a parsed value. */
    public sealed interface Validator {
        void ensureValid(String key, Object value);

        /** Human-readable valid values, as DescribeConfigs documentation shows them. */
        String describe();
    }

    /** Any value of the right type. */
    public record AnyValue() implements Validator {
        @Override
        public void ensureValid(String key, Object value) {
        }

        @Override
        public String describe() {
            return "";
        }
    }

    /** Numeric range, bounds inclusive; a null bound is open. */
    public record Range(Number min, Number max) implements Validator {
        public static Range atLeast(Number min) {
            return new Range(min, null);
        }

        public static Range between(Number min, Number max) {
            return new Range(min, max);
        }

        @Override
        public void ensureValid(String key, Object value) {
            double n = ((Number) value).doubleValue();
            if ((min != null && n < min.doubleValue()) || (max != null && n > max.doubleValue())) {
                throw new ConfigException(key, String.valueOf(value), "Value must be " + describe());
            }
        }

        @Override
        public String describe() {
            if (max == null) {
                return "at least " + min;
            }
            return "[" + min + ",...," + max + "]";
        }
    }

    /** A number in a range or one extra sentinel value (gzip's -1 "default level"). */
    public record RangeOrValue(Range range, Number extra) implements Validator {
        @Override
        public void ensureValid(String key, Object value) {
            if (((Number) value).longValue() != extra.longValue()) {
                range.ensureValid(key, value);
            }
        }

        @Override
        public String describe() {
            return range.describe() + " or " + extra;
        }
    }

    /** One of a set of strings. */
    public record ValidString(Set<String> allowed) implements Validator {
        @Override
        public void ensureValid(String key, Object value) {
            if (!allowed.contains((String) value)) {
                throw new ConfigException(key, String.valueOf(value), "String must be one of: " + String.join(", ", allowed));
            }
        }

        @Override
        public String describe() {
            return String.join(", ", new ArrayList<>(allowed));
        }
    }

    /** A non-empty list whose elements are each one of a set of strings. */
    public record ValidList(Set<String> allowed) implements Validator {
        @Override
        public void ensureValid(String key, Object value) {
            List<?> list = (List<?>) value;
            if (list.isEmpty()) {
                throw new ConfigException(key, "", "the list must not be empty");
            }
            for (Object element : list) {
                if (!allowed.contains((String) element)) {
                    throw new ConfigException(key, String.valueOf(value), "Invalid value " + element + ", valid values are " + String.join(", ", allowed));
                }
            }
        }

        @Override
        public String describe() {
            return "[" + String.join(", ", new ArrayList<>(allowed)) + "]";
        }
    }

    /** Parses and validates {@code value}. */
    public Object parseAndValidate(String value) {
        Object parsed = type.parse(name, value);
        validator.ensureValid(name, parsed);
        return parsed;
    }
}
