package io.fjord.protocol.generator;

import java.util.Set;
import java.util.regex.Pattern;

/** Spec names to Java names, and the names generated code must not collide with. */
final class JavaNames {

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
    private static final Pattern STRUCT_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*");

    private static final Set<String> KEYWORDS = Set.of(
        "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
        "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
        "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
        "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
        "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
        "volatile", "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits");

    /** No-argument methods every generated class has; a getter with one of these names would clash. */
    private static final Set<String> RESERVED_GETTERS = Set.of(
        "unknownTaggedFields", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone", "finalize");

    /** No-argument methods of top-level classes only ({@code ApiMessage}). */
    private static final Set<String> RESERVED_TOP_LEVEL_GETTERS = Set.of(
        "apiKey", "lowestSupportedVersion", "highestSupportedVersion");

    /** java.lang types that generated code names without qualification. */
    private static final Set<String> RESERVED_TYPES = Set.of(
        "String", "Object", "Boolean", "Byte", "Short", "Integer", "Long", "Double", "Override",
        "IllegalArgumentException", "StringBuilder", "Math", "Character", "Deprecated", "SuppressWarnings");

    private JavaNames() {
    }

    static boolean isStructName(String name) {
        return STRUCT_NAME.matcher(name).matches();
    }

    static void checkFieldName(String name) {
        if (!FIELD_NAME.matcher(name).matches()) {
            throw new SpecException("invalid field name '" + name + "'");
        }
        String javaName = lowerCamel(name);
        if (KEYWORDS.contains(javaName) || RESERVED_GETTERS.contains(javaName)) {
            throw new SpecException("field name '" + name + "' would clash with Java or generated method '" + javaName + "'");
        }
    }

    static void checkTopLevelFieldName(String name) {
        String javaName = lowerCamel(name);
        if (RESERVED_TOP_LEVEL_GETTERS.contains(javaName)) {
            throw new SpecException("top-level field '" + name + "' would clash with ApiMessage." + javaName + "()");
        }
    }

    static void checkStructName(String name) {
        if (!isStructName(name)) {
            throw new SpecException("invalid struct name '" + name + "'");
        }
        if (RESERVED_TYPES.contains(name)) {
            throw new SpecException("struct name '" + name + "' would shadow java.lang." + name + " in generated code");
        }
    }

    static String lowerCamel(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    static String upperCamel(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** {@code ApiVersions} to {@code API_VERSIONS}, as Kafka names its {@code ApiKeys}. */
    static String upperSnake(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                out.append('_');
            }
            out.append(Character.toUpperCase(c));
        }
        return out.toString();
    }

    /** {@code text} as a Java string literal. */
    static String stringLiteral(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
