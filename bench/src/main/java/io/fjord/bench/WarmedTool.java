package io.fjord.bench;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one of Apache Kafka's load tools twice in one JVM: a warm-up with some options changed
 * (fewer records, another consumer group), then the counted run with the arguments as given.
 * kafka-tools 4.1 has no warm-up of its own (KIP-1052 came later), and a warm-up in a separate JVM
 * leaves the counted run's JVM cold: its first second runs interpreted, so a fixed-rate run's p99
 * is the tool's start-up on either broker (measured with {@code ProducerPerformance} at 165k rec/s
 * against one Fjord: p99 541 ms cold, 5 ms warmed) and a 2-second consumer run is half JIT time.
 * The counted run's summary is the last one printed, which is what the harness parses.
 *
 * <p>With {@code --warmup-until-quiet-ms MS} the warm-up repeats while its last pass spent more than
 * {@link Jit#QUIET_SHARE} of its wall time compiling, for at most MS in all; {@code --warmup-vary OPTION} names an
 * option whose value gets {@code -2}, {@code -3}, ... on the repeats (a consumer group: a new group reads from the
 * start again; a producer repeats as it is). One pass is not enough on these 2 cores: after ConsumerPerformance
 * has read 5M records once, its C2 compiler thread still takes most of a core through the counted read. The last
 * line, {@code RESULT warmup_passes=N jit_share=S}, gives the passes and the counted run's compile time (summed over
 * the compiler threads, so above 1 when both compile all along) over its wall time.
 *
 * <p>Between the warm-up and the counted run nothing may load a class for the first time: see
 * {@link #loadWhatTheWarmupsEndLoads}. Before the counted run the compilers are let finish ({@link Jit#awaitIdle}).
 *
 * <pre>WarmedTool --tool CLASS [--warmup-set OPTION=VALUE]... [--warmup-until-quiet-ms MS [--warmup-vary OPTION]]
 *     -- TOOL-ARGUMENTS</pre>
 *
 * <p>Only the JDK (and {@link Jit}, JDK-only too) is referenced at compile time: the class runs on Kafka's own tools
 * class path (the harness copies both into a class directory of their own), so the tool under test is exactly
 * kafka-tools.
 */
public final class WarmedTool {

    static final String PRODUCER_PERFORMANCE = "org.apache.kafka.tools.ProducerPerformance";
    static final String CONSUMER_PERFORMANCE = "org.apache.kafka.tools.ConsumerPerformance";
    static final String END_TO_END_LATENCY = "org.apache.kafka.tools.EndToEndLatency";

    private WarmedTool() {
    }

    public static void main(String[] args) throws Exception {
        int separator = Arrays.asList(args).indexOf("--");
        if (separator < 2 || !args[0].equals("--tool")) {
            System.err.println("usage: WarmedTool --tool CLASS [--warmup-set OPTION=VALUE]... "
                + "[--warmup-until-quiet-ms MS [--warmup-vary OPTION]] -- TOOL-ARGUMENTS");
            System.exit(2);
        }
        String tool = args[1];
        List<String> sets = new ArrayList<>();
        long untilQuietMs = 0;
        String vary = null;
        for (int i = 2; i < separator; i += 2) {
            if (i + 1 >= separator) {
                System.err.println("missing a value after " + args[i]);
                System.exit(2);
            }
            switch (args[i]) {
                case "--warmup-set" -> sets.add(args[i + 1]);
                case "--warmup-until-quiet-ms" -> untilQuietMs = Long.parseLong(args[i + 1]);
                case "--warmup-vary" -> vary = args[i + 1];
                default -> {
                    System.err.println("expected --warmup-set, --warmup-until-quiet-ms or --warmup-vary, got " + args[i]);
                    System.exit(2);
                }
            }
        }
        String[] counted = Arrays.copyOfRange(args, separator + 1, args.length);
        String[] warmup = withOptions(counted, sets);
        Method main = entryPoint(Class.forName(tool));
        loadWhatTheWarmupsEndLoads();
        long warmupStartNs = System.nanoTime();
        int passes = 0;
        double jitShare;
        do {
            passes++;
            String[] pass = passes == 1 || vary == null ? warmup : withOption(warmup, vary, valueOf(warmup, vary) + "-" + passes);
            jitShare = timedJitShare(main, pass);
            System.out.println(String.format(Locale.ROOT, "warm-up pass %d: JIT share %.3f", passes, jitShare));
        } while (untilQuietMs > 0 && jitShare > Jit.QUIET_SHARE && System.nanoTime() - warmupStartNs < untilQuietMs * 1_000_000L);
        // What the warm-up wrote goes to disk now, not inside the counted run: after 2-3 GB of producer warm-up the
        // kernel's writeback of it (dirty pages expire after 30 s) ran through the counted run, and one such run read
        // 97 MB/s in its first 5 s where the warm-up's passes had done 116-143.
        sync();
        System.out.println("compilers idle after " + Jit.awaitIdle(2_000) + " ms");
        System.out.println("warm-up done after " + passes + " pass(es), written back; counted run follows");
        jitShare = timedJitShare(main, counted);
        System.out.println(String.format(Locale.ROOT, "RESULT warmup_passes=%d jit_share=%.3f", passes, jitShare));
    }

    /**
     * Runs once, before the warm-up, what runs between it and the counted run, so that no class loads first there. A
     * class loaded then can break what the JIT assumed of the class hierarchy when it compiled the tool, and the JVM
     * throws that code away: loaded at the warm-up's end, {@code AbstractQueuedSynchronizer$ConditionNode} (the first
     * {@code Condition.await}, in {@code Process.waitFor} while {@code sync} runs) and the process classes
     * ({@code BufferedInputStream} gaining a subclass) took the consumer's whole compiled fetch path with them — 30–39
     * methods "made not entrant: marked for deoptimization" at once, then 78–190 compilations inside the counted read
     * (JIT share 0.73–0.95 of it against one Fjord).
     */
    private static void loadWhatTheWarmupsEndLoads() throws Exception {
        sync();
        ReentrantLock lock = new ReentrantLock();
        Condition condition = lock.newCondition();
        lock.lock();
        try {
            condition.awaitNanos(1_000);
        } finally {
            lock.unlock();
        }
        Jit.awaitIdle(1);
    }

    private static void sync() throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    /** Runs the tool once; the share of that run's wall time the JIT compilers spent compiling. */
    private static double timedJitShare(Method main, String[] args) throws Exception {
        long startNs = System.nanoTime();
        long startJitMs = Jit.totalMs();
        if (main.invoke(null, (Object) args) instanceof Integer exitCode && exitCode != 0) {
            System.err.println("the tool exited with " + exitCode);
            System.exit(exitCode);
        }
        return Jit.shareSince(startJitMs, startNs);
    }

    /** The arguments with each {@code OPTION=VALUE} of {@code sets} applied by {@link #withOption}. */
    static String[] withOptions(String[] args, List<String> sets) {
        String[] copy = args;
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected OPTION=VALUE, got " + set);
            }
            copy = withOption(copy, set.substring(0, eq), set.substring(eq + 1));
        }
        return copy;
    }

    /** The value after {@code option}; the option must be there. */
    static String valueOf(String[] args, String option) {
        return args[valueIndex(args, option)];
    }

    /**
     * The same arguments with the value after {@code option} replaced; the option must be there. An option {@code #N}
     * names the N-th argument itself (from 0), for tools that take positional arguments (EndToEndLatency).
     */
    static String[] withOption(String[] args, String option, String value) {
        String[] copy = args.clone();
        copy[valueIndex(args, option)] = value;
        return copy;
    }

    private static int valueIndex(String[] args, String option) {
        if (option.startsWith("#")) {
            int index = Integer.parseInt(option.substring(1));
            if (index >= 0 && index < args.length) {
                return index;
            }
        } else {
            for (int i = 0; i < args.length - 1; i++) {
                if (args[i].equals(option)) {
                    return i + 1;
                }
            }
        }
        throw new IllegalArgumentException("no " + option + " in " + Arrays.toString(args));
    }

    /**
     * The tool's entry point that returns: {@code mainNoExit(String...)} where the tool has one (EndToEndLatency's
     * {@code main} ends in {@code Exit.exit}, which would end the JVM after the warm-up), else {@code main}.
     */
    static Method entryPoint(Class<?> tool) throws NoSuchMethodException {
        try {
            Method noExit = tool.getDeclaredMethod("mainNoExit", String[].class);
            noExit.setAccessible(true);
            return noExit;
        } catch (NoSuchMethodException e) {
            return tool.getMethod("main", String[].class);
        }
    }
}
