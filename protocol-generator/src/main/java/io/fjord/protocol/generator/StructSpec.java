package io.fjord.protocol.generator;

import java.util.List;

/**
 * A named struct: the top-level message itself, an inline struct definition, or a common struct.
 *
 * @param name     the Java class name (the spec name plus {@code Data} for the top-level message)
 * @param versions the versions the spec gives the struct (informational: fields carry their own)
 * @param fields   the fields in wire order
 */
public record StructSpec(String name, Versions versions, List<FieldSpec> fields) {

    public StructSpec {
        fields = List.copyOf(fields);
    }
}
