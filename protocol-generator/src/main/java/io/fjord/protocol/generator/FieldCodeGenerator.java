package io.fjord.protocol.generator;

import io.fjord.protocol.generator.FieldType.ScalarKind;

/**
 * Emits the statements that read, write and size one field's value. The same emitters serve plain
 * fields and tagged-field payloads; a {@link ValueContext} says which encoding applies.
 *
 * <p>Generated code uses the locals {@code _reader}, {@code _writer}, {@code _version} and
 * {@code _size}; array loops use {@code _count}, {@code _list}, {@code _i} and {@code _e} inside
 * their own block, so they never clash with each other or with fields (always {@code this.x}).
 */
final class FieldCodeGenerator {

    private static final String PROTOCOL_EXCEPTION = "io.fjord.protocol.types.ProtocolException";
    private static final String SIZES = "io.fjord.protocol.types.MessageSizes";

    /**
     * How a value is encoded where it is being emitted.
     *
     * @param compact  Java condition: compact (KIP-482) lengths instead of int16/int32 ones
     * @param nullable Java condition: null is allowed
     * @param tagged   whether this is a tagged-field payload (nullable structs use a varint marker)
     */
    record ValueContext(String compact, String nullable, boolean tagged) {
    }

    private final CodeBuffer out;
    private final Versions messageFlexibleVersions;

    FieldCodeGenerator(CodeBuffer out, Versions messageFlexibleVersions) {
        this.out = out;
        this.messageFlexibleVersions = messageFlexibleVersions;
    }

    /** The context of a field outside the tagged section: its own nullability, the (possibly overridden) flexibility. */
    ValueContext untaggedContext(FieldSpec field) {
        Versions flexible = field.flexibleVersions().orElse(messageFlexibleVersions);
        Versions present = field.untaggedVersions();
        return new ValueContext(flexible.javaCondition("_version", present),
            field.nullableVersions().javaCondition("_version", present), false);
    }

    /** Tagged payloads are always compact; nullability is all-or-nothing across tagged versions. */
    ValueContext taggedContext(FieldSpec field) {
        boolean nullable = !field.nullableVersions().intersect(field.taggedVersions()).isEmpty();
        return new ValueContext("true", Boolean.toString(nullable), true);
    }

    // ---- read ----

    void read(FieldSpec field, ValueContext context) {
        String target = "this." + field.javaName();
        switch (field.type()) {
            case FieldType.Scalar scalar -> readScalar(field, scalar.kind(), target, context);
            case FieldType.Struct struct -> readStruct(field, struct, target, context);
            case FieldType.Array array -> readArray(field, array, target, context);
        }
    }

    private void readScalar(FieldSpec field, ScalarKind kind, String target, ValueContext context) {
        switch (kind) {
            case STRING -> {
                out.line("%s = _reader.readNullableString(%s);", target, context.compact());
                nullCheckOnRead(field, target, context);
            }
            case BYTES -> {
                out.line("%s = _reader.readNullableBytes(%s);", target, context.compact());
                nullCheckOnRead(field, target, context);
            }
            case RECORDS -> {
                out.line("%s = _reader.readNullableRecords(%s);", target, context.compact());
                nullCheckOnRead(field, target, context);
            }
            default -> out.line("%s = %s;", target, fixedReadExpression(kind));
        }
    }

    private void readStruct(FieldSpec field, FieldType.Struct struct, String target, ValueContext context) {
        String construct = "new " + struct.name() + "(_reader, _version)";
        if (context.nullable().equals("false")) {
            out.line("%s = %s;", target, construct);
            return;
        }
        String marker = context.tagged() ? "_reader.readUnsignedVarint() == 0" : "_reader.readInt8() < 0";
        boolean opened = out.openIf(context.nullable());
        out.open("if (%s)", marker);
        out.line("%s = null;", target);
        out.reopen("else");
        out.line("%s = %s;", target, construct);
        out.close();
        if (opened) {
            out.reopen("else");
            out.line("%s = %s;", target, construct);
            out.close();
        }
    }

