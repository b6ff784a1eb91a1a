package io.fjord.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Restart time with many partitions (the broker-core issue's figure): create one topic of
 * {@code --partitions} partitions, write {@code --data-mb} with ProducerPerformance, then
 * <ol>
 *   <li>kill -9 and restart: crash recovery of the unflushed tail;</li>
 *   <li>stop cleanly (SIGTERM) and restart: the clean-shutdown path;</li>
 * </ol>
 * each timed from fork to the first answered ApiVersions and to the first fetch that returns
 * records ({@link RestartProbe}: a consumer built before the fork, assigned to every partition from
 * the beginning). Runs Kafka and Fjord alike, one after the other. Single driver
 * thread; writes a marked section of docs/benchmarks.md and a results.tsv.
 */
public final class RestartTime {

    static final String GROUP = "Restart with many partitions";

    static final String USAGE = """
        usage: bench/restart-time.sh [options]
          --smoke               1,000 partitions but 20 MB of data; writes the 'restart-smoke' section
          --brokers LIST        kafka,fjord (default both)
          --partitions N        partitions of the one topic (default 1000)
          --data-mb M           MB written before the restarts (default 3000; smoke 20)
          --record-size B       bytes per record (default 1024)
          --rounds N            repeat the whole sequence, medians reported (default 1)
          --kafka-port P, --kafka-controller-port P, --fjord-port P   (defaults 19092, 19093, 29092; 127.0.0.1)
          --start-timeout-ms T  (default 600000)
          --work-dir DIR        (default bench/target/restart-TIMESTAMP)
          --doc FILE            (default docs/benchmarks.md)
          --section NAME        (default restart-results; smoke restart-smoke)
        """;

    private RestartTime() {
    }

    public static void main(String[] argv) throws Exception {
        if (List.of(argv).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        BenchEnvironment env = BenchEnvironment.detect();
        Args args = new Args(argv, Set.of("smoke"));
        boolean smoke = args.flag("smoke");
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        List<String> brokers = CompareOptions.list(args.string("brokers", "kafka,fjord"));
        int partitions = args.intValue("partitions", 1000);
        long dataMb = args.longValue("data-mb", smoke ? 20 : 3000);
        int recordSize = args.intValue("record-size", 1024);
        int rounds = args.intValue("rounds", 1);
        CompareOptions.Ports ports = new CompareOptions.Ports(args.intValue("kafka-port", 19092),
            args.intValue("kafka-controller-port", 19093), args.intValue("fjord-port", 29092));
        long startTimeoutMs = args.longValue("start-timeout-ms", 600_000);
        Path workDir = Path.of(args.string("work-dir", env.fjordHome().resolve("bench/target/restart-" + stamp).toString())).toAbsolutePath();
        Path doc = Path.of(args.string("doc", env.fjordHome().resolve("docs/benchmarks.md").toString())).toAbsolutePath();
        String section = args.string("section", smoke ? "restart-smoke" : "restart-results");
        args.ensureAllUsed();

        KafkaTools tools = KafkaTools.create(env, workDir);
        List<Sample> samples = new ArrayList<>();
        long startNs = System.nanoTime();
        if (brokers.contains("fjord")) {
            // Restarts are timed as a user's later starts run: with bin/fjord's start-up cache recorded.
            FjordBrokerSpec.primeStartupCache(env, workDir.resolve("fjord-prime"), ports.fjord(), startTimeoutMs);
        }
        for (int round = 1; round <= rounds; round++) {
            for (String broker : brokers) {
                BrokerSpec spec = BrokerSpec.create(broker, workDir, ports, env);
                runSequence(env, tools, spec, round, partitions, dataMb, recordSize, startTimeoutMs, samples);
            }
        }
        Sample.writeTsv(samples, workDir.resolve("results.tsv"));
        List<String> meta = new ArrayList<>(env.describeMachine());
        meta.add(String.format(Locale.ROOT, "run: %d round(s), %d partitions, %d MB of %d B records, %.1f minutes; raw samples in %s",
            rounds, partitions, dataMb, recordSize, (System.nanoTime() - startNs) / 60e9, env.fjordHome().relativize(workDir.resolve("results.tsv"))));
        String title = smoke ? "Smoke run of bench/restart-time.sh (" + stamp + ") — proves the script works; NOT results"
            : "bench/restart-time.sh results (" + stamp + ")";
        Report.writeSection(doc, section, Report.markdown(title, meta, samples, List.of()));
        Compare.log("wrote section '" + section + "' of " + doc);
    }

    private static void runSequence(BenchEnvironment env, KafkaTools tools, BrokerSpec spec, int round, int partitions, long dataMb,
                                    int recordSize, long startTimeoutMs, List<Sample> samples) throws Exception {
        String topic = "restart-test";
        RunCase runCase = new RunCase(partitions, dataMb);
        Compare.log("round " + round + ": " + spec.name() + " — fresh start");
        spec.prepareFresh(env);
        try (BrokerProcess broker = BrokerProcess.start(spec, env, startTimeoutMs)) {
            double createMs = Topics.create(spec.bootstrap(), Map.of(topic, partitions), startTimeoutMs);
            add(samples, round, spec, runCase, "create topic", "ms", Figure.Better.LOWER, createMs);
            long records = Math.max(1, dataMb * 1_000_000L / recordSize);
            Compare.log("  writing " + records + " records of " + recordSize + " B to " + partitions + " partitions");
            ChildProcess.Result write = ChildProcess.run(tools.producerPerformance(spec.bootstrap(), topic, records, recordSize, -1, "1"),
                spec.dir().resolve("round-" + round + "-write.log"), 3_600);
            ToolOutputs.ProducerSummary written = ToolOutputs.producer(write.output()).orElseThrow(
                () -> new IllegalStateException("writing the data failed:\n" + write.tail(20)));
            add(samples, round, spec, runCase, "write throughput (info)", "MB/s", Figure.Better.INFO, written.mbPerSec());
            broker.kill9();
        }
        Compare.log("  killed with SIGKILL; restarting (recovery)");
        timeRestart(env, spec, round, runCase, "after kill -9", topic, partitions, startTimeoutMs, samples, false);
        Compare.log("  stopped with SIGTERM; restarting (clean)");
        timeRestart(env, spec, round, runCase, "after clean shutdown", topic, partitions, startTimeoutMs, samples, true);
        BrokerSpec.deleteRecursively(spec.dataDir());
    }

    /** Starts the broker over the existing data; records ready and first-fetch times; stops it cleanly or hard. */
    private static void timeRestart(BenchEnvironment env, BrokerSpec spec, int round, RunCase runCase, String how, String topic,
                                    int partitions, long startTimeoutMs, List<Sample> samples, boolean measuredAfterCleanStop) throws Exception {
        RestartProbe.Restarted restarted = RestartProbe.restart(env, spec, topic, partitions, startTimeoutMs);
        BrokerProcess broker = restarted.broker();
        try {
            add(samples, round, spec, runCase, "restart " + how + ": to first answered ApiVersions", "ms", Figure.Better.LOWER,
                restarted.readyMs());
            add(samples, round, spec, runCase, "restart " + how + ": to first fetch with records", "ms", Figure.Better.LOWER,
                restarted.firstFetchMs());
            Compare.log(String.format(Locale.ROOT, "  %s restart %s: ready %.0f ms, first fetch %.0f ms", spec.name(), how,
                restarted.readyMs(), restarted.firstFetchMs()));
        } finally {
            if (!measuredAfterCleanStop) {
                double stopMs = broker.stopCleanly(startTimeoutMs);
                add(samples, round, spec, runCase, "clean shutdown (SIGTERM to exit)", "ms", Figure.Better.INFO, stopMs);
            } else {
                broker.close();
            }
        }
    }

    /** What one sequence ran: the topic's partition count and the data written. */
    record RunCase(int partitions, long dataMb) {
        String label() {
            return partitions + " partitions, " + dataMb + " MB";
        }
    }

    private static void add(List<Sample> samples, int round, BrokerSpec spec, RunCase runCase, String metric, String unit,
                            Figure.Better better, double value) {
        // The bar (clean restart <= 10 s) is stated for 10,000 partitions.
        Figure.Bar bar = runCase.partitions() >= 10_000 && metric.startsWith("restart after clean shutdown: to first answered")
            ? Figure.Bar.fjordAtMost(10_000) : Figure.Bar.NONE;
        samples.add(new Sample(round, spec.name(), new Figure(GROUP, runCase.label(), metric, unit, better, bar), value));
    }
}
