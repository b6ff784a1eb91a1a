package io.fjord.protocol.generator;

/**
 * Emits {@code equals}, {@code hashCode} and {@code toString} for a generated class. Equality is by
 * value over every field plus the unknown tagged fields (null and empty lists are equal); byte
 * arrays compare by content, doubles with {@link Double#compare}.
 */
final class ObjectMethodsGenerator {

    private final CodeBuffer out;
    private final StructSpec struct;

    ObjectMethodsGenerator(CodeBuffer out, StructSpec struct) {
        this.out = out;
        this.struct = struct;
    }

    void generate() {
        generateEquals();
        generateHashCode();
        generateToString();
    }

    private void generateEquals() {
        out.line("@Override");
        out.open("public boolean equals(Object _object)");
        out.line("if (this == _object) return true;");
        out.line("if (!(_object instanceof %s _other)) return false;", struct.name());
        for (FieldSpec field : struct.fields()) {
            out.line("if (%s) return false;", differs(field));
        }
        out.line("return io.fjord.protocol.types.RawTaggedField.listsEqual(this._unknownTaggedFields, _other._unknownTaggedFields);");
        out.close();
        out.blank();
    }

    private static String differs(FieldSpec field) {
        String a = "this." + field.javaName();
        String b = "_other." + field.javaName();
        if (field.type() instanceof FieldType.Scalar scalar) {
            return switch (scalar.kind()) {
                case BOOL, INT8, INT16, UINT16, INT32, UINT32, INT64 -> a + " != " + b;
                case FLOAT64 -> "Double.compare(" + a + ", " + b + ") != 0";
                case BYTES -> "!java.util.Arrays.equals(" + a + ", " + b + ")";
                case UUID, STRING, RECORDS -> "!java.util.Objects.equals(" + a + ", " + b + ")";
            };
        }
        return "!java.util.Objects.equals(" + a + ", " + b + ")";
    }

    private void generateHashCode() {
        out.line("@Override");
        out.open("public int hashCode()");
        out.line("int _hash = 0;");
        for (FieldSpec field : struct.fields()) {
            out.line("_hash = 31 * _hash + %s;", hash(field));
        }
        out.line("return _hash;");
        out.close();
        out.blank();
    }

    private static String hash(FieldSpec field) {
        String value = "this." + field.javaName();
        if (field.type() instanceof FieldType.Scalar scalar) {
            return switch (scalar.kind()) {
                case BOOL -> "Boolean.hashCode(" + value + ")";
                case INT8 -> "Byte.hashCode(" + value + ")";
                case INT16 -> "Short.hashCode(" + value + ")";
                case UINT16, INT32 -> "Integer.hashCode(" + value + ")";
                case UINT32, INT64 -> "Long.hashCode(" + value + ")";
                case FLOAT64 -> "Double.hashCode(" + value + ")";
                case BYTES -> "java.util.Arrays.hashCode(" + value + ")";
                case UUID, STRING, RECORDS -> "java.util.Objects.hashCode(" + value + ")";
            };
        }
        return "java.util.Objects.hashCode(" + value + ")";
    }

    private void generateToString() {
        out.line("@Override");
        out.open("public String toString()");
        out.line("StringBuilder _text = new StringBuilder(\"%s(\");", struct.name());
        String separator = "";
        for (FieldSpec field : struct.fields()) {
            String value = "this." + field.javaName();
            boolean isBytes = field.type() instanceof FieldType.Scalar scalar && scalar.kind() == FieldType.ScalarKind.BYTES;
            String rendered = isBytes ? "java.util.Arrays.toString(" + value + ")" : value;
            out.line("_text.append(\"%s%s=\").append(%s);", separator, field.javaName(), rendered);
            separator = ", ";
        }
        out.line("return _text.append(')').toString();");
        out.close();
    }
}
