package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The side-by-side benchmark: Apache Kafka and Fjord on this machine, one after the other, A/B in
 * every round, the same load from Kafka's own tools against each. Per broker and round: start
 * (timed to the first answered ApiVersions), idle RSS, then for every case a warm-up, a full-speed
 * ProducerPerformance run (broker CPU from /proc, RSS sampled), a fixed-rate run at half of Kafka's
 * measured maximum for latency percentiles; consumer throughput per size and partition count;
 * end-to-end latency from Kafka's EndToEndLatency and from {@link LatencyProbe} (microseconds);
 * clean shutdown. Medians and ratios go to {@code docs/benchmarks.md}, raw samples to results.tsv.
 *
 * <p>Single-threaded driver (plus an RSS sampler thread); every child process it starts is bounded
 * by a timeout, and a shutdown hook stops a broker left running by Ctrl-C.
 */
public final class Compare {

    static final String PRODUCE = "Producer throughput, full speed (ProducerPerformance)";
    static final String LATENCY = "Producer latency at a fixed rate, half of Kafka's max (ProducerPerformance)";
    static final String CONSUME = "Consumer throughput";
    static final String PERF_PRODUCE = "Producer throughput, full speed (fjord perf: Fjord's own lighter load generator)";
    static final String PERF_LATENCY = "Producer latency at the same fixed rate (fjord perf, microsecond resolution)";
    static final String E2E = "End-to-end latency, 1 partition";
    static final String BROKER = "Broker process";

    private final CompareOptions options;
    private final BenchEnvironment env;
    private final KafkaTools tools;
    private final FjordPerfTool perf;
    private final List<Sample> samples = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Long> fixedRateByCase = new HashMap<>();
    private final AtomicReference<BrokerProcess> running = new AtomicReference<>();
    private Optional<PageCacheBallast> ballast = Optional.empty();
    private final TcpCongestion tcp;
    private HostStalls.Result stallsBefore;

    private Compare(CompareOptions options, BenchEnvironment env, KafkaTools tools, TcpCongestion tcp) {
        this.options = options;
        this.env = env;
        this.tools = tools;
        this.tcp = tcp;
        this.perf = new FjordPerfTool(env);
    }

