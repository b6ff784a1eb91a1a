package io.fjord.protocol;

import io.fjord.common.Uuid;
import io.fjord.protocol.generator.FieldSpec;
import io.fjord.protocol.generator.FieldType;
import io.fjord.protocol.generator.MessageSpec;
import io.fjord.protocol.generator.StructRegistry;
import io.fjord.protocol.generator.StructSpec;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.types.Message;
import io.fjord.record.MemoryRecords;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds generated messages with a random value in every field that exists at a given version,
 * nested structs included, driven by the spec and set through the generated setters (reflection,
 * so one helper covers every API). Nulls appear only where the version allows them. Deterministic
 * for a given {@link Random} seed.
 */
final class RandomMessages {

    /** ASCII, Latin-1, CJK and a surrogate pair: every UTF-8 length from 1 to 4 bytes. */
    private static final String[] CHARACTERS = {"a", "Z", "0", "-", ".", "é", "ß", "中", "文", "😀"};
    private static final int MAX_ELEMENTS = 3;

    private final MessageSpec spec;
    private final StructRegistry registry;
    private final Random random;

    RandomMessages(MessageSpec spec, Random random) {
        this.spec = spec;
        this.registry = StructRegistry.of(spec);
        this.random = random;
    }

    static Class<?> fjordClass(MessageSpec spec) {
        try {
            return Class.forName("io.fjord.protocol.message." + spec.className());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no generated class for " + spec.name(), e);
        }
    }

    static ApiMessage newFjordMessage(MessageSpec spec) {
        return (ApiMessage) newInstance(fjordClass(spec));
    }

    /** A new top-level message with every field present at {@code version} populated. */
    ApiMessage populated(short version) {
        ApiMessage message = newFjordMessage(spec);
        populate(message, spec.fields(), version);
        return message;
    }

    private void populate(Message target, List<FieldSpec> fields, short version) {
        for (FieldSpec field : fields) {
            if (!field.versions().contains(version)) {
                continue;
            }
            boolean nullable = field.nullableVersions().contains(version);
            Object value = value(field.type(), nullable, version);
            invokeSetter(target, field, value);
        }
    }

    private Object value(FieldType type, boolean nullable, short version) {
        if (nullable && random.nextInt(5) == 0) {
            return null;
        }
        return switch (type) {
            case FieldType.Scalar scalar -> scalar(scalar.kind());
            case FieldType.Struct struct -> struct(struct.name(), version);
            case FieldType.Array array -> {
                int count = random.nextInt(MAX_ELEMENTS + 1);
                List<Object> list = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    list.add(value(array.element(), false, version));
                }
                yield list;
            }
        };
    }

    private Object struct(String name, short version) {
        StructSpec struct = registry.get(name);
        Message instance = (Message) newInstance(nestedClass(name));
        populate(instance, struct.fields(), version);
        return instance;
    }

    private Object scalar(FieldType.ScalarKind kind) {
        return switch (kind) {
            case BOOL -> random.nextBoolean();
            case INT8 -> (byte) random.nextInt();
            case INT16 -> (short) random.nextInt();
            case UINT16 -> random.nextInt(0x10000);
            case INT32 -> interestingInt();
            case UINT32 -> random.nextLong(0x1_0000_0000L);
            case INT64 -> random.nextInt(4) == 0 ? -1L : random.nextLong();
            case FLOAT64 -> random.nextDouble() * 1000 - 500;
            case UUID -> new Uuid(random.nextLong(), random.nextLong());
            case STRING -> string();
            case BYTES -> bytes(random.nextInt(9));
            case RECORDS -> new MemoryRecords(ByteBuffer.wrap(bytes(random.nextInt(40))));
        };
    }

    // Defaults such as -1 and 0 matter for tagged fields, which are written only when non-default.
    private int interestingInt() {
        return switch (random.nextInt(4)) {
            case 0 -> -1;
            case 1 -> 0;
            default -> random.nextInt();
        };
    }

    private String string() {
        int length = random.nextInt(7);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(CHARACTERS[random.nextInt(CHARACTERS.length)]);
        }
        return text.toString();
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private Class<?> nestedClass(String structName) {
        try {
            return Class.forName(fjordClass(spec).getName() + "$" + structName);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no nested class " + structName + " in " + spec.className(), e);
        }
    }

    private static Object newInstance(Class<?> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + type, e);
        }
    }

    private static void invokeSetter(Object target, FieldSpec field, Object value) {
        String name = "set" + Character.toUpperCase(field.name().charAt(0)) + field.name().substring(1);
        for (Method method : target.getClass().getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == 1) {
                try {
                    method.invoke(target, value);
                    return;
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot call " + name + " on " + target.getClass(), e);
                }
            }
        }
        throw new IllegalStateException("no setter " + name + " on " + target.getClass());
    }
}
