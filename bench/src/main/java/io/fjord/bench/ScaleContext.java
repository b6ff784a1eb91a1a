package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one scale case needs while it runs against one broker in one round: the broker's spec, a
 * fresh start, tool runs with the broker's CPU measured over them, and where samples and notes go.
 * Created by {@link Scale} per (round, case, broker); used on the driver thread only. The broker
 * it started is registered in {@link Shared#running()} so that Ctrl-C (the shutdown hook) and
 * {@link #finish()} never leave one behind.
 */
final class ScaleContext {

    /** Every scale case produces with acks=1, as the issue states its cases. */
    static final String ACKS = "1";

    /** What all contexts of one run share. */
    record Shared(BenchEnvironment env, KafkaTools tools, ScaleOptions options, Results results,
                  AtomicReference<BrokerProcess> running, Optional<PageCacheBallast> ballast, TcpCongestion tcp) {
    }

    /** The run's samples and notes, in the order taken. */
    record Results(List<Sample> samples, List<String> notes) {
        Results() {
            this(new ArrayList<>(), new ArrayList<>());
        }
    }

    /** A tool run while the broker ran: its result, the broker's CPU seconds over it and the machine's busy cores. */
    record ToolRun(ChildProcess.Result result, double brokerCpuSeconds, double machineBusyCores) {
        double brokerCores() {
            return brokerCpuSeconds / result.wallSeconds();
        }
    }

    /** A ProducerPerformance run: the tool's summary and the broker's CPU per GB of record values ingested. */
    record ProducerRun(ToolOutputs.ProducerSummary summary, ToolRun run, long records, int recordSize) {
        double cpuSecondsPerGb() {
            return run.brokerCpuSeconds() / (records * (double) recordSize / 1e9);
        }
    }

    /** A read from the start with one {@link Reader}: MB/s of record values and the broker's CPU per GB of them. */
    /** A read-back; {@code values} is the tool's whole RESULT line (the assign consumer's diagnostics among it). */
    record ConsumerRun(double mbPerSec, ToolRun run, long records, int recordSize, Map<String, Double> values) {
        double cpuSecondsPerGb() {
            return run.brokerCpuSeconds() / (records * (double) recordSize / 1e9);
        }
    }

    /** How long a consumer waits for records that do not come before it gives up. */
    private static final long CONSUMER_TIMEOUT_MS = 60_000;

    private final Shared shared;
    private final BrokerSpec spec;
    private final int round;
    private final Path logDir;

    ScaleContext(Shared shared, BrokerSpec spec, int round, Path logDir) {
        this.shared = shared;
        this.spec = spec;
        this.round = round;
        this.logDir = logDir;
    }

    /** Before a timed run: the page cache topped up (partitions1000 with --page-cache full), then a quiet disk. */
    void settle(long quietMs) throws IOException, InterruptedException {
        DiskSettle.await(shared.ballast(), quietMs);
    }

    BenchEnvironment env() {
        return shared.env();
    }

    KafkaTools tools() {
        return shared.tools();
    }

    ScaleOptions options() {
        return shared.options();
    }

    BrokerSpec spec() {
        return spec;
    }

    Path logDir() {
        return logDir;
    }

    long startTimeoutMs() {
        return options().run().startTimeoutMs();
    }

    /** Deletes any previous data, starts the broker and waits for its first answered ApiVersions. */
    BrokerProcess startFresh() throws IOException, InterruptedException {
        spec.prepareFresh(env());
        return track(BrokerProcess.start(spec, env(), startTimeoutMs()));
    }

    /** Registers a broker started elsewhere (a timed restart) so that {@link #finish()} stops it. */
    BrokerProcess track(BrokerProcess broker) {
        shared.running().set(broker);
        return broker;
    }

    /** SIGTERM and wait; the milliseconds to exit. */
    double stopCleanly(BrokerProcess broker) throws IOException, InterruptedException {
        double stopMs = broker.stopCleanly(startTimeoutMs());
        shared.running().compareAndSet(broker, null);
        return stopMs;
    }

    /** Stops whatever this case left running and deletes the data dir: the next case starts from nothing. */
    void finish() throws IOException {
        BrokerProcess broker = shared.running().getAndSet(null);
        if (broker != null) {
            broker.close();
        }
        BrokerSpec.deleteRecursively(spec.dataDir());
    }

    /** Runs a tool to completion with its output in {@code logDir/name.log}; notes a timeout. */
    ChildProcess.Result tool(BrokerProcess broker, String name, List<String> command) throws IOException, InterruptedException {
        if (!broker.isAlive()) {
            throw new IOException(spec.name() + " died; see " + spec.outputFile());
        }
        Compare.log("  " + spec.name() + " r" + round + " " + name);
        long timeoutSeconds = options().run().toolTimeoutSeconds();
        ChildProcess.Result result = ChildProcess.run(command, logDir.resolve(name + ".log"), timeoutSeconds);
        if (result.timedOut()) {
            note(name + " timed out after " + timeoutSeconds + " s");
        }
        return result;
    }

    /** {@link #tool}, with the broker's CPU time and the machine's busy cores over the run. */
    ToolRun measured(BrokerProcess broker, String name, List<String> command) throws IOException, InterruptedException {
        double cpuBefore = ProcStats.cpuSeconds(broker.pid());
        ProcStats.MachineTicks machineBefore = ProcStats.machineTicks();
        ChildProcess.Result result = tool(broker, name, command);
        double cpu = ProcStats.cpuSeconds(broker.pid()) - cpuBefore;
        ProcStats.MachineTicks machineAfter = ProcStats.machineTicks();
        Compare.logSteal(name, machineBefore, machineAfter, result.wallSeconds());
        return new ToolRun(result, cpu, machineAfter.busyCoresSince(machineBefore, result.wallSeconds()));
    }

    /** A full-speed ProducerPerformance run, acks=1, client defaults otherwise; empty (and noted) when the tool gave no summary. */
    Optional<ProducerRun> produce(BrokerProcess broker, String name, String topic, long records, int recordSize)
            throws IOException, InterruptedException {
        ToolRun run = measured(broker, name, tools().producerPerformance(spec.bootstrap(), topic, records, recordSize, -1, ACKS));
        Optional<ToolOutputs.ProducerSummary> summary = ToolOutputs.producer(run.result().output());
        if (summary.isEmpty()) {
            failed("ProducerPerformance " + name, run.result());
            return Optional.empty();
        }
        return Optional.of(new ProducerRun(summary.get(), run, records, recordSize));
    }

    /** The consumers a read-back runs with: Kafka's client (assign, no group) and Fjord's lighter one. */
    enum Reader {
        ASSIGN("assign consumer", "assign", "mb_per_s"),
        FJORD_PERF("fjord perf consume", "perf", "mbPerSec");

        final String title;
        final String logName;
        final String key;

        Reader(String title, String logName, String key) {
            this.title = title;
            this.logName = logName;
            this.key = key;
        }
    }

    /**
     * Reads {@code warmupRecords} and then {@code records} from the start of the topic with
     * {@code reader} in one JVM (default fetch settings; fjord perf repeats its warm-up for a minimum
     * time); the broker's CPU covers every read. Empty (and noted) when the tool gave no result.
     */
    Optional<ConsumerRun> consume(BrokerProcess broker, Reader reader, String name, String topic, long records, long warmupRecords,
                                  int recordSize) throws IOException, InterruptedException {
        List<String> command = switch (reader) {
            case ASSIGN -> tools().probe(AssignConsumerPerf.class, List.of("--bootstrap", spec.bootstrap(), "--topic", topic,
                "--records", Long.toString(records), "--warmup-records", Long.toString(warmupRecords),
                "--warmup-max-ms", Long.toString(Jit.WARMUP_MAX_MS), "--timeout-ms", Long.toString(CONSUMER_TIMEOUT_MS)));
            case FJORD_PERF -> new FjordPerfTool(env()).consume(spec.bootstrap(), topic, warmupRecords, records, CONSUMER_TIMEOUT_MS);
        };
        ToolRun run = measured(broker, name, command);
        Optional<Map<String, Double>> values = reader == Reader.ASSIGN ? ToolOutputs.probeResult(run.result().output())
            : FjordPerfTool.result(run.result().output());
        if (values.isEmpty() || run.result().exitCode() != 0 || !values.get().containsKey(reader.key)) {
            failed(reader.title + " " + name, run.result());
            return Optional.empty();
        }
        long read = reader == Reader.FJORD_PERF ? FjordPerfTool.recordsRead(values.get(), records, warmupRecords)
            : ToolOutputs.recordsRead(values.get(), records, warmupRecords);
        return Optional.of(new ConsumerRun(values.get().get(reader.key), run, read, recordSize, values.get()));
    }

    /** ProducerPerformance at a fixed rate, acks=1, after a warm-up at the same rate in the same JVM; empty (and noted) without a summary. */
    Optional<ToolOutputs.ProducerSummary> produceAtRate(BrokerProcess broker, String name, String topic, long warmupRecords, long records,
                                                       int recordSize, long rate) throws IOException, InterruptedException {
        ChildProcess.Result result = tool(broker, name,
            tools().warmedProducerPerformance(spec.bootstrap(), topic, warmupRecords, 0, records, recordSize, rate, ACKS));
        Optional<ToolOutputs.ProducerSummary> summary = ToolOutputs.producer(result.output());
        if (summary.isEmpty()) {
            failed("ProducerPerformance at " + rate + " rec/s " + name, result);
        }
        return summary;
    }

    /**
     * {@code fjord perf produce} at a fixed rate, acks=1, after a warm-up at the same rate in the same
     * JVM: latency percentiles in microseconds (its RESULT values); empty (and noted) without them.
     */
    Optional<Map<String, Double>> perfProduceAtRate(BrokerProcess broker, String name, String topic, long warmupRecords, long records,
                                                   int recordSize, long rate) throws IOException, InterruptedException {
        ChildProcess.Result result = tool(broker, name,
            new FjordPerfTool(env()).produce(spec.bootstrap(), topic, warmupRecords, records, recordSize, rate, ACKS));
        Optional<Map<String, Double>> values = FjordPerfTool.result(result);
        if (values.isEmpty() || !values.get().containsKey("p99Us")) {
            failed("fjord perf produce at " + rate + " rec/s " + name, result);
            return Optional.empty();
        }
        return values;
    }

    /** A warm-up run of ProducerPerformance (JIT, page cache, log creation) whose figures are not kept. */
    void warmUp(BrokerProcess broker, String topic, long records, int recordSize) throws IOException, InterruptedException {
        if (records > 0) {
            tool(broker, "warmup-" + topic, tools().producerPerformance(spec.bootstrap(), topic, records, recordSize, -1, ACKS));
        }
    }

    void record(Figure figure, double value) {
        shared.results().samples().add(new Sample(round, spec.name(), figure, value));
    }

    void note(String text) {
        String note = spec.name() + " round " + round + ": " + text;
        shared.results().notes().add(note);
        Compare.log("NOTE " + note);
    }

    void failed(String what, ChildProcess.Result result) {
        note(what + " gave no result (exit " + result.exitCode() + "): " + result.lastMeaningfulLine());
    }
}