    public static void main(String[] argv) throws Exception {
        if (List.of(argv).contains("--help")) {
            System.out.println(CompareOptions.USAGE);
            return;
        }
        BenchEnvironment env = BenchEnvironment.detect();
        CompareOptions options;
        try {
            options = CompareOptions.parse(argv, env.fjordHome());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage().startsWith("usage") ? e.getMessage() : "compare: " + e.getMessage() + "\n" + CompareOptions.USAGE);
            System.exit(2);
            return;
        }
        TcpCongestion tcp;
        try {
            tcp = TcpCongestion.apply(options.tcpCongestion());
        } catch (IllegalStateException e) {
            System.err.println("compare: " + e.getMessage());
            System.exit(2);
            return;
        }
        Compare compare = new Compare(options, env, KafkaTools.create(env, options.workDir(), options.producerPayload()), tcp);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            compare.stopRunningBroker();
            ChildProcess.destroyDescendants();
            tcp.restore();
        }, "compare-shutdown"));
        try {
            compare.run();
        } finally {
            tcp.restore();
        }
    }

    private void run() throws Exception {
        long startNs = System.nanoTime();
        log("work dir " + options.workDir());
        stallsBefore = HostStalls.measureForReport("before the run");
        if (options.fullPageCache()) {
            ballast = PageCacheBallast.create(options.workDir());
        }
        try {
            runRounds(startNs);
        } finally {
            if (ballast.isPresent()) {
                ballast.get().delete();
            }
        }
    }

    private void runRounds(long startNs) throws Exception {
        if (options.brokers().contains("fjord")) {
            FjordBrokerSpec.primeStartupCache(env, options.workDir().resolve("fjord-prime"), options.ports().fjord(), options.startTimeoutMs());
        }
        for (int round = 1; round <= options.rounds(); round++) {
            for (String broker : options.brokers()) {
                runBrokerRound(spec(broker), round);
                writeTsv();
            }
        }
        double minutes = (System.nanoTime() - startNs) / 60e9;
        HostStalls.Result stallsAfter = HostStalls.measureForReport("after the run");
        List<String> meta = new ArrayList<>(env.describeMachine());
        meta.add(String.format(Locale.ROOT, "run: %d round(s) A/B (Kafka then Fjord), %.1f minutes; raw samples in %s",
            options.rounds(), minutes, env.fjordHome().relativize(options.workDir().resolve("results.tsv"))));
        meta.add("settings: " + commandLineSummary());
        meta.add(PageCacheBallast.describe(ballast));
        meta.add(tcp.describe());
        meta.add(tools.describePayload());
        meta.add(stallsBefore.describe("before the run"));
        meta.add(stallsAfter.describe("after it"));
        meta.add("Kafka " + KafkaBrokerSpec.KAFKA_VERSION + " JVM: " + String.join(" ", KafkaBrokerSpec.DEFAULT_JVM_OPTIONS)
            + "; Fjord JVM: " + String.join(" ", FjordBrokerSpec.defaultJvmOptions(env.javaFeatureVersion())));
        Report.writeSection(options.doc(), options.section(), Report.markdown(options.title(), meta, samples, notes));
        log("wrote section '" + options.section() + "' of " + options.doc());
    }

    private String commandLineSummary() {
        return String.format(Locale.ROOT, "--rounds %d --sizes %s --partitions %s --acks %s --records %s --warmup-percent %d "
                + "--read-warmup-percent %d --latency-seconds %s --latency-warmup-seconds %s --e2e-messages %d --probe-seconds %s "
                + "--probe-warmup-seconds %s --tcp-congestion %s --producer-payload %s%s", options.rounds(),
            join(options.sizes()), join(options.partitions()), String.join(",", options.acks()), recordsSpec(), options.warmupPercent(),
            options.readWarmupPercent(), options.latencySeconds(), options.latencyWarmupSeconds(), options.e2eMessages(),
            options.probeSeconds(), options.probeWarmupSeconds(), options.tcpCongestion(), options.producerPayload().option(),
            options.smoke() ? " (--smoke)" : "");
    }

    private String recordsSpec() {
        List<String> parts = new ArrayList<>();
        for (int size : options.sizes()) {
            parts.add(size + ":" + options.records(size));
        }
        return String.join(",", parts);
    }

    private static String join(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    private BrokerSpec spec(String broker) {
        return BrokerSpec.create(broker, options.workDir(), options.ports(), env);
    }

    private void runBrokerRound(BrokerSpec spec, int round) throws Exception {
        log("round " + round + ": " + spec.name() + " — preparing a fresh data dir");
        spec.prepareFresh(env);
        settle(1_000);
        BrokerProcess broker = BrokerProcess.start(spec, env, options.startTimeoutMs());
        running.set(broker);
        RoundContext ctx = new RoundContext(spec, broker, round, options.workDir().resolve(spec.name()).resolve("round-" + round));
        Files.createDirectories(ctx.logDir());
        record(ctx, new Figure(BROKER, "start-up", "to first answered ApiVersions", "ms", Figure.Better.LOWER, Figure.Bar.fjordAtMost(500)),
            broker.readiness().readyMs());
        record(ctx, new Figure(BROKER, "start-up", "to listening socket", "ms", Figure.Better.INFO, Figure.Bar.NONE),
            broker.readiness().listenMs());
        log(String.format(Locale.ROOT, "%s ready in %.0f ms (listening after %.0f ms), pid %d", spec.name(),
            broker.readiness().readyMs(), broker.readiness().listenMs(), broker.pid()));
        Thread.sleep((long) (options.settleSeconds() * 1000));
        record(ctx, new Figure(BROKER, "idle", "resident memory (VmRSS)", "MB", Figure.Better.LOWER, Figure.Bar.fjordAtMost(150)),
            ProcStats.rssBytes(broker.pid()) / 1048576.0);
        Topics.create(spec.bootstrap(), topicsToCreate(), 60_000);
        RssSampler sampler = new RssSampler(broker.pid(), 100);
        try {
            for (ProduceCase c : produceCases()) {
                runProduceCase(ctx, c);
            }
            runConsumeCases(ctx);
            handBackTopicPages(ctx);
            runEndToEnd(ctx);
        } finally {
            sampler.close();
        }
        record(ctx, new Figure(BROKER, "under load", "peak resident memory (VmRSS)", "MB", Figure.Better.LOWER, Figure.Bar.NONE),
            sampler.maxRssBytes() / 1048576.0);
        double stopMs = broker.stopCleanly(120_000);
        running.set(null);
        record(ctx, new Figure(BROKER, "shutdown", "SIGTERM to exit", "ms", Figure.Better.INFO, Figure.Bar.NONE), stopMs);
        // Free the disk for the next broker: every round starts from an empty data dir anyway.
        BrokerSpec.deleteRecursively(spec.dataDir());
    }

    /** One producer case: record size, partition count, acks. */
    record ProduceCase(int size, int partitions, String acks) {
        String topic() {
            return "bench-" + size + "b-" + partitions + "p-acks" + acks;
        }

        String label() {
            return size + " B, " + partitions + (partitions == 1 ? " partition" : " partitions") + ", acks=" + acks;
        }
    }

    /** What a round knows: which broker, which round, where its tool logs go. */
    record RoundContext(BrokerSpec spec, BrokerProcess broker, int round, Path logDir) {
    }

    private List<ProduceCase> produceCases() {
        List<ProduceCase> cases = new ArrayList<>();
        for (int size : options.sizes()) {
            for (int partitions : options.partitions()) {
                for (String acks : options.acks()) {
                    cases.add(new ProduceCase(size, partitions, acks));
                }
            }
        }
        return cases;
    }

    private Map<String, Integer> topicsToCreate() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (ProduceCase c : produceCases()) {
            topics.put(c.topic(), c.partitions());
        }
        for (int size : options.sizes()) {
            topics.put(e2eTopic(size), 1);
            topics.put(probeTopic(size), 1);
        }
        return topics;
    }

    private static String e2eTopic(int size) {
        return "e2e-" + size + "b";
    }

    private static String probeTopic(int size) {
        return "probe-" + size + "b";
    }

    private void runProduceCase(RoundContext ctx, ProduceCase c) throws Exception {
        String bootstrap = ctx.spec().bootstrap();
        long warmup = options.warmupRecords(c.size());
        long records = options.records(c.size());
        Load load = timedLoad(ctx, "produce-" + c.topic(),
            tools.warmedProducerPerformance(bootstrap, c.topic(), warmup, Jit.WARMUP_MAX_MS, records, c.size(), -1, c.acks()));
        ChildProcess.Result result = load.result();
        Optional<ToolOutputs.ProducerSummary> summary = ToolOutputs.producer(result.output());
        if (summary.isEmpty()) {
            failed(ctx, "ProducerPerformance " + c.label(), result);
            return;
        }
        ToolOutputs.ProducerSummary s = summary.get();
        record(ctx, fig(PRODUCE, c, "throughput", "MB/s", Figure.Better.HIGHER, Figure.Bar.ratioAtLeast(1.3)), s.mbPerSec());
        record(ctx, fig(PRODUCE, c, "records/s", "rec/s", Figure.Better.HIGHER, Figure.Bar.NONE), s.recordsPerSec());
        // Which side set the pace: records waiting far longer than a request took means a full client buffer, the
        // requests in flight the limit (see ToolOutputs.ProducerClientMetrics).
        ToolOutputs.producerClientMetrics(result.output()).ifPresent(m -> {
            record(ctx, fig(PRODUCE, c, "client: record wait in buffer (record-queue-time-avg)", "ms", Figure.Better.INFO,
                Figure.Bar.NONE), m.recordQueueMs());
            record(ctx, fig(PRODUCE, c, "client: produce request round trip (request-latency-avg)", "ms", Figure.Better.INFO,
                Figure.Bar.NONE), m.requestLatencyMs());
        });
        Map<String, Double> warmed = warmedResult(ctx, PRODUCE, c.label(), "JIT compiling during the counted run", result);
        // CPU is counted over the whole run, every warm-up pass included, so it is per GB of everything sent.
        recordBrokerCost(ctx, PRODUCE, c, load, ToolOutputs.recordsRead(warmed, records, warmup) * (double) c.size() / 1e9);
        if (ctx.spec().name().equals("kafka")) {
            fixedRateByCase.putIfAbsent(c.label(), Math.max(1, (long) (s.recordsPerSec() / 2)));
        }
        runLatencyCase(ctx, c, s.recordsPerSec());
        if (options.fjordPerf()) {
            runPerfProduceCase(ctx, c);
        }
    }

    /** A load tool's run with the broker's CPU (user and kernel) and the machine's busy cores over it. */
    private record Load(ChildProcess.Result result, ProcStats.ProcessCpu brokerCpu, double busyCores) {
        double brokerCpuSeconds() {
            return brokerCpu.totalSeconds();
        }
    }

    /** Before a start or a timed run: the page cache topped up (with --page-cache full), then a quiet disk. */
    private void settle(long quietMs) throws IOException, InterruptedException {
        DiskSettle.await(ballast, quietMs);
    }

    private Load timedLoad(RoundContext ctx, String name, List<String> command) throws IOException, InterruptedException {
        settle(500);
        long pid = ctx.broker().pid();
        ProcStats.ProcessCpu cpuBefore = ProcStats.processCpu(pid);
        ProcStats.MachineTicks machineBefore = ProcStats.machineTicks();
        ChildProcess.Result result = runTool(ctx, name, command);
        ProcStats.ProcessCpu cpuAfter = ProcStats.processCpu(pid);
        if (cpuAfter == ProcStats.ProcessCpu.GONE || !ctx.broker().isAlive()) {
            // Its CPU can no longer be read: a figure from the difference would be nonsense, not a measurement.
            throw new IOException(ctx.spec().name() + " died during " + name + " in round " + ctx.round() + "; see " + ctx.spec().outputFile());
        }
        ProcStats.ProcessCpu cpu = cpuAfter.since(cpuBefore);
        ProcStats.MachineTicks machineAfter = ProcStats.machineTicks();
        logSteal(name, machineBefore, machineAfter, result.wallSeconds());
        return new Load(result, cpu, machineAfter.busyCoresSince(machineBefore, result.wallSeconds()));
    }

    /**
     * Logs the hypervisor's steal over a timed run when it reached 0.05 cores: not a figure of either
     * broker, but it tells a slow round on a shared host from a slow broker.
     */
    static void logSteal(String name, ProcStats.MachineTicks before, ProcStats.MachineTicks after, double wallSeconds) {
        double steal = after.stealCoresSince(before, wallSeconds);
        if (steal >= 0.05) {
            log(String.format(Locale.ROOT, "    %s: the hypervisor took %.2f cores from this machine during the run", name, steal));
        }
    }

    /** Broker CPU per GB of {@code gb} ingested, its share in cores, and the machine's busy cores. */
    private void recordBrokerCost(RoundContext ctx, String group, ProduceCase c, Load load, double gb) {
        double wall = load.result().wallSeconds();
        record(ctx, fig(group, c, "broker CPU per GB ingested", "CPU s/GB", Figure.Better.LOWER, Figure.Bar.ratioAtMost(0.7)),
            load.brokerCpuSeconds() / gb);
        record(ctx, fig(group, c, "broker CPU share", "cores", Figure.Better.INFO, Figure.Bar.NONE), load.brokerCpuSeconds() / wall);
        // On these VMs most of an ingest's kernel time is the guest getting fresh page-cache pages from the
        // host, which no broker code removes: the split says how much of the CPU per GB was the broker's own.
        if (load.brokerCpuSeconds() > 0) {
            record(ctx, fig(group, c, "broker CPU in the kernel", "share", Figure.Better.INFO, Figure.Bar.NONE),
                load.brokerCpu().systemSeconds() / load.brokerCpuSeconds());
        }
        record(ctx, fig(group, c, "machine busy (broker + tool)", "cores", Figure.Better.INFO, Figure.Bar.NONE), load.busyCores());
    }

    /** The same case driven by fjord perf: on 2 cores a lighter load tool leaves the broker more of the machine. */
    private void runPerfProduceCase(RoundContext ctx, ProduceCase c) throws Exception {
        String bootstrap = ctx.spec().bootstrap();
        long records = options.records(c.size());
        Load load = timedLoad(ctx, "perf-produce-" + c.topic(),
            perf.produce(bootstrap, c.topic(), options.warmupRecords(c.size()), records, c.size(), -1, c.acks()));
        ChildProcess.Result result = load.result();
        Optional<Map<String, Double>> values = FjordPerfTool.result(result);
        if (values.isEmpty()) {
            failed(ctx, "fjord perf produce " + c.label(), result);
            return;
        }
        Map<String, Double> v = values.get();
        // CPU is counted over the whole run, warm-up included, so it is per GB of everything sent.
        record(ctx, fig(PERF_PRODUCE, c, "throughput", "MB/s", Figure.Better.HIGHER, Figure.Bar.ratioAtLeast(1.3)), v.get("mbPerSec"));
        recordBrokerCost(ctx, PERF_PRODUCE, c, load, (records + options.warmupRecords(c.size())) * (double) c.size() / 1e9);
        long rate = options.latencyRate() > 0 ? options.latencyRate() : fixedRateByCase.getOrDefault(c.label(), 0L);
        if (rate == 0) {
            return;
        }
        long latencyRecords = Math.max(1, (long) (rate * options.latencySeconds()));
        ChildProcess.Result latency = tool(ctx, "perf-latency-" + c.topic(),
            perf.produce(bootstrap, c.topic(), latencyWarmupRecords(rate), latencyRecords, c.size(), rate, c.acks()));
        Optional<Map<String, Double>> lv = FjordPerfTool.result(latency);
        if (lv.isEmpty()) {
            failed(ctx, "fjord perf produce at " + rate + " rec/s " + c.label(), latency);
            return;
        }
        record(ctx, fig(PERF_LATENCY, c, "rate", "rec/s", Figure.Better.INFO, Figure.Bar.NONE), rate);
        record(ctx, fig(PERF_LATENCY, c, "p50", "µs", Figure.Better.LOWER, Figure.Bar.NONE), lv.get().get("p50Us"));
        record(ctx, fig(PERF_LATENCY, c, "p99", "µs", Figure.Better.LOWER, Figure.Bar.ratioAtMost(0.5)), lv.get().get("p99Us"));
        record(ctx, fig(PERF_LATENCY, c, "p99.9", "µs", Figure.Better.LOWER, Figure.Bar.NONE), lv.get().get("p999Us"));
    }

    /** Warm-up at the fixed rate, in the load tool's own JVM, before the counted latency run (both tools alike). */
    private long latencyWarmupRecords(long rate) {
        return Math.max(1, (long) (rate * options.latencyWarmupSeconds()));
    }

    private void runLatencyCase(RoundContext ctx, ProduceCase c, double ownMaxRecordsPerSec) throws Exception {
        long rate = options.latencyRate() > 0 ? options.latencyRate() : fixedRateByCase.getOrDefault(c.label(), 0L);
        if (rate == 0) {
            rate = Math.max(1, (long) (ownMaxRecordsPerSec / 2));
            note(ctx, "latency rate for " + c.label() + " is half of " + ctx.spec().name() + "'s own max (" + rate
                + " rec/s): no Kafka figure to take it from");
        }
        long records = Math.max(1, (long) (rate * options.latencySeconds()));
        ChildProcess.Result result = tool(ctx, "latency-" + c.topic(),
            tools.warmedProducerPerformance(ctx.spec().bootstrap(), c.topic(), latencyWarmupRecords(rate), 0, records, c.size(), rate,
                c.acks()));
        Optional<ToolOutputs.ProducerSummary> summary = ToolOutputs.producer(result.output());
        if (summary.isEmpty()) {
            failed(ctx, "ProducerPerformance at " + rate + " rec/s " + c.label(), result);
            return;
        }
        ToolOutputs.ProducerSummary s = summary.get();
        record(ctx, fig(LATENCY, c, "rate", "rec/s", Figure.Better.INFO, Figure.Bar.NONE), rate);
        record(ctx, fig(LATENCY, c, "p50", "ms", Figure.Better.LOWER, Figure.Bar.NONE), s.p50Ms());
        record(ctx, fig(LATENCY, c, "p99", "ms", Figure.Better.LOWER, Figure.Bar.ratioAtMost(0.5)), s.p99Ms());
        record(ctx, fig(LATENCY, c, "p99.9", "ms", Figure.Better.LOWER, Figure.Bar.NONE), s.p999Ms());
    }

    private void runConsumeCases(RoundContext ctx) throws Exception {
        if (options.consumers().equals("none")) {
            return;
        }
        String acks = options.acks().contains("1") ? "1" : options.acks().get(0);
        for (int size : options.sizes()) {
            for (int partitions : options.partitions()) {
                ProduceCase c = new ProduceCase(size, partitions, acks);
                long records = options.records(size);
                String label = size + " B, " + partitions + (partitions == 1 ? " partition" : " partitions");
                if (!options.consumers().equals("assign")) {
                    warmTopic(ctx, c);
                    runConsumerPerformance(ctx, c, label, records);
                }
                if (!options.consumers().equals("kafka")) {
                    warmTopic(ctx, c);
                    runAssignConsumer(ctx, c, label, records);
                }
                if (options.fjordPerf()) {
                    warmTopic(ctx, c);
                    runPerfConsumer(ctx, c, label, records);
                }
            }
        }
    }

    /**
     * Reads the topic's segment files into the page cache before a consumer run, so the run measures
     * the broker serving from memory whichever broker it is (see {@link PageCache#warm}), and logs
     * how much of it the cache still held.
     */
    private void warmTopic(RoundContext ctx, ProduceCase c) throws IOException, InterruptedException {
        // The read covers the first records of the topic; a third more than their payload covers
        // record and batch overhead and partitions that got more than their share.
        long bytesPerPartition = (long) (options.records(c.size()) * (double) c.size() / c.partitions() * 1.33);
        List<Path> files = PageCache.topicLogFiles(ctx.spec().dataDir(), c.topic(), bytesPerPartition);
        OptionalLong resident = PageCache.residentBytes(files);
        long bytes = PageCache.warm(files);
        log(String.format(Locale.ROOT, "  %s: page cache held %s of the %.0f MB a read from the start needs; read it in", c.topic(),
            resident.isPresent() ? megabytes(resident) : "an unknown part", bytes / 1048576.0));
    }

    /**
     * Drops the producer topics' pages from the page cache before the end-to-end runs. The read cases
     * leave gigabytes of them cached, and these machines reclaim pages left untouched for about 30 s
     * (DAMON): left alone, that reclaim of several GB lands inside the next runs — the latency probe —
     * whichever broker it is. No later case reads those topics.
     */
    private void handBackTopicPages(RoundContext ctx) throws IOException, InterruptedException {
        List<Path> files = new ArrayList<>();
        for (ProduceCase c : produceCases()) {
            files.addAll(PageCache.topicLogFiles(ctx.spec().dataDir(), c.topic(), Long.MAX_VALUE));
        }
        OptionalLong before = PageCache.residentBytes(files);
        PageCache.dropFromCache(files);
        OptionalLong after = PageCache.residentBytes(files);
        log(String.format(Locale.ROOT, "  handed the producer topics' pages back to the kernel: %d files, cached %s -> %s", files.size(),
            megabytes(before), megabytes(after)));
    }

    private static String megabytes(OptionalLong bytes) {
        return bytes.isPresent() ? String.format(Locale.ROOT, "%.0f MB", bytes.getAsLong() / 1048576.0) : "unknown";
    }

    /**
     * Broker CPU per GB a consumer read ({@code recordsRead}: its warm-up read included, as for producers) and the
     * machine's busy cores: with one client thread decoding every record, the read can be bound by
     * the client, and then the broker's cost is what tells brokers apart.
     */
    private void recordReadCost(RoundContext ctx, String label, String tool, Load load, ProduceCase c, long recordsRead) {
        double gb = recordsRead * (double) c.size() / 1e9;
        record(ctx, new Figure(CONSUME, label, tool + ": broker CPU per GB read", "CPU s/GB", Figure.Better.LOWER, Figure.Bar.NONE),
            load.brokerCpuSeconds() / gb);
        record(ctx, new Figure(CONSUME, label, tool + ": machine busy (broker + tool)", "cores", Figure.Better.INFO, Figure.Bar.NONE),
            load.busyCores());
    }

    private void runConsumerPerformance(RoundContext ctx, ProduceCase c, String label, long records) throws Exception {
        Load load = timedLoad(ctx, "consume-" + c.topic(),
            tools.warmedConsumerPerformance(ctx.spec().bootstrap(), c.topic(), options.readWarmupRecords(c.size()), Jit.WARMUP_MAX_MS,
                records, options.consumerTimeoutMs()));
        ChildProcess.Result result = load.result();
        Optional<ToolOutputs.ConsumerSummary> summary = ToolOutputs.consumer(result.output());
        if (summary.isEmpty() || summary.get().messages() < records) {
            failed(ctx, "ConsumerPerformance (consumer group) " + label + summary.map(s -> ": read " + s.messages() + " of " + records).orElse(""),
                result);
            return;
        }
        record(ctx, new Figure(CONSUME, label, "ConsumerPerformance fetch.MB.sec", "MB/s", Figure.Better.HIGHER, Figure.Bar.ratioAtLeast(1.2)),
            summary.get().fetchMbPerSec());
        Map<String, Double> warmup = warmedResult(ctx, CONSUME, label, "ConsumerPerformance: JIT compiling during the counted read", result);
        recordReadCost(ctx, label, "ConsumerPerformance", load, c, ToolOutputs.recordsRead(warmup, records, options.readWarmupRecords(c.size())));
    }

    private void runAssignConsumer(RoundContext ctx, ProduceCase c, String label, long records) throws Exception {
        Load load = timedLoad(ctx, "assign-consume-" + c.topic(), tools.probe(AssignConsumerPerf.class,
            List.of("--bootstrap", ctx.spec().bootstrap(), "--topic", c.topic(), "--records", Long.toString(records),
                "--warmup-records", Long.toString(options.readWarmupRecords(c.size())), "--warmup-max-ms", Long.toString(Jit.WARMUP_MAX_MS),
                "--timeout-ms", Long.toString(options.consumerTimeoutMs()))));
        ChildProcess.Result result = load.result();
        Optional<Map<String, Double>> values = ToolOutputs.probeResult(result.output());
        if (values.isEmpty() || result.exitCode() != 0) {
            failed(ctx, "assign-based consumer " + label, result);
            return;
        }
        record(ctx, new Figure(CONSUME, label, "assign consumer (no group)", "MB/s", Figure.Better.HIGHER, Figure.Bar.ratioAtLeast(1.2)),
            values.get().get("mb_per_s"));
        AssignConsumerPerf.forEachDiagnostic(values.get(), (d, value) ->
            record(ctx, new Figure(CONSUME, label, "assign consumer: " + d.figure(), d.unit(), Figure.Better.INFO, Figure.Bar.NONE), value));
        recordReadCost(ctx, label, "assign consumer", load, c, ToolOutputs.recordsRead(values.get(), records, options.readWarmupRecords(c.size())));
    }

    private void runPerfConsumer(RoundContext ctx, ProduceCase c, String label, long records) throws Exception {
        Load load = timedLoad(ctx, "perf-consume-" + c.topic(),
            perf.consume(ctx.spec().bootstrap(), c.topic(), options.readWarmupRecords(c.size()), records, options.consumerTimeoutMs()));
        ChildProcess.Result result = load.result();
        Optional<Map<String, Double>> values = FjordPerfTool.result(result);
        if (values.isEmpty()) {
            failed(ctx, "fjord perf consume " + label, result);
            return;
        }
        record(ctx, new Figure(CONSUME, label, "fjord perf consume (batch bytes)", "MB/s", Figure.Better.HIGHER, Figure.Bar.ratioAtLeast(1.2)),
            values.get().get("mbPerSec"));
        recordReadCost(ctx, label, "fjord perf consume", load, c,
            FjordPerfTool.recordsRead(values.get(), records, options.readWarmupRecords(c.size())));
    }

    private void runEndToEnd(RoundContext ctx) throws Exception {
        for (int size : options.sizes()) {
            String label = size + " B, acks=" + options.e2eAcks();
            ChildProcess.Result kafkaTool = tool(ctx, "e2e-" + size + "b", tools.endToEndLatency(ctx.spec().bootstrap(), e2eTopic(size),
                Math.max(1, options.e2eMessages() / 2), options.e2eMessages(), options.e2eAcks(), size));
            Optional<ToolOutputs.EndToEndSummary> e2e = ToolOutputs.endToEnd(kafkaTool.output());
            if (e2e.isPresent()) {
                String tool = "EndToEndLatency (one at a time) ";
                record(ctx, new Figure(E2E, label, tool + "avg", "ms", Figure.Better.LOWER, Figure.Bar.NONE), e2e.get().avgMs());
                record(ctx, new Figure(E2E, label, tool + "p99 (truncated to ms)", "ms", Figure.Better.LOWER, Figure.Bar.NONE), e2e.get().p99Ms());
                warmedResult(ctx, E2E, label, tool + "JIT compiling during the counted run", kafkaTool);
            } else {
                failed(ctx, "EndToEndLatency " + label, kafkaTool);
            }
            runLatencyProbe(ctx, size, label);
        }
    }

    private void runLatencyProbe(RoundContext ctx, int size, String label) throws Exception {
        ChildProcess.Result result = tool(ctx, "probe-" + size + "b", tools.probe(LatencyProbe.class, List.of(
            "--bootstrap", ctx.spec().bootstrap(), "--topic", probeTopic(size), "--record-size", Integer.toString(size),
            "--rate", Integer.toString(options.probeRate()), "--seconds", Double.toString(options.probeSeconds()),
            "--warmup-seconds", Double.toString(options.probeWarmupSeconds()), "--acks", options.e2eAcks())));
        Optional<Map<String, Double>> values = ToolOutputs.probeResult(result.output());
        if (values.isEmpty() || values.get().get("count") == 0) {
            failed(ctx, "LatencyProbe " + label, result);
            return;
        }
        String probe = "probe at " + options.probeRate() + " rec/s ";
        Map<String, Double> v = values.get();
        record(ctx, new Figure(E2E, label, probe + "p50", "µs", Figure.Better.LOWER, Figure.Bar.NONE), v.get("p50_us"));
        record(ctx, new Figure(E2E, label, probe + "p99", "µs", Figure.Better.LOWER, Figure.Bar.ratioAtMost(0.5)), v.get("p99_us"));
        record(ctx, new Figure(E2E, label, probe + "p99.9", "µs", Figure.Better.LOWER, Figure.Bar.NONE), v.get("p999_us"));
        record(ctx, new Figure(E2E, label, probe + "max", "µs", Figure.Better.LOWER, Figure.Bar.NONE), v.get("max_us"));
        if (v.get("lost") > 0 || v.get("send_errors") > 0) {
            note(ctx, "LatencyProbe " + label + ": " + v.get("lost").longValue() + " records not received, "
                + v.get("send_errors").longValue() + " send errors");
        }
    }

    private ChildProcess.Result tool(RoundContext ctx, String name, List<String> command) throws IOException, InterruptedException {
        settle(500);
        return runTool(ctx, name, command);
    }

    private ChildProcess.Result runTool(RoundContext ctx, String name, List<String> command) throws IOException, InterruptedException {
        if (!ctx.broker().isAlive()) {
            throw new IOException(ctx.spec().name() + " died during round " + ctx.round() + "; see " + ctx.spec().outputFile());
        }
        log("  " + ctx.spec().name() + " r" + ctx.round() + " " + name);
        ChildProcess.Result result = ChildProcess.run(command, ctx.logDir().resolve(name + ".log"), options.toolTimeoutSeconds());
        if (result.timedOut()) {
            note(ctx, name + " timed out after " + options.toolTimeoutSeconds() + " s");
        }
        return result;
    }

    /**
     * A {@link WarmedTool} run's closing {@code RESULT} values (warm-up passes, the counted run's JIT share; empty when
     * it printed none), its JIT share recorded as {@code metric} of {@code group} / {@code label}.
     */
    private Map<String, Double> warmedResult(RoundContext ctx, String group, String label, String metric, ChildProcess.Result result) {
        Map<String, Double> values = ToolOutputs.probeResult(result.output()).orElse(Map.of());
        Double share = values.get("jit_share");
        if (share != null) {
            record(ctx, new Figure(group, label, metric, "share", Figure.Better.INFO, Figure.Bar.NONE), share);
        }
        return values;
    }

    private static Figure fig(String group, ProduceCase c, String metric, String unit, Figure.Better better, Figure.Bar bar) {
        return new Figure(group, c.label(), metric, unit, better, bar);
    }

    private void record(RoundContext ctx, Figure figure, double value) {
        samples.add(new Sample(ctx.round(), ctx.spec().name(), figure, value));
    }

    private void failed(RoundContext ctx, String what, ChildProcess.Result result) {
        note(ctx, what + " gave no result (exit " + result.exitCode() + "): " + result.lastMeaningfulLine());
    }

    private void note(RoundContext ctx, String text) {
        String note = ctx.spec().name() + " round " + ctx.round() + ": " + text;
        notes.add(note);
        log("NOTE " + note);
    }

    private void writeTsv() throws IOException {
        Sample.writeTsv(samples, options.workDir().resolve("results.tsv"));
    }

    private void stopRunningBroker() {
        BrokerProcess broker = running.getAndSet(null);
        if (broker != null) {
            broker.close();
        }
    }

    static void log(String message) {
        System.out.printf("[%tT] %s%n", System.currentTimeMillis(), message);
    }
}
