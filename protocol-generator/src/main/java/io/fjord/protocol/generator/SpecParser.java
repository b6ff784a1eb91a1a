package io.fjord.protocol.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one spec file (JSON with {@code //} line comments) into a {@link MessageSpec} and checks it
 * against the rules of the spec language. Anything it does not know (a key, a type, a version
 * range, a default) is an error, so a new spec feature fails the build instead of being ignored.
 *
 * <p>Stateless; one parser may read many files.
 */
public final class SpecParser {

    private static final Set<String> MESSAGE_KEYS = Set.of(
        "apiKey", "type", "name", "validVersions", "flexibleVersions", "fields", "commonStructs",
        "listeners", "latestVersionUnstable", "deprecatedVersions");
    private static final Set<String> STRUCT_KEYS = Set.of("name", "versions", "fields");
    private static final Set<String> FIELD_KEYS = Set.of(
        "name", "type", "versions", "about", "fields", "default", "entityType", "nullableVersions",
        "ignorable", "mapKey", "taggedVersions", "tag", "zeroCopy", "flexibleVersions");
    private static final Set<String> LISTENERS = Set.of("broker", "controller", "zkBroker");

    private final ObjectMapper mapper = new ObjectMapper();

    /** Parses and validates the text of one spec file; {@code source} names it in errors. */
    public MessageSpec parse(String text, String source) {
        try {
            JsonNode root = mapper.readTree(stripLineComments(text));
            MessageSpec spec = message(root);
            SpecValidator.validate(spec);
            return spec;
        } catch (JsonProcessingException e) {
            throw new SpecException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (SpecException e) {
            throw new SpecException(source + ": " + e.getMessage(), e);
        }
    }

    /** Removes {@code //} comments that are outside string literals. */
    static String stripLineComments(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    out.append(text.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
                out.append('\n');
            } else {
                out.append(c);
                inString = c == '"';
            }
        }
        return out.toString();
    }

    private MessageSpec message(JsonNode root) {
        if (!root.isObject()) {
            throw new SpecException("the top level must be a JSON object");
        }
        checkKeys(root, MESSAGE_KEYS, "message");
        String name = requiredText(root, "name", "message");
        JavaNames.checkStructName(name);
        SpecType type = SpecType.parse(requiredText(root, "type", name));
        Versions validVersions = Versions.parse(requiredText(root, "validVersions", name), null);
        Optional<Short> apiKey = root.has("apiKey") ? Optional.of(shortValue(root.get("apiKey"), "apiKey")) : Optional.empty();
        if (type.isApi() && apiKey.isEmpty()) {
            throw new SpecException(name + " is a " + type + " without an apiKey");
        }
        boolean retired = validVersions.isEmpty();
        if (!retired && !root.has("flexibleVersions")) {
            throw new SpecException(name + " must say which versions are flexible (flexibleVersions)");
        }
        Versions flexibleVersions = Versions.parse(text(root, "flexibleVersions"), Versions.NONE);
        List<FieldSpec> fields = fields(root.get("fields"), name);
        List<StructSpec> commonStructs = new ArrayList<>();
        if (root.has("commonStructs")) {
            for (JsonNode node : array(root.get("commonStructs"), "commonStructs")) {
                commonStructs.add(commonStruct(node));
            }
        }
        List<String> listeners = new ArrayList<>();
        if (root.has("listeners")) {
            for (JsonNode node : array(root.get("listeners"), "listeners")) {
                if (!node.isTextual() || !LISTENERS.contains(node.asText())) {
                    throw new SpecException("unknown listener " + node);
                }
                listeners.add(node.asText());
            }
        }
        boolean unstable = booleanValue(root, "latestVersionUnstable");
        return new MessageSpec(name, type, apiKey, validVersions, flexibleVersions, fields, commonStructs,
            listeners, unstable);
    }

    private StructSpec commonStruct(JsonNode node) {
        checkKeys(node, STRUCT_KEYS, "common struct");
        String name = requiredText(node, "name", "common struct");
        JavaNames.checkStructName(name);
        Versions versions = Versions.parse(requiredText(node, "versions", name), null);
        List<FieldSpec> fields = fields(node.get("fields"), name);
        return new StructSpec(name, versions, fields);
    }

    private List<FieldSpec> fields(JsonNode node, String owner) {
        List<FieldSpec> fields = new ArrayList<>();
        if (node == null) {
            return fields;
        }
        Set<String> names = new HashSet<>();
        for (JsonNode fieldNode : array(node, owner + ".fields")) {
            FieldSpec field = field(fieldNode, owner);
            if (!names.add(field.javaName())) {
                throw new SpecException(owner + " has two fields named " + field.name());
            }
            fields.add(field);
        }
        return fields;
    }

    private FieldSpec field(JsonNode node, String owner) {
        if (!node.isObject()) {
            throw new SpecException(owner + ": a field must be a JSON object, was " + node);
        }
        String name = requiredText(node, "name", owner + " field");
        String where = owner + "." + name;
        checkKeys(node, FIELD_KEYS, where);
        JavaNames.checkFieldName(name);
        FieldType type = FieldType.parse(requiredText(node, "type", where));
        Versions taggedVersions = Versions.parse(text(node, "taggedVersions"), Versions.NONE);
        // Kafka: a field without versions but with taggedVersions exists exactly where it is tagged.
        Versions versions = Versions.parse(text(node, "versions"), taggedVersions.isEmpty() ? null : taggedVersions);
        if (versions == null) {
            throw new SpecException(where + " has no versions");
        }
        Versions nullableVersions = Versions.parse(text(node, "nullableVersions"), Versions.NONE);
        Optional<Integer> tag = node.has("tag") ? Optional.of(intValue(node.get("tag"), where + ".tag")) : Optional.empty();
        Optional<Versions> flexibleOverride = node.has("flexibleVersions")
            ? Optional.of(Versions.parse(text(node, "flexibleVersions"), null))
            : Optional.empty();
        String defaultValue = node.has("default") ? scalarText(node.get("default"), where + ".default") : "";
        List<FieldSpec> nested = fields(node.get("fields"), name);
        if (node.has("zeroCopy") && booleanValue(node, "zeroCopy")
            && !(type instanceof FieldType.Scalar scalar && scalar.kind() == FieldType.ScalarKind.BYTES)) {
            throw new SpecException(where + ": only bytes fields may be zeroCopy");
        }
        String about = node.has("about") ? node.get("about").asText() : "";
        return new FieldSpec(name, type, versions, nullableVersions, taggedVersions, tag, defaultValue,
            booleanValue(node, "ignorable"), booleanValue(node, "mapKey"), flexibleOverride, nested, about);
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!allowed.contains(key)) {
                throw new SpecException(where + ": unknown key '" + key + "'");
            }
        }
    }

    private static Iterable<JsonNode> array(JsonNode node, String where) {
        if (!node.isArray()) {
            throw new SpecException(where + " must be a JSON array");
        }
        return node;
    }

    private static String requiredText(JsonNode node, String key, String where) {
        String value = text(node, key);
        if (value == null || value.isBlank()) {
            throw new SpecException(where + ": missing '" + key + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new SpecException("'" + key + "' must be a string, was " + value);
        }
        return value.asText();
    }

    // Defaults are usually strings, but accept JSON numbers and booleans as their text.
    private static String scalarText(JsonNode value, String where) {
        if (value.isTextual() || value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        throw new SpecException(where + " must be a string, number or boolean, was " + value);
    }

    private static boolean booleanValue(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
            return Boolean.parseBoolean(value.asText());
        }
        throw new SpecException("'" + key + "' must be a boolean, was " + value);
    }

    private static int intValue(JsonNode value, String where) {
        if (value.isInt()) {
            return value.intValue();
        }
        if (value.isTextual()) {
            try {
                return Integer.parseInt(value.asText());
            } catch (NumberFormatException e) {
                throw new SpecException(where + " must be an integer, was " + value, e);
            }
        }
        throw new SpecException(where + " must be an integer, was " + value);
    }

    private static short shortValue(JsonNode value, String where) {
        int number = intValue(value, where);
        if (number < 0 || number > Short.MAX_VALUE) {
            throw new SpecException(where + " out of range: " + number);
        }
        return (short) number;
    }
}