    private void readArray(FieldSpec field, FieldType.Array array, String target, ValueContext context) {
        FieldType element = array.element();
        out.open("");
        out.line("int _count = _reader.readArrayLength(%s);", context.compact());
        out.open("if (_count < 0)");
        if (context.nullable().equals("false")) {
            out.line("throw new %s(\"non-nullable field %s was serialized as null\");", PROTOCOL_EXCEPTION,
                field.javaName());
        } else {
            if (!context.nullable().equals("true")) {
                out.line("if (!(%s)) throw new %s(\"non-nullable field %s was serialized as null\");",
                    context.nullable(), PROTOCOL_EXCEPTION, field.javaName());
            }
            out.line("%s = null;", target);
        }
        out.reopen("else");
        out.line("java.util.ArrayList<%s> _list = new java.util.ArrayList<>(_count);", element.boxedJavaType());
        out.open("for (int _i = 0; _i < _count; _i++)");
        switch (element) {
            case FieldType.Struct struct -> out.line("_list.add(new %s(_reader, _version));", struct.name());
            case FieldType.Scalar scalar when scalar.kind() == ScalarKind.STRING -> {
                out.line("String _e = _reader.readNullableString(%s);", context.compact());
                elementNullCheckOnRead(field);
                out.line("_list.add(_e);");
            }
            case FieldType.Scalar scalar when scalar.kind() == ScalarKind.BYTES -> {
                out.line("byte[] _e = _reader.readNullableBytes(%s);", context.compact());
                elementNullCheckOnRead(field);
                out.line("_list.add(_e);");
            }
            case FieldType.Scalar scalar -> out.line("_list.add(%s);", fixedReadExpression(scalar.kind()));
            case FieldType.Array nested -> throw new SpecException("nested arrays are not supported: " + field.name());
        }
        out.close();
        out.line("%s = _list;", target);
        out.close();
        out.close();
    }

    private void elementNullCheckOnRead(FieldSpec field) {
        out.line("if (_e == null) throw new %s(\"null element in array %s\");", PROTOCOL_EXCEPTION, field.javaName());
    }

    private void nullCheckOnRead(FieldSpec field, String target, ValueContext context) {
        if (context.nullable().equals("true")) {
            return;
        }
        String condition = context.nullable().equals("false")
            ? target + " == null"
            : target + " == null && !(" + context.nullable() + ")";
        out.line("if (%s) throw new %s(\"non-nullable field %s was serialized as null\");", condition,
            PROTOCOL_EXCEPTION, field.javaName());
    }

    static String fixedReadExpression(ScalarKind kind) {
        return switch (kind) {
            case BOOL -> "_reader.readInt8() != 0";
            case INT8 -> "_reader.readInt8()";
            case INT16 -> "_reader.readInt16()";
            case UINT16 -> "_reader.readUnsignedInt16()";
            case INT32 -> "_reader.readInt32()";
            case UINT32 -> "_reader.readUnsignedInt32()";
            case INT64 -> "_reader.readInt64()";
            case FLOAT64 -> "_reader.readDouble()";
            case UUID -> "_reader.readUuid()";
            case STRING, BYTES, RECORDS -> throw new SpecException(kind.specName() + " is not fixed-length");
        };
    }

    // ---- write ----

    void write(FieldSpec field, ValueContext context) {
        String value = "this." + field.javaName();
        switch (field.type()) {
            case FieldType.Scalar scalar -> writeScalar(field, scalar.kind(), value, context);
            case FieldType.Struct struct -> writeStruct(field, value, context);
            case FieldType.Array array -> writeArray(field, array, value, context);
        }
    }

