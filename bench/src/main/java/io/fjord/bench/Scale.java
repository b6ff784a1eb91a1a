package io.fjord.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The scale cases of issue 5, Apache Kafka and Fjord on this machine, each case against Kafka then
 * Fjord, never both at once, each from an empty data dir:
 * <ul>
 *   <li>{@link ManyPartitionsCase} ({@code partitions10k}): create, write and cleanly restart a
 *       10,000-partition topic;</li>
 *   <li>{@link PartitionCountCase} ({@code partitions1000}): producer and consumer throughput,
 *       CPU per GB and produce p99 with 1,000 partitions against 6;</li>
 *   <li>{@link IdleConnectionsCase} ({@code idle}): 5,000 mostly idle client connections;</li>
 *   <li>{@link LongReadCase} ({@code read20g}): a 20 GB partition read from the start, cold and warm.</li>
 * </ul>
 * Medians and ratios go to a marked section of {@code docs/benchmarks.md} through {@link Report},
 * raw samples to {@code results.tsv} (rewritten after every case, so an interrupted run keeps what
 * it measured). A case that fails against one broker is noted in the report and the run goes on.
 *
 * <p>Single-threaded driver; a shutdown hook stops a broker left running by Ctrl-C.
 */
public final class Scale {

    private final ScaleOptions options;
    private final ScaleContext.Shared shared;

    private Scale(ScaleOptions options, ScaleContext.Shared shared) {
        this.options = options;
        this.shared = shared;
    }

    public static void main(String[] argv) throws Exception {
        if (List.of(argv).contains("--help")) {
            System.out.println(ScaleOptions.USAGE);
            return;
        }
        BenchEnvironment env = BenchEnvironment.detect();
        ScaleOptions options;
        try {
            options = ScaleOptions.parse(argv, env.fjordHome());
            if (options.cases().contains("read20g")) {
                LongReadCase.ensureFreeSpace(options.run().workDir(), options.longRead().bytes());
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("scale: " + e.getMessage() + (e instanceof IllegalArgumentException ? "\n" + ScaleOptions.USAGE : ""));
            System.exit(2);
            return;
        }
        TcpCongestion tcp;
        try {
            tcp = TcpCongestion.apply(options.run().tcpCongestion());
        } catch (IllegalStateException e) {
            System.err.println("scale: " + e.getMessage());
            System.exit(2);
            return;
        }
        Optional<PageCacheBallast> ballast = options.cases().contains("partitions1000") && options.partitionCounts().fullPageCache()
            ? PageCacheBallast.create(options.run().workDir()) : Optional.empty();
        ScaleContext.Shared shared = new ScaleContext.Shared(env, KafkaTools.create(env, options.run().workDir()), options,
            new ScaleContext.Results(), new AtomicReference<>(), ballast, tcp);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            BrokerProcess broker = shared.running().getAndSet(null);
            if (broker != null) {
                broker.close();
            }
            ChildProcess.destroyDescendants();
            tcp.restore();
        }, "scale-shutdown"));
        try {
            new Scale(options, shared).run();
        } finally {
            if (ballast.isPresent()) {
                ballast.get().delete();
            }
            tcp.restore();
        }
    }

    private void run() throws Exception {
        long startNs = System.nanoTime();
        Path workDir = options.run().workDir();
        Compare.log("work dir " + workDir);
        HostStalls.Result stallsBefore = HostStalls.measureForReport("before the run");
        if (options.brokers().contains("fjord")) {
            // Every measured Fjord start maps bin/fjord's start-up cache, as every start after a user's first does.
            FjordBrokerSpec.primeStartupCache(shared.env(), workDir.resolve("fjord-prime"), options.run().ports().fjord(),
                options.run().startTimeoutMs());
        }
        for (int round = 1; round <= options.rounds(); round++) {
            for (String key : options.cases()) {
                for (String broker : options.brokers()) {
                    runCase(ScaleCase.of(key), BrokerSpec.create(broker, workDir, options.run().ports(), shared.env()), round);
                    Sample.writeTsv(shared.results().samples(), workDir.resolve("results.tsv"));
                }
            }
        }
        BenchEnvironment env = shared.env();
        HostStalls.Result stallsAfter = HostStalls.measureForReport("after the run");
        List<String> meta = new ArrayList<>(env.describeMachine());
        meta.add(String.format(Locale.ROOT, "run: %d round(s), each case Kafka then Fjord, %.1f minutes; raw samples in %s",
            options.rounds(), (System.nanoTime() - startNs) / 60e9, env.fjordHome().relativize(workDir.resolve("results.tsv"))));
        meta.add("settings: " + options.summary());
        meta.add(PageCacheBallast.describe(shared.ballast()));
        meta.add(shared.tcp().describe());
        meta.add(shared.tools().describePayload());
        meta.add(stallsBefore.describe("before the run"));
        meta.add(stallsAfter.describe("after it"));
        meta.add("Kafka " + KafkaBrokerSpec.KAFKA_VERSION + " JVM: " + String.join(" ", KafkaBrokerSpec.DEFAULT_JVM_OPTIONS)
            + "; Fjord JVM: " + String.join(" ", FjordBrokerSpec.defaultJvmOptions(env.javaFeatureVersion())));
        meta.add("limits: open files (ulimit -n, inherited by brokers and tools) " + ProcStats.openFilesLimit()
            + "; no per-IP or total connection limit on either broker (Kafka's max.connections and max.connections.per.ip at their "
            + "default 2147483647); connections.max.idle.ms 600000 on both");
        Report.writeSection(options.run().doc(), options.run().section(),
            Report.markdown(options.run().title(), meta, shared.results().samples(), shared.results().notes()));
        Compare.log("wrote section '" + options.run().section() + "' of " + options.run().doc());
    }

    /** One case against one broker; a failure is noted (stack trace in the case's log dir) and the run goes on. */
    private void runCase(ScaleCase scaleCase, BrokerSpec spec, int round) throws Exception {
        Path logDir = options.run().workDir().resolve(spec.name()).resolve(scaleCase.key() + "-round-" + round);
        Files.createDirectories(logDir);
        ScaleContext ctx = new ScaleContext(shared, spec, round, logDir);
        Compare.log("round " + round + ": " + scaleCase.key() + " on " + spec.name() + " (fresh data dir)");
        try {
            scaleCase.run(ctx);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            Path trace = logDir.resolve("failure.txt");
            StringWriter text = new StringWriter();
            e.printStackTrace(new PrintWriter(text));
            Files.writeString(trace, text.toString());
            ctx.note(scaleCase.key() + " failed: " + firstLine(e) + " (stack trace in "
                + shared.env().fjordHome().relativize(trace) + ", broker output in " + shared.env().fjordHome().relativize(spec.outputFile()) + ")");
        } finally {
            ctx.finish();
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
    }
}
