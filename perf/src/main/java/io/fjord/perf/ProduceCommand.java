package io.fjord.perf;

import io.fjord.common.Time;
import io.fjord.perf.produce.Partitioner;
import io.fjord.perf.produce.ProduceConfig;
import io.fjord.perf.produce.ProducePerf;
import io.fjord.perf.produce.ProduceResult;
import io.fjord.record.CompressionType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fjord perf produce}: options as Kafka's {@code kafka-producer-perf-test} and producer
 * configs name them; validation lives in {@link ProduceConfig}, whose messages name the option.
 */
@Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Produce keyless records of a fixed size as fast as asked and report throughput and per-record latency.",
        "Prints progress every --reporting-interval ms, a summary like Kafka's ProducerPerformance, and one line",
        "'RESULT records=.. seconds=.. recPerSec=.. mbPerSec=.. avgUs=.. p50Us=.. p95Us=.. p99Us=.. p999Us=.. maxUs=..'."})
final class ProduceCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT", description = "The broker to bootstrap from.")
    private String bootstrapServer;

    @Option(names = "--topic", required = true, description = "The topic to produce to (created if the broker auto-creates topics).")
    private String topic;

    @Option(names = "--num-records", required = true, paramLabel = "N", description = "Records to send, warm-up included.")
    private long numRecords;

    @Option(names = "--record-size", required = true, paramLabel = "BYTES", description = "Value size of each record (random A-Z letters; no key).")
    private int recordSize;

    @Option(names = "--throughput", defaultValue = "-1", paramLabel = "REC_PER_SEC", description = "Target records/s for the whole run; -1 for no limit. Default: ${DEFAULT-VALUE}.")
    private double throughput;

    @Option(names = "--acks", defaultValue = "all", paramLabel = "0|1|all", description = "Acknowledgement level, as Kafka's acks. Default: ${DEFAULT-VALUE}.")
    private String acks;

    @Option(names = "--batch-size", defaultValue = "16384", paramLabel = "BYTES", description = "batch.size: bytes per partition batch. Default: ${DEFAULT-VALUE}.")
    private int batchSize;

    @Option(names = "--linger-ms", defaultValue = "5", paramLabel = "MS", description = "linger.ms: how long a batch may wait for more records. Default: ${DEFAULT-VALUE}.")
    private long lingerMs;

    @Option(names = "--compression", defaultValue = "none", paramLabel = "CODEC", description = "none, gzip, snappy, lz4 or zstd. Default: ${DEFAULT-VALUE}.")
    private String compression;

    @Option(names = "--warmup-records", defaultValue = "0", paramLabel = "N", description = "The first N records are sent but left out of the figures. Default: ${DEFAULT-VALUE}.")
    private long warmupRecords;

    @Option(names = "--partitioner", defaultValue = "sticky", paramLabel = "sticky|round-robin", description = "Sticky: stay on a partition until its batch is full, then the next. Default: ${DEFAULT-VALUE}.")
    private String partitioner;

    @Option(names = "--max-in-flight", defaultValue = "5", paramLabel = "N", description = "max.in.flight.requests.per.connection. Default: ${DEFAULT-VALUE}.")
    private int maxInFlight;

    @Option(names = "--buffer-memory", defaultValue = "33554432", paramLabel = "BYTES", description = "buffer.memory: bound on batches not yet acknowledged. Default: ${DEFAULT-VALUE}.")
    private long bufferMemory;

    @Option(names = "--max-request-size", defaultValue = "1048576", paramLabel = "BYTES", description = "max.request.size: bound on one Produce request. Default: ${DEFAULT-VALUE}.")
    private int maxRequestSize;

    @Option(names = "--request-timeout-ms", defaultValue = "30000", paramLabel = "MS", description = "request.timeout.ms. Default: ${DEFAULT-VALUE}.")
    private int requestTimeoutMs;

    @Option(names = "--client-id", defaultValue = "fjord-perf-producer", description = "client.id. Default: ${DEFAULT-VALUE}.")
    private String clientId;

    @Option(names = "--reporting-interval", defaultValue = "5000", paramLabel = "MS", description = "Milliseconds between progress lines. Default: ${DEFAULT-VALUE}.")
    private long reportingIntervalMs;

    @Override
    public Integer call() {
        ProduceConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        ProduceResult result = new ProducePerf(config, out, Time.SYSTEM).run();
        out.println(result.summaryLine());
        out.println(result.resultLine());
        out.flush();
        return PerfMain.EXIT_OK;
    }

    ProduceConfig config() {
        try {
            return new ProduceConfig(BrokerAddress.parse(bootstrapServer), topic, numRecords, recordSize, throughput, parseAcks(),
                batchSize, lingerMs, parseCompression(), warmupRecords, parsePartitioner(), maxInFlight, requestTimeoutMs,
                bufferMemory, maxRequestSize, clientId, reportingIntervalMs);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage().startsWith("--") ? e.getMessage() : "--bootstrap-server " + e.getMessage());
        }
    }

    private short parseAcks() {
        return switch (acks.toLowerCase(Locale.ROOT)) {
            case "all", "-1" -> (short) -1;
            case "1" -> (short) 1;
            case "0" -> (short) 0;
            default -> throw new IllegalArgumentException("--acks must be 0, 1 or all, was '" + acks + "'");
        };
    }

    private CompressionType parseCompression() {
        try {
            return CompressionType.forConfigName(compression.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--compression must be none, gzip, snappy, lz4 or zstd, was '" + compression + "'");
        }
    }

    private Partitioner.Mode parsePartitioner() {
        return switch (partitioner.toLowerCase(Locale.ROOT)) {
            case "sticky" -> Partitioner.Mode.STICKY;
            case "round-robin", "roundrobin" -> Partitioner.Mode.ROUND_ROBIN;
            default -> throw new IllegalArgumentException("--partitioner must be sticky or round-robin, was '" + partitioner + "'");
        };
    }
}
