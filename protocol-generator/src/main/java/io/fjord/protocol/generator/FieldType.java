package io.fjord.protocol.generator;

/**
 * The type of a field in the spec language: a scalar ({@code int32}, {@code string}, ...), an
 * array {@code []T} of a scalar or a struct, or a struct named by a capitalised identifier.
 */
public sealed interface FieldType permits FieldType.Scalar, FieldType.Array, FieldType.Struct {

    /** The Java type of a field of this type (fully qualified outside java.lang). */
    String javaType();

    /** The boxed Java type, for list elements. */
    String boxedJavaType();

    /** Whether {@code nullableVersions} may name this type (Kafka: string, bytes, records, arrays, structs). */
    boolean canBeNullable();

    static FieldType parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SpecException("missing field type");
        }
        if (text.startsWith("[]")) {
            FieldType element = parse(text.substring(2));
            if (element instanceof Array) {
                throw new SpecException("nested arrays are not supported: " + text);
            }
            if (element instanceof Scalar scalar && scalar.kind() == ScalarKind.RECORDS) {
                throw new SpecException("arrays of records are not supported: " + text);
            }
            return new Array(element);
        }
        for (ScalarKind kind : ScalarKind.values()) {
            if (kind.specName.equals(text)) {
                return new Scalar(kind);
            }
        }
        if (JavaNames.isStructName(text)) {
            return new Struct(text);
        }
        throw new SpecException("unknown field type '" + text + "'");
    }

    /** The non-struct, non-array types. {@code fixedBytes} is 0 for variable-length ones. */
    enum ScalarKind {
        BOOL("bool", "boolean", "Boolean", 1),
        INT8("int8", "byte", "Byte", 1),
        INT16("int16", "short", "Short", 2),
        UINT16("uint16", "int", "Integer", 2),
        INT32("int32", "int", "Integer", 4),
        UINT32("uint32", "long", "Long", 4),
        INT64("int64", "long", "Long", 8),
        FLOAT64("float64", "double", "Double", 8),
        UUID("uuid", "io.fjord.common.Uuid", "io.fjord.common.Uuid", 16),
        STRING("string", "String", "String", 0),
        BYTES("bytes", "byte[]", "byte[]", 0),
        RECORDS("records", "io.fjord.record.BaseRecords", "io.fjord.record.BaseRecords", 0);

        final String specName;
        final String javaType;
        final String boxedJavaType;
        final int fixedBytes;

        ScalarKind(String specName, String javaType, String boxedJavaType, int fixedBytes) {
            this.specName = specName;
            this.javaType = javaType;
            this.boxedJavaType = boxedJavaType;
            this.fixedBytes = fixedBytes;
        }

        public String specName() {
            return specName;
        }

        public int fixedBytes() {
            return fixedBytes;
        }

        public boolean isFixedLength() {
            return fixedBytes > 0;
        }
    }

    record Scalar(ScalarKind kind) implements FieldType {
        @Override
        public String javaType() {
            return kind.javaType;
        }

        @Override
        public String boxedJavaType() {
            return kind.boxedJavaType;
        }

        @Override
        public boolean canBeNullable() {
            return kind == ScalarKind.STRING || kind == ScalarKind.BYTES || kind == ScalarKind.RECORDS;
        }

        @Override
        public String toString() {
            return kind.specName;
        }
    }

    record Array(FieldType element) implements FieldType {
        @Override
        public String javaType() {
            return "java.util.List<" + element.boxedJavaType() + ">";
        }

        @Override
        public String boxedJavaType() {
            return javaType();
        }

        @Override
        public boolean canBeNullable() {
            return true;
        }

        @Override
        public String toString() {
            return "[]" + element;
        }
    }

    record Struct(String name) implements FieldType {
        @Override
        public String javaType() {
            return name;
        }

        @Override
        public String boxedJavaType() {
            return name;
        }

        @Override
        public boolean canBeNullable() {
            return true;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
