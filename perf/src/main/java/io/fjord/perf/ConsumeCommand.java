package io.fjord.perf;

import io.fjord.common.Time;
import io.fjord.perf.client.PerfClient;
import io.fjord.perf.consume.ConsumeConfig;
import io.fjord.perf.consume.ConsumePerf;
import io.fjord.perf.consume.ConsumeResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code fjord perf consume}: options as Kafka's consumer configs name them; validation lives in
 * {@link ConsumeConfig}, whose messages name the option.
 */
@Command(name = "consume", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Read a topic from its earliest offsets (no consumer group) and report throughput.",
        "Records are counted from the batch headers; bytes are record-batch bytes as received.",
        "Prints a summary and one line 'RESULT records=.. bytes=.. seconds=.. mbPerSec=.. recPerSec=.. fetches=.. incrementalFetches=.. passes=.. warmupRecords=.. warmupPasses=..'."})
final class ConsumeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT", description = "The broker to bootstrap from.")
    private String bootstrapServer;

    @Option(names = "--topic", required = true, description = "The topic to read, every partition from its earliest offset.")
    private String topic;

    @Option(names = "--num-records", required = true, paramLabel = "N", description = "Stop after this many records.")
    private long numRecords;

    @Option(names = "--warmup-records", defaultValue = "0", paramLabel = "N",
        description = "First read N records from the earliest offsets, uncounted, then read again from the start. Default: ${DEFAULT-VALUE}.")
    private long warmupRecords;

    @Option(names = "--warmup-ms", defaultValue = "1000", paramLabel = "MS",
        description = "Repeat the warm-up read, from the earliest offsets each time, until the passes have taken MS in all "
            + "(one pass at least; no effect without --warmup-records). Default: ${DEFAULT-VALUE}.")
    private long warmupMs;

    @Option(names = "--measure-ms", defaultValue = "0", paramLabel = "MS",
        description = "Repeat the counted read, from the earliest offsets each time, until the passes have taken MS in all "
            + "(one pass at least); records, bytes and seconds are summed over the passes. Default: ${DEFAULT-VALUE} (one pass).")
    private long measureMs;

    @Option(names = "--fetch-max-bytes", defaultValue = "52428800", paramLabel = "BYTES", description = "fetch.max.bytes. Default: ${DEFAULT-VALUE}.")
    private int fetchMaxBytes;

    @Option(names = "--max-partition-fetch-bytes", defaultValue = "1048576", paramLabel = "BYTES", description = "max.partition.fetch.bytes. Default: ${DEFAULT-VALUE}.")
    private int maxPartitionFetchBytes;

    @Option(names = "--fetch-max-wait-ms", defaultValue = "500", paramLabel = "MS", description = "fetch.max.wait.ms. Default: ${DEFAULT-VALUE}.")
    private int fetchMaxWaitMs;

    @Option(names = "--timeout-ms", defaultValue = "10000", paramLabel = "MS", description = "Give up after this long without a record (exit code 1). Default: ${DEFAULT-VALUE}.")
    private long timeoutMs;

    @Option(names = "--check-crc", description = "Verify every batch's CRC-32C (check.crcs).")
    private boolean checkCrc;

    @Option(names = "--no-fetch-session", description = "List every partition in every Fetch (SessionEpoch -1, as librdkafka and kafkajs do) "
        + "instead of opening an incremental fetch session (KIP-227) as Kafka's Java consumer does.")
    private boolean noFetchSession;

    @Option(names = "--request-timeout-ms", defaultValue = "30000", paramLabel = "MS", description = "request.timeout.ms. Default: ${DEFAULT-VALUE}.")
    private int requestTimeoutMs;

    @Option(names = "--client-id", defaultValue = "fjord-perf-consumer", description = "client.id. Default: ${DEFAULT-VALUE}.")
    private String clientId;

    @Option(names = "--reporting-interval", defaultValue = "5000", paramLabel = "MS", description = "Milliseconds between progress lines. Default: ${DEFAULT-VALUE}.")
    private long reportingIntervalMs;

    @Override
    public Integer call() {
        ConsumeConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        if (warmupRecords < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup-records must be 0 or more, was " + warmupRecords);
        }
        if (warmupMs < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup-ms must be 0 or more, was " + warmupMs);
        }
        if (measureMs < 0) {
            throw new ParameterException(spec.commandLine(), "--measure-ms must be 0 or more, was " + measureMs);
        }
        ConsumeResult result;
        int passes = 0;
        long warmupRead = 0;
        int warmupPasses = 0;
        try (PerfClient client = ConsumePerf.connect(config, Time.SYSTEM)) {
            // Same JVM, same client, same code paths: the counted read runs compiled, on the warm-up's
            // connection and receive buffer; the warm-up's output is not reported. Passes repeat until
            // --warmup-ms because one pass can be too short for the JIT: 5M × 100 B over 1,000 partitions
            // is ~11 answers of 50 MB in ~0.2 s, and C2 then compiled the read path during the counted
            // read, on a core the broker needed (by hand: median 0.25 s after one pass, 0.17 s after three).
            long warmupEndNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMs);
            while (warmupRecords > 0 && (warmupPasses == 0 || System.nanoTime() < warmupEndNs)) {
                ConsumeResult warmup = new ConsumePerf(config.withNumRecords(warmupRecords), new PrintWriter(Writer.nullWriter()), Time.SYSTEM)
                    .run(client);
                if (!warmup.complete()) {
                    out.println("warm-up read only part of " + warmupRecords + " records: " + warmup.summaryLine());
                    out.flush();
                    return PerfMain.EXIT_FAILED;
                }
                warmupRead += warmup.records();
                warmupPasses++;
            }
            // A counted pass of 1M × 1 KiB takes ~0.2-0.4 s here, short enough for one slow stretch of
            // the machine to move the figure by a third; --measure-ms repeats it over a longer window.
            long measureEndNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(measureMs);
            result = new ConsumePerf(config, out, Time.SYSTEM).run(client);
            passes++;
            while (result.complete() && System.nanoTime() < measureEndNs) {
                result = result.plus(new ConsumePerf(config, out, Time.SYSTEM).run(client));
                passes++;
            }
        }
        out.println(result.summaryLine());
        out.println(result.resultLine()
            + String.format(Locale.ROOT, " passes=%d warmupRecords=%d warmupPasses=%d", passes, warmupRead, warmupPasses));
        out.flush();
        return result.complete() ? PerfMain.EXIT_OK : PerfMain.EXIT_FAILED;
    }

    ConsumeConfig config() {
        try {
            return new ConsumeConfig(BrokerAddress.parse(bootstrapServer), topic, numRecords, fetchMaxBytes, maxPartitionFetchBytes,
                fetchMaxWaitMs, timeoutMs, checkCrc, requestTimeoutMs, clientId, reportingIntervalMs, !noFetchSession);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage().startsWith("--") ? e.getMessage() : "--bootstrap-server " + e.getMessage());
        }
    }
}
