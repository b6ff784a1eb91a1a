package io.fjord.protocol.generator;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Locale;

/**
 * Turns a field's {@code default} text into the Java expression of its initial value, validating it
 * on the way: hex and decimal integers in range, case-insensitive booleans, base64 uuids, and
 * {@code "null"} only where the field is nullable in all of its versions.
 *
 * <p>Missing defaults: 0, false, "", {@code Uuid.ZERO}, empty list, empty byte array, a new struct;
 * records default to null.
 */
final class FieldDefaults {

    private FieldDefaults() {
    }

    static String javaExpression(FieldSpec field) {
        String text = field.defaultValue();
        if (text.equals("null")) {
            checkNullAllowed(field);
            return "null";
        }
        return switch (field.type()) {
            case FieldType.Scalar scalar -> scalarDefault(field, scalar.kind(), text);
            case FieldType.Array array -> {
                requireEmpty(field, text, "an array field may only default to empty or null");
                yield "new java.util.ArrayList<" + array.element().boxedJavaType() + ">(0)";
            }
            case FieldType.Struct struct -> {
                requireEmpty(field, text, "a struct field may only default to empty or null");
                yield "new " + struct.name() + "()";
            }
        };
    }

    private static String scalarDefault(FieldSpec field, FieldType.ScalarKind kind, String text) {
        return switch (kind) {
            case BOOL -> {
                if (text.isEmpty() || text.equalsIgnoreCase("false")) {
                    yield "false";
                }
                if (text.equalsIgnoreCase("true")) {
                    yield "true";
                }
                throw invalid(field, text);
            }
            case INT8 -> "(byte) " + integer(field, text, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16 -> "(short) " + integer(field, text, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT16 -> Long.toString(integer(field, text, 0, 0xFFFF));
            case INT32 -> Long.toString(integer(field, text, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT32 -> integer(field, text, 0, 0xFFFF_FFFFL) + "L";
            case INT64 -> integer(field, text, Long.MIN_VALUE, Long.MAX_VALUE) + "L";
            case FLOAT64 -> float64(field, text);
            case UUID -> uuid(field, text);
            case STRING -> JavaNames.stringLiteral(text);
            case BYTES -> {
                requireEmpty(field, text, "a bytes field may only default to empty or null");
                yield "new byte[0]";
            }
            case RECORDS -> {
                requireEmpty(field, text, "a records field may only default to null");
                yield "null";
            }
        };
    }

    private static long integer(FieldSpec field, String text, long min, long max) {
        if (text.isEmpty()) {
            return 0;
        }
        long value;
        try {
            String lower = text.toLowerCase(Locale.ROOT);
            value = lower.startsWith("0x") ? Long.parseLong(lower.substring(2), 16) : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new SpecException("invalid default '" + text + "' for " + field.type() + " field " + field.name(), e);
        }
        if (value < min || value > max) {
            throw new SpecException("default " + text + " of field " + field.name() + " is out of range for " + field.type());
        }
        return value;
    }

    private static String float64(FieldSpec field, String text) {
        if (text.isEmpty()) {
            return "0.0";
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new SpecException("invalid default '" + text + "' for float64 field " + field.name(), e);
        }
        if (Double.isNaN(value)) {
            return "Double.NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        return Double.toString(value);
    }

    private static String uuid(FieldSpec field, String text) {
        if (text.isEmpty()) {
            return "io.fjord.common.Uuid.ZERO";
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text));
            if (bytes.remaining() != 16) {
                throw invalid(field, text);
            }
        } catch (IllegalArgumentException e) {
            throw new SpecException("invalid uuid default '" + text + "' for field " + field.name(), e);
        }
        return "io.fjord.common.Uuid.fromString(" + JavaNames.stringLiteral(text) + ")";
    }

    private static void checkNullAllowed(FieldSpec field) {
        if (!field.type().canBeNullable()) {
            throw new SpecException("field " + field.name() + " of type " + field.type() + " cannot default to null");
        }
        if (!field.nullableVersions().containsAll(field.versions())) {
            throw new SpecException("null cannot be the default of field " + field.name()
                + ": it is not nullable in all of its versions " + field.versions());
        }
    }

    private static void requireEmpty(FieldSpec field, String text, String rule) {
        if (!text.isEmpty()) {
            throw new SpecException("invalid default '" + text + "' for field " + field.name() + ": " + rule);
        }
    }

    private static SpecException invalid(FieldSpec field, String text) {
        return new SpecException("invalid default '" + text + "' for " + field.type() + " field " + field.name());
    }
}