    private void writeScalar(FieldSpec field, ScalarKind kind, String value, ValueContext context) {
        switch (kind) {
            case STRING -> {
                nullCheckOnWrite(field, value, context);
                out.line("_writer.writeNullableString(%s, %s);", value, context.compact());
            }
            case BYTES -> {
                nullCheckOnWrite(field, value, context);
                out.line("_writer.writeNullableBytes(%s, %s);", value, context.compact());
            }
            case RECORDS -> {
                nullCheckOnWrite(field, value, context);
                out.line("_writer.writeNullableRecords(%s, %s);", value, context.compact());
            }
            default -> out.line("%s;", fixedWriteExpression(kind, value));
        }
    }

    private void writeStruct(FieldSpec field, String value, ValueContext context) {
        if (context.nullable().equals("false")) {
            nullCheckOnWrite(field, value, context);
            out.line("%s.write(_writer, _version);", value);
            return;
        }
        String nullMarker = context.tagged() ? "_writer.writeUnsignedVarint(0);" : "_writer.writeInt8((byte) -1);";
        String presentMarker = context.tagged() ? "_writer.writeUnsignedVarint(1);" : "_writer.writeInt8((byte) 1);";
        out.open("if (%s == null)", value);
        nullCheckOnWrite(field, value, context);
        out.line(nullMarker);
        out.reopen("else");
        if (context.nullable().equals("true")) {
            out.line(presentMarker);
        } else {
            out.line("if (%s) %s", context.nullable(), presentMarker);
        }
        out.line("%s.write(_writer, _version);", value);
        out.close();
    }

    private void writeArray(FieldSpec field, FieldType.Array array, String value, ValueContext context) {
        nullCheckOnWrite(field, value, context);
        boolean mayBeNull = !context.nullable().equals("false");
        if (mayBeNull) {
            out.open("if (%s == null)", value);
            out.line("_writer.writeArrayLength(-1, %s);", context.compact());
            out.reopen("else");
        }
        out.line("_writer.writeArrayLength(%s.size(), %s);", value, context.compact());
        FieldType element = array.element();
        out.open("for (%s _e : %s)", element.boxedJavaType(), value);
        String checked = "java.util.Objects.requireNonNull(_e, \"null element in array " + field.javaName() + "\")";
        switch (element) {
            case FieldType.Struct struct -> out.line("%s.write(_writer, _version);", checked);
            case FieldType.Scalar scalar when scalar.kind() == ScalarKind.STRING ->
                out.line("_writer.writeNullableString(%s, %s);", checked, context.compact());
            case FieldType.Scalar scalar when scalar.kind() == ScalarKind.BYTES ->
                out.line("_writer.writeNullableBytes(%s, %s);", checked, context.compact());
            case FieldType.Scalar scalar -> out.line("%s;", fixedWriteExpression(scalar.kind(), checked));
            case FieldType.Array nested -> throw new SpecException("nested arrays are not supported: " + field.name());
        }
        out.close();
        if (mayBeNull) {
            out.close();
        }
    }

    private void nullCheckOnWrite(FieldSpec field, String value, ValueContext context) {
        if (context.nullable().equals("true")) {
            return;
        }
        String condition = context.nullable().equals("false")
            ? value + " == null"
            : value + " == null && !(" + context.nullable() + ")";
        out.line("if (%s) throw new IllegalArgumentException(\"field %s is null, which version \" + _version"
            + " + \" of %s does not allow\");", condition, field.javaName(), "this message");
    }

    static String fixedWriteExpression(ScalarKind kind, String value) {
        return switch (kind) {
            case BOOL -> "_writer.writeInt8(" + value + " ? (byte) 1 : (byte) 0)";
            case INT8 -> "_writer.writeInt8(" + value + ")";
            case INT16 -> "_writer.writeInt16(" + value + ")";
            case UINT16 -> "_writer.writeUnsignedInt16(" + value + ")";
            case INT32 -> "_writer.writeInt32(" + value + ")";
            case UINT32 -> "_writer.writeUnsignedInt32(" + value + ")";
            case INT64 -> "_writer.writeInt64(" + value + ")";
            case FLOAT64 -> "_writer.writeDouble(" + value + ")";
            case UUID -> "_writer.writeUuid(" + value + ")";
            case STRING, BYTES, RECORDS -> throw new SpecException(kind.specName() + " is not fixed-length");
        };
    }

