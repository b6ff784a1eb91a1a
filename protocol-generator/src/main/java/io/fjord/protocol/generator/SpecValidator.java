package io.fjord.protocol.generator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cross-field rules of the spec language (Kafka's {@code clients/src/main/resources/common/message/README.md}):
 * tags, nullability, flexible-version overrides, defaults and struct references. Throws
 * {@link SpecException} on the first broken rule.
 */
final class SpecValidator {

    private SpecValidator() {
    }

    static void validate(MessageSpec spec) {
        if (!spec.flexibleVersions().isEmpty() && !spec.flexibleVersions().isOpenEnded()) {
            throw new SpecException("flexibleVersions must be 'none' or open-ended, was " + spec.flexibleVersions());
        }
        if (spec.type() == SpecType.REQUEST && !spec.validVersions().isEmpty() && spec.listeners().isEmpty()) {
            throw new SpecException("request " + spec.name() + " names no listeners");
        }
        if (spec.validVersions().isEmpty()) {
            if (!spec.fields().isEmpty() || !spec.commonStructs().isEmpty()) {
                throw new SpecException("a spec with validVersions 'none' cannot have fields");
            }
            return;
        }
        checkFields(spec, spec.fields(), spec.name());
        for (FieldSpec field : spec.fields()) {
            JavaNames.checkTopLevelFieldName(field.name());
        }
        for (StructSpec common : spec.commonStructs()) {
            checkFields(spec, common.fields(), common.name());
        }
        // Builds the registry for its own checks: unique struct names, resolvable references.
        StructRegistry.of(spec);
    }

    private static void checkFields(MessageSpec spec, List<FieldSpec> fields, String owner) {
        Map<Integer, String> tags = new HashMap<>();
        for (FieldSpec field : fields) {
            String where = owner + "." + field.name();
            checkField(spec, field, where);
            field.tag().ifPresent(tag -> {
                String previous = tags.put(tag, field.name());
                if (previous != null) {
                    throw new SpecException(where + " reuses tag " + tag + " of " + previous);
                }
            });
            if (!field.fields().isEmpty()) {
                checkFields(spec, field.fields(), where);
            }
        }
    }

    private static void checkField(MessageSpec spec, FieldSpec field, String where) {
        FieldType type = field.type();
        if (!field.nullableVersions().isEmpty() && !type.canBeNullable()) {
            throw new SpecException(where + ": type " + type + " cannot be nullable");
        }
        if (field.flexibleVersions().isPresent() && !isStringOrBytes(type)) {
            throw new SpecException(where + ": only string and bytes fields may override flexibleVersions");
        }
        boolean structLike = type instanceof FieldType.Struct
            || (type instanceof FieldType.Array array && array.element() instanceof FieldType.Struct);
        if (!field.fields().isEmpty() && !structLike) {
            throw new SpecException(where + ": a field of type " + type + " cannot have nested fields");
        }
        checkTag(spec, field, where);
        FieldDefaults.javaExpression(field);
    }

    private static void checkTag(MessageSpec spec, FieldSpec field, String where) {
        if (field.tag().isEmpty()) {
            if (!field.taggedVersions().isEmpty()) {
                throw new SpecException(where + " has taggedVersions but no tag");
            }
            return;
        }
        int tag = field.tag().get();
        Versions tagged = field.taggedVersions();
        if (tag < 0) {
            throw new SpecException(where + ": tags cannot be negative");
        }
        if (tagged.isEmpty() || !tagged.isOpenEnded()) {
            throw new SpecException(where + ": a tagged field needs open-ended taggedVersions, was " + tagged);
        }
        if (!field.versions().containsAll(tagged)) {
            throw new SpecException(where + ": taggedVersions " + tagged + " must be within versions " + field.versions());
        }
        Versions nullableTagged = field.nullableVersions().intersect(tagged);
        if (!nullableTagged.isEmpty() && !nullableTagged.equals(tagged)) {
            throw new SpecException(where + ": either all tagged versions are nullable or none are");
        }
        if (field.mapKey()) {
            throw new SpecException(where + ": a tagged field cannot be a map key");
        }
        if (field.type() instanceof FieldType.Scalar scalar && scalar.kind() == FieldType.ScalarKind.RECORDS) {
            throw new SpecException(where + ": records cannot be tagged");
        }
        Versions taggedAndValid = tagged.intersect(spec.validVersions());
        if (!spec.flexibleVersions().containsAll(taggedAndValid)) {
            throw new SpecException(where + ": tagged in " + taggedAndValid + " but the message is flexible only in "
                + spec.flexibleVersions());
        }
    }

    private static boolean isStringOrBytes(FieldType type) {
        return type instanceof FieldType.Scalar scalar
            && (scalar.kind() == FieldType.ScalarKind.STRING || scalar.kind() == FieldType.ScalarKind.BYTES);
    }
}
