package io.fjord.protocol.generator;

import java.util.List;
import java.util.Optional;

/**
 * One field of a struct, as validated by {@link SpecParser}.
 *
 * @param name             the spec name, e.g. {@code TopicData}; the Java name is its lower camel form
 * @param type             the field type
 * @param versions         versions in which the field is on the wire (tagged or not)
 * @param nullableVersions versions in which it may be null
 * @param taggedVersions   versions in which it is a tagged field (open-ended or empty)
 * @param tag              the tag number, or empty when the field is never tagged
 * @param defaultValue     the raw {@code default} text; empty when absent
 * @param ignorable        the spec's {@code ignorable}; Fjord skips every absent field on write, so it is informational
 * @param mapKey           the spec's {@code mapKey}; Fjord generates plain lists, so it is informational
 * @param flexibleVersions a field-level override of the message's flexible versions (string and bytes only)
 * @param fields           the fields of an inline struct definition; empty otherwise
 * @param about            the documentation text
 */
public record FieldSpec(
    String name,
    FieldType type,
    Versions versions,
    Versions nullableVersions,
    Versions taggedVersions,
    Optional<Integer> tag,
    String defaultValue,
    boolean ignorable,
    boolean mapKey,
    Optional<Versions> flexibleVersions,
    List<FieldSpec> fields,
    String about) {

    public FieldSpec {
        fields = List.copyOf(fields);
    }

    /** Versions in which the field is on the wire outside the tagged-field section. */
    public Versions untaggedVersions() {
        return versions.subtract(taggedVersions);
    }

    public String javaName() {
        return JavaNames.lowerCamel(name);
    }

    public boolean isTagged() {
        return tag.isPresent();
    }

    public boolean hasNullDefault() {
        return defaultValue.equals("null");
    }
}
