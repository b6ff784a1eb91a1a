package io.fjord.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} command-line options for the bench mains. Unknown
 * options are an error (a misspelt flag must not silently run a different benchmark).
 */
final class Args {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final Set<String> used = new HashSet<>();

    Args(String[] args, Set<String> booleanFlags) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (booleanFlags.contains(name)) {
                flags.add(name);
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
    }

    boolean flag(String name) {
        used.add(name);
        return flags.contains(name);
    }

    String string(String name, String defaultValue) {
        used.add(name);
        return values.getOrDefault(name, defaultValue);
    }

    long longValue(String name, long defaultValue) {
        used.add(name);
        String v = values.get(name);
        return v == null ? defaultValue : Long.parseLong(v.replace("_", ""));
    }

    int intValue(String name, int defaultValue) {
        return Math.toIntExact(longValue(name, defaultValue));
    }

    double doubleValue(String name, double defaultValue) {
        used.add(name);
        String v = values.get(name);
        return v == null ? defaultValue : Double.parseDouble(v);
    }

    /** Throws naming every option given but never read. Call after reading all options. */
    void ensureAllUsed() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.addAll(flags);
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", unknown));
        }
    }
}
