package io.fjord.protocol.generator;

import java.util.Comparator;
import java.util.List;

/**
 * Emits the body of one generated class: fields, constructors, {@code read}/{@code write}/{@code size},
 * accessors, and {@code equals}/{@code hashCode}/{@code toString}. Used for the top-level message
 * and for every nested struct alike.
 *
 * <p>Every version check is a plain range test on {@code _version}, correct for any version number.
 */
final class StructGenerator {

    private static final String MESSAGE_TYPES = "io.fjord.protocol.types.";
    private static final String RAW_LIST = "java.util.List<" + MESSAGE_TYPES + "RawTaggedField>";

    private final CodeBuffer out;
    private final StructSpec struct;
    private final Versions flexibleVersions;
    private final FieldCodeGenerator codec;
    private final List<FieldSpec> taggedFields;

    StructGenerator(CodeBuffer out, StructSpec struct, Versions flexibleVersions) {
        this.out = out;
        this.struct = struct;
        this.flexibleVersions = flexibleVersions;
        this.codec = new FieldCodeGenerator(out, flexibleVersions);
        this.taggedFields = struct.fields().stream()
            .filter(FieldSpec::isTagged)
            .sorted(Comparator.comparing(field -> field.tag().orElseThrow()))
            .toList();
    }

    void generateBody() {
        declareFields();
        generateConstructors();
        generateRead();
        generateWrite();
        generateSize();
        generateTaggedSizes();
        generateAccessors();
        new ObjectMethodsGenerator(out, struct).generate();
    }

    private void declareFields() {
        for (FieldSpec field : struct.fields()) {
            out.line("private %s %s;", field.type().javaType(), field.javaName());
        }
        out.line("private %s _unknownTaggedFields;", RAW_LIST);
        out.blank();
    }

    private void generateConstructors() {
        out.line("/** A message with every field at its default. */");
        out.open("public %s()", struct.name());
        for (FieldSpec field : struct.fields()) {
            out.line("this.%s = %s;", field.javaName(), FieldDefaults.javaExpression(field));
        }
        out.close();
        out.blank();
        out.line("/** Reads a message of {@code version} from {@code reader}. */");
        out.open("public %s(%sMessageReader _reader, short _version)", struct.name(), MESSAGE_TYPES);
        out.line("read(_reader, _version);");
        out.close();
        out.blank();
    }

    private void generateRead() {
        out.line("@Override");
        out.open("public void read(%sMessageReader _reader, short _version)", MESSAGE_TYPES);
        for (FieldSpec field : struct.fields()) {
            String present = field.untaggedVersions().javaCondition("_version");
            String defaultExpression = FieldDefaults.javaExpression(field);
            if (present.equals("false")) {
                out.line("this.%s = %s;", field.javaName(), defaultExpression);
                continue;
            }
            boolean opened = out.openIf(present);
            codec.read(field, codec.untaggedContext(field));
            if (opened) {
                out.reopen("else");
                out.line("this.%s = %s;", field.javaName(), defaultExpression);
                out.close();
            }
        }
        out.line("this._unknownTaggedFields = null;");
        String flexible = flexibleVersions.javaCondition("_version");
        if (!flexible.equals("false")) {
            boolean opened = out.openIf(flexible);
            generateTaggedFieldsRead();
            out.closeIf(opened);
        }
        out.close();
        out.blank();
    }

    private void generateTaggedFieldsRead() {
        out.line("int _numTaggedFields = _reader.readTaggedFieldHeader(\"count\");");
        out.open("for (int _t = 0; _t < _numTaggedFields; _t++)");
        out.line("int _tag = _reader.readTaggedFieldHeader(\"tag\");");
        out.line("int _tagSize = _reader.readTaggedFieldHeader(\"size\");");
        out.line("_reader.requireRemaining(_tagSize, \"tagged field \" + _tag);");
        out.line("int _tagStart = _reader.position();");
        String readUnknown = "this._unknownTaggedFields = _reader.readUnknownTaggedField(this._unknownTaggedFields, _tag, _tagSize);";
        if (taggedFields.isEmpty()) {
            out.line(readUnknown);
        } else {
            out.open("switch (_tag)");
            for (FieldSpec field : taggedFields) {
                out.open("case %d:", field.tag().orElseThrow());
                String tagged = field.taggedVersions().javaCondition("_version");
                boolean opened = out.openIf(tagged);
                codec.read(field, codec.taggedContext(field));
                if (opened) {
                    out.reopen("else");
                    out.line("throw new %sProtocolException(\"tag %d is not valid in version \" + _version);",
                        MESSAGE_TYPES, field.tag().orElseThrow());
                    out.close();
                }
                out.line("break;");
                out.close();
            }
            out.open("default:");
            out.line(readUnknown);
            out.line("break;");
            out.close();
            out.close();
        }
        out.open("if (_reader.position() - _tagStart != _tagSize)");
        out.line("throw new %sProtocolException(\"tagged field \" + _tag + \" declares \" + _tagSize"
            + " + \" bytes but its value took \" + (_reader.position() - _tagStart));", MESSAGE_TYPES);
        out.close();
        out.close();
    }

