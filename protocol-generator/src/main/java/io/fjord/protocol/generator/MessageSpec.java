package io.fjord.protocol.generator;

import java.util.List;
import java.util.Optional;

/**
 * One validated spec file.
 *
 * @param name                  the spec name, e.g. {@code ProduceRequest}
 * @param type                  request, response, header, data, ...
 * @param apiKey                the API key (requests, responses and metadata records)
 * @param validVersions         the versions the spec defines; empty for retired API keys
 * @param flexibleVersions      versions using KIP-482 compact encodings and tagged fields (open-ended or empty)
 * @param fields                the top-level fields in wire order
 * @param commonStructs         structs shared by several fields of this spec
 * @param listeners             where a request is served ({@code broker}, {@code controller})
 * @param latestVersionUnstable whether the highest valid version is still in development
 */
public record MessageSpec(
    String name,
    SpecType type,
    Optional<Short> apiKey,
    Versions validVersions,
    Versions flexibleVersions,
    List<FieldSpec> fields,
    List<StructSpec> commonStructs,
    List<String> listeners,
    boolean latestVersionUnstable) {

    public MessageSpec {
        fields = List.copyOf(fields);
        commonStructs = List.copyOf(commonStructs);
        listeners = List.copyOf(listeners);
    }

    /** The generated class name. */
    public String className() {
        return name + "Data";
    }

    /** The top-level struct: the message's own fields, named as the generated class. */
    public StructSpec topStruct() {
        return new StructSpec(className(), validVersions, fields);
    }
}
