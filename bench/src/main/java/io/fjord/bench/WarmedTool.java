package io.fjord.bench;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one of Apache Kafka's load tools twice in one JVM: a warm-up with some options changed
 * (fewer records, another consumer group), then the counted run with the arguments as given.
 * kafka-tools 4.1 has no warm-up of its own (KIP-1052 came later), and a warm-up in a separate JVM
 * leaves the counted run's JVM cold: its first second runs interpreted, so a fixed-rate run's p99
 * is the tool's start-up on either broker (measured with {@code ProducerPerformance} at 165k rec/s
 * against one Fjord: p99 541 ms cold, 5 ms warmed) and a 2-second consumer run is half JIT time.
 * The counted run's summary is the last one printed, which is what the harness parses.
 *
 * <pre>WarmedTool --tool CLASS [--warmup-set OPTION=VALUE]... -- TOOL-ARGUMENTS</pre>
 *
 * <p>Only the JDK is referenced at compile time: the class runs on Kafka's own tools class path
 * (the harness copies it into a class directory of its own), so the tool under test is exactly kafka-tools.
 */
public final class WarmedTool {

    static final String PRODUCER_PERFORMANCE = "org.apache.kafka.tools.ProducerPerformance";
    static final String CONSUMER_PERFORMANCE = "org.apache.kafka.tools.ConsumerPerformance";

    private WarmedTool() {
    }

    public static void main(String[] args) throws Exception {
        int separator = Arrays.asList(args).indexOf("--");
        if (separator < 2 || !args[0].equals("--tool")) {
            System.err.println("usage: WarmedTool --tool CLASS [--warmup-set OPTION=VALUE]... -- TOOL-ARGUMENTS");
            System.exit(2);
        }
        String tool = args[1];
        List<String> sets = new ArrayList<>();
        for (int i = 2; i < separator; i += 2) {
            if (!args[i].equals("--warmup-set") || i + 1 >= separator) {
                System.err.println("expected --warmup-set OPTION=VALUE, got " + args[i]);
                System.exit(2);
            }
            sets.add(args[i + 1]);
        }
        String[] counted = Arrays.copyOfRange(args, separator + 1, args.length);
        String[] warmup = counted;
        for (String set : sets) {
            int eq = set.indexOf('=');
            warmup = withOption(warmup, set.substring(0, eq), set.substring(eq + 1));
        }
        Method main = Class.forName(tool).getMethod("main", String[].class);
        main.invoke(null, (Object) warmup);
        System.out.println("warm-up done; counted run follows");
        main.invoke(null, (Object) counted);
    }

    /** The same arguments with the value after {@code option} replaced; the option must be there. */
    static String[] withOption(String[] args, String option, String value) {
        String[] copy = args.clone();
        for (int i = 0; i < copy.length - 1; i++) {
            if (copy[i].equals(option)) {
                copy[i + 1] = value;
                return copy;
            }
        }
        throw new IllegalArgumentException("no " + option + " in " + Arrays.toString(args));
    }
}
