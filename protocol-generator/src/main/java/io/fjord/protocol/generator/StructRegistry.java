package io.fjord.protocol.generator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every struct of one spec, by name: the common structs, then the inline definitions in the order
 * they appear. Each becomes one nested class of the generated top-level class, so names must be
 * unique across the whole spec and must not clash with the top-level class.
 */
public final class StructRegistry {

    private final Map<String, StructSpec> structs;

    private StructRegistry(Map<String, StructSpec> structs) {
        this.structs = structs;
    }

    public static StructRegistry of(MessageSpec spec) {
        Map<String, StructSpec> commons = new LinkedHashMap<>();
        for (StructSpec common : spec.commonStructs()) {
            if (commons.put(common.name(), common) != null) {
                throw new SpecException("common struct " + common.name() + " is defined twice");
            }
        }
        Map<String, StructSpec> all = new LinkedHashMap<>(commons);
        collect(spec.fields(), commons, all);
        for (StructSpec common : spec.commonStructs()) {
            collect(common.fields(), commons, all);
        }
        if (all.containsKey(spec.className())) {
            throw new SpecException("struct " + spec.className() + " would collide with the top-level class");
        }
        return new StructRegistry(all);
    }

    private static void collect(List<FieldSpec> fields, Map<String, StructSpec> commons,
                                Map<String, StructSpec> all) {
        for (FieldSpec field : fields) {
            String structName = structName(field.type());
            if (structName == null) {
                continue;
            }
            if (field.fields().isEmpty()) {
                if (!commons.containsKey(structName)) {
                    throw new SpecException("field " + field.name() + " uses struct " + structName
                        + ", which is neither defined inline nor a common struct");
                }
                continue;
            }
            JavaNames.checkStructName(structName);
            if (all.containsKey(structName)) {
                throw new SpecException("struct " + structName + " is defined more than once; the generated nested"
                    + " classes would collide");
            }
            all.put(structName, new StructSpec(structName, field.versions(), field.fields()));
            collect(field.fields(), commons, all);
        }
    }

    private static String structName(FieldType type) {
        if (type instanceof FieldType.Struct struct) {
            return struct.name();
        }
        if (type instanceof FieldType.Array array && array.element() instanceof FieldType.Struct struct) {
            return struct.name();
        }
        return null;
    }

    /** All nested structs in generation order. */
    public List<StructSpec> structs() {
        return new ArrayList<>(structs.values());
    }

    public StructSpec get(String name) {
        StructSpec struct = structs.get(name);
        if (struct == null) {
            throw new SpecException("unknown struct " + name);
        }
        return struct;
    }
}
