package io.fjord.bench;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs Apache Kafka's {@code ProducerPerformance} twice in one JVM: first {@code --warmup-records N}
 * records with otherwise the same arguments, then the counted run. kafka-tools 4.1 has no warm-up
 * of its own (KIP-1052 came later), and a warm-up in a separate JVM leaves the counted run's JVM cold:
 * its first second runs interpreted, queues hundreds of milliseconds in the producer and makes the
 * p99 of a 10-second fixed-rate run the tool's start-up on either broker (measured: p99 541 ms cold,
 * 5 ms warmed, at the same rate against the same broker). The counted run's summary line is the last
 * one printed, which is what the harness parses.
 *
 * <p>Only the JDK is referenced at compile time: the class runs on Kafka's own tools class path
 * (the harness copies it next to them), so the tool under test is exactly kafka-tools.
 */
public final class WarmedProducerPerformance {

    static final String TOOL = "org.apache.kafka.tools.ProducerPerformance";
    static final String WARMUP_OPTION = "--warmup-records";

    private WarmedProducerPerformance() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !args[0].equals(WARMUP_OPTION)) {
            System.err.println("usage: WarmedProducerPerformance " + WARMUP_OPTION + " N <ProducerPerformance arguments>");
            System.exit(2);
        }
        long warmup = Long.parseLong(args[1]);
        String[] counted = Arrays.copyOfRange(args, 2, args.length);
        Method main = Class.forName(TOOL).getMethod("main", String[].class);
        if (warmup > 0) {
            main.invoke(null, (Object) withRecords(counted, warmup));
            System.out.println("warm-up done; counted run follows");
        }
        main.invoke(null, (Object) counted);
    }

    /** The same arguments with {@code --num-records} replaced. */
    static String[] withRecords(String[] args, long records) {
        String[] copy = args.clone();
        for (int i = 0; i < copy.length - 1; i++) {
            if (copy[i].equals("--num-records")) {
                copy[i + 1] = Long.toString(records);
                return copy;
            }
        }
        throw new IllegalArgumentException("no --num-records in " + Arrays.toString(args));
    }
}