    // ---- size ----

    void size(FieldSpec field, ValueContext context) {
        String value = "this." + field.javaName();
        switch (field.type()) {
            case FieldType.Scalar scalar -> out.line("_size += %s;", scalarSizeExpression(scalar.kind(), value, context));
            case FieldType.Struct struct -> sizeStruct(value, context);
            case FieldType.Array array -> sizeArray(array, value, context);
        }
    }

    private void sizeStruct(String value, ValueContext context) {
        if (context.nullable().equals("false")) {
            out.line("_size += %s.size(_version);", value);
            return;
        }
        // One marker byte (int8 -1/1, or varint 0/1 when tagged) in every nullable version.
        if (context.nullable().equals("true")) {
            out.line("_size += 1;");
        } else {
            out.line("if (%s) _size += 1;", context.nullable());
        }
        out.line("if (%s != null) _size += %s.size(_version);", value, value);
    }

    private void sizeArray(FieldType.Array array, String value, ValueContext context) {
        out.open("if (%s == null)", value);
        out.line("_size += %s.sizeOfArrayLength(-1, %s);", SIZES, context.compact());
        out.reopen("else");
        out.line("_size += %s.sizeOfArrayLength(%s.size(), %s);", SIZES, value, context.compact());
        switch (array.element()) {
            case FieldType.Scalar scalar when scalar.kind().isFixedLength() ->
                out.line("_size += %s.size() * %d;", value, scalar.kind().fixedBytes());
            case FieldType.Scalar scalar -> {
                out.open("for (%s _e : %s)", scalar.boxedJavaType(), value);
                out.line("_size += %s;", scalarSizeExpression(scalar.kind(), "_e", context));
                out.close();
            }
            case FieldType.Struct struct -> {
                out.open("for (%s _e : %s)", struct.name(), value);
                out.line("_size += _e.size(_version);");
                out.close();
            }
            case FieldType.Array nested -> throw new SpecException("nested arrays are not supported");
        }
        out.close();
    }

    private static String scalarSizeExpression(ScalarKind kind, String value, ValueContext context) {
        return switch (kind) {
            case STRING -> SIZES + ".sizeOfNullableString(" + value + ", " + context.compact() + ")";
            case BYTES -> SIZES + ".sizeOfNullableBytes(" + value + ", " + context.compact() + ")";
            case RECORDS -> SIZES + ".sizeOfNullableRecords(" + value + ", " + context.compact() + ")";
            default -> Integer.toString(kind.fixedBytes());
        };
    }

    // ---- tagged fields ----

    /**
     * A Java condition that is true when a tagged field differs from its default and so goes on the
     * wire. Mirrors Kafka's rule so both sides write the same tagged fields: a null in a nullable
     * field with a non-null default counts as non-default.
     */
    static String nonDefaultCondition(FieldSpec field) {
        String value = "this." + field.javaName();
        String defaultExpression = FieldDefaults.javaExpression(field);
        if (field.hasNullDefault()) {
            return value + " != null";
        }
        // A null in a non-nullable field also counts, so that write() reaches the null check and names the field.
        String orNull = value + " == null || ";
        return switch (field.type()) {
            case FieldType.Array array -> "(" + orNull + "!" + value + ".isEmpty())";
            case FieldType.Struct struct -> "!java.util.Objects.equals(" + value + ", " + defaultExpression + ")";
            case FieldType.Scalar scalar -> switch (scalar.kind()) {
                case BYTES -> "(" + orNull + value + ".length != 0)";
                case STRING, UUID -> "!java.util.Objects.equals(" + value + ", " + defaultExpression + ")";
                case RECORDS -> throw new SpecException("records cannot be tagged: " + field.name());
                default -> value + " != " + defaultExpression;
            };
        };
    }
}