    private void generateWrite() {
        out.line("@Override");
        out.open("public void write(%sMessageWriter _writer, short _version)", MESSAGE_TYPES);
        out.line("int _numTaggedFields = 0;");
        for (FieldSpec field : struct.fields()) {
            String present = field.untaggedVersions().javaCondition("_version");
            if (!present.equals("false")) {
                boolean opened = out.openIf(present);
                codec.write(field, codec.untaggedContext(field));
                out.closeIf(opened);
            }
            if (field.isTagged()) {
                out.line("if (%s && %s) _numTaggedFields++;", taggedCondition(field),
                    FieldCodeGenerator.nonDefaultCondition(field));
            }
        }
        String flexible = flexibleVersions.javaCondition("_version");
        if (!flexible.equals("false")) {
            boolean opened = out.openIf(flexible);
            out.line("_numTaggedFields += %sRawTaggedField.countOf(this._unknownTaggedFields);", MESSAGE_TYPES);
            out.line("_writer.writeUnsignedVarint(_numTaggedFields);");
            out.line("int _rawIndex = 0;");
            for (FieldSpec field : taggedFields) {
                int tag = field.tag().orElseThrow();
                out.line("_rawIndex = %sRawTaggedField.writeBelow(_writer, this._unknownTaggedFields, _rawIndex, %d);",
                    MESSAGE_TYPES, tag);
                out.open("if (%s && %s)", taggedCondition(field), FieldCodeGenerator.nonDefaultCondition(field));
                out.line("_writer.writeUnsignedVarint(%d);", tag);
                out.line("_writer.writeUnsignedVarint(%s(_version));", taggedSizeMethod(field));
                codec.write(field, codec.taggedContext(field));
                out.close();
            }
            out.line("%sRawTaggedField.writeFrom(_writer, this._unknownTaggedFields, _rawIndex);", MESSAGE_TYPES);
            out.closeIf(opened);
        }
        out.close();
        out.blank();
    }

    private void generateSize() {
        out.line("@Override");
        out.open("public int size(short _version)");
        out.line("int _size = 0;");
        out.line("int _numTaggedFields = 0;");
        for (FieldSpec field : struct.fields()) {
            String present = field.untaggedVersions().javaCondition("_version");
            if (!present.equals("false")) {
                boolean opened = out.openIf(present);
                codec.size(field, codec.untaggedContext(field));
                out.closeIf(opened);
            }
            if (field.isTagged()) {
                out.open("if (%s && %s)", taggedCondition(field), FieldCodeGenerator.nonDefaultCondition(field));
                out.line("_numTaggedFields++;");
                out.line("int _payload = %s(_version);", taggedSizeMethod(field));
                out.line("_size += %1$sVarint.sizeOfUnsignedVarint(%2$d) + %1$sVarint.sizeOfUnsignedVarint(_payload)"
                    + " + _payload;", MESSAGE_TYPES, field.tag().orElseThrow());
                out.close();
            }
        }
        String flexible = flexibleVersions.javaCondition("_version");
        if (!flexible.equals("false")) {
            boolean opened = out.openIf(flexible);
            out.line("_numTaggedFields += %sRawTaggedField.countOf(this._unknownTaggedFields);", MESSAGE_TYPES);
            out.line("_size += %sRawTaggedField.wireSizeOf(this._unknownTaggedFields);", MESSAGE_TYPES);
            out.line("_size += %sVarint.sizeOfUnsignedVarint(_numTaggedFields);", MESSAGE_TYPES);
            out.closeIf(opened);
        }
        out.line("return _size;");
        out.close();
        out.blank();
    }

    private void generateTaggedSizes() {
        for (FieldSpec field : taggedFields) {
            out.line("/** Payload bytes of tagged field %s (tag %d). */", field.name(), field.tag().orElseThrow());
            out.open("private int %s(short _version)", taggedSizeMethod(field));
            out.line("int _size = 0;");
            codec.size(field, codec.taggedContext(field));
            out.line("return _size;");
            out.close();
            out.blank();
        }
    }

    private void generateAccessors() {
        out.line("@Override");
        out.open("public %s unknownTaggedFields()", RAW_LIST);
        out.open("if (_unknownTaggedFields == null)");
        out.line("_unknownTaggedFields = new java.util.ArrayList<>(0);");
        out.close();
        out.line("return _unknownTaggedFields;");
        out.close();
        out.blank();
        for (FieldSpec field : struct.fields()) {
            if (!field.about().isEmpty()) {
                out.line("/** %s */", javadocText(field.about()));
            }
            out.open("public %s %s()", field.type().javaType(), field.javaName());
            out.line("return this.%s;", field.javaName());
            out.close();
            out.blank();
        }
        for (FieldSpec field : struct.fields()) {
            out.open("public %s set%s(%s v)", struct.name(), JavaNames.upperCamel(field.name()), field.type().javaType());
            out.line("this.%s = v;", field.javaName());
            out.line("return this;");
            out.close();
            out.blank();
        }
    }

    private static String taggedCondition(FieldSpec field) {
        return field.taggedVersions().javaCondition("_version");
    }

    private static String taggedSizeMethod(FieldSpec field) {
        return "_taggedSizeOf" + JavaNames.upperCamel(field.name());
    }

    private static String javadocText(String text) {
        return text.replace("*/", "*&#47;").replace("@", "{@literal @}").replace("\n", " ");
    }
}
