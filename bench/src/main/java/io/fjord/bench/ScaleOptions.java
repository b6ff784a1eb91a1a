package io.fjord.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * Everything {@link Scale} can be told: which of the scale cases to run, against which
 * brokers, and each case's sizes, with the defaults of the full run or, with {@code --smoke}, of a
 * small run that proves the driver in a few minutes. Immutable; see {@link #USAGE}.
 */
record ScaleOptions(List<String> cases, List<String> brokers, int rounds, ManyPartitions manyPartitions,
                    PartitionCounts partitionCounts, Idle idle, LongRead longRead, Run run) {

    static final List<String> ALL_CASES = List.of("partitions10k", "partitions1000", "idle", "read20g");

    /** partitions10k: one topic of {@code partitions}, written with {@code records} records of {@code recordSize}. */
    record ManyPartitions(int partitions, long records, int recordSize) {
    }

    /**
     * partitions1000: per size into a topic of each partition count, full-speed ProducerPerformance,
     * a read back with the assign consumer and with fjord perf consume (each after an uncounted read of
     * {@code readWarmupPercent} % of the records from the start, in the same JVM), and ProducerPerformance at
     * {@code latencyRates} for {@code latencySeconds} (after a warm-up of a third of that).
     */
    record PartitionCounts(List<Integer> counts, List<Integer> sizes, Map<Integer, Long> recordsBySize, int warmupPercent,
                           int readWarmupPercent, Map<Integer, Long> latencyRates, double latencySeconds, boolean fullPageCache) {
        long records(int size) {
            Long records = recordsBySize.get(size);
            if (records == null) {
                throw new IllegalArgumentException("--records has no count for size " + size);
            }
            return records;
        }

        long latencyRate(int size) {
            Long rate = latencyRates.get(size);
            if (rate == null) {
                throw new IllegalArgumentException("--latency-rates has no rate for size " + size);
            }
            return rate;
        }

        long latencyRecords(int size) {
            return Math.max(1, (long) (latencyRate(size) * latencySeconds));
        }

        long latencyWarmupRecords(int size) {
            return Math.max(1, latencyRecords(size) / 3);
        }

        long warmupRecords(int size) {
            return records(size) * warmupPercent / 100;
        }

        long readWarmupRecords(int size) {
            return records(size) * readWarmupPercent / 100;
        }
    }

    /** idle: {@code connections} held open and mostly idle; producer runs of {@code producerRecords} 100 B records. */
    record Idle(int connections, int maxPendingHandshakes, double idleSeconds, double requestIntervalSeconds, long producerRecords) {
    }

    /** read20g: {@code gigabytes} (10^9 bytes of record values) in one partition, read back cold then warm. */
    record LongRead(double gigabytes, int recordSize, String evict) {
        long bytes() {
            return (long) (gigabytes * 1e9);
        }

        long records() {
            return Math.max(1, bytes() / recordSize);
        }
    }

    /** Where and how: ports, time limits, output. */
    record Run(CompareOptions.Ports ports, long startTimeoutMs, long toolTimeoutSeconds, Path workDir, Path doc, String section,
               String title, boolean smoke, String tcpCongestion) {
    }

    static final String USAGE = """
        usage: bench/scale.sh [options]
          --smoke                   small sizes (1,000 partitions, 200 connections, 1 GB read); writes the 'scale-smoke' section
          --cases LIST              partitions10k,partitions1000,idle,read20g (default all)
          --brokers LIST            kafka,fjord (default both; each case runs Kafka then Fjord)
          --rounds N                repeat every case, medians reported (default 1)
         partitions10k:
          --many-partitions N       partitions of the one topic (default 10000; smoke 1000)
          --many-records N          1 KiB records written to it by ProducerPerformance (default 1000000; smoke 20000)
         partitions1000:
          --partition-counts LIST   topics compared; the ratio is largest / smallest (default 6,1000)
          --sizes LIST              record sizes in bytes (default 100,1024)
          --records SIZE:N,...      records per full-speed run (default 100:5000000,1024:1000000; smoke 100:100000,1024:20000)
          --warmup-percent P        warm-up run before each counted produce run, % of the records (default 50)
          --read-warmup-percent P   uncounted read of P % of the records before each counted read (default 100)
          --latency-rates SIZE:N,...  fixed rate of the latency runs, rec/s (default 100:150000,1024:40000, about half of
                                    Kafka's full speed at 1,000 partitions here; smoke 100:20000,1024:5000)
          --latency-seconds S       counted seconds of each latency run (default 10; smoke 2)
          --page-cache full|as-is   full (default; smoke as-is): before every timed run fill free memory with a clean
                                    ballast file, as bench/compare.sh does (PageCacheBallast)
         idle:
          --connections N           client connections held open (default 5000; smoke 200)
          --max-pending N           connections in the connect/ApiVersions/Metadata handshake at once (default 32,
                                    below Kafka's default listen backlog of 50, so no SYN is dropped on either broker)
          --idle-seconds S          idle window measured with and without the connections (default 30; smoke 5)
          --request-interval-seconds S  one Metadata request per connection every S seconds, 0 = none (default 30)
          --idle-records N          100 B records per ProducerPerformance run, 6 partitions (default 2000000; smoke 100000)
         read20g:
          --read-gb G               GB (10^9 bytes of record values) written to one partition and read back (default 20; smoke 1)
          --read-record-size B      (default 1024)
          --evict HOW               cold page cache: auto (drop_caches, else posix_fadvise) | drop-caches | fadvise (default auto)
         common:
          --kafka-port P, --kafka-controller-port P, --fjord-port P   (defaults 19092, 19093, 29092; always 127.0.0.1)
          --start-timeout-ms T      broker start and restart limit (default 600000)
          --tool-timeout-seconds T  (default 3600)
          --tcp-congestion NAME     set net.ipv4.tcp_congestion_control (e.g. cubic) for the run, put back after (root);
                                    as-is (default) keeps the machine's (see TcpCongestion: BBR paces loopback reads)
          --work-dir DIR            logs, data and results.tsv (default bench/target/scale-TIMESTAMP)
          --doc FILE                markdown to update (default docs/benchmarks.md)
          --section NAME            marked section to replace (default scale-results; smoke scale-smoke)
        """;

    static ScaleOptions parse(String[] argv, Path fjordHome) {
        Args args = new Args(argv, Set.of("smoke", "help"));
        if (args.flag("help")) {
            throw new IllegalArgumentException(USAGE);
        }
        boolean smoke = args.flag("smoke");
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        ScaleOptions options = new ScaleOptions(
            CompareOptions.list(args.string("cases", String.join(",", ALL_CASES))),
            CompareOptions.list(args.string("brokers", "kafka,fjord")),
            args.intValue("rounds", 1),
            new ManyPartitions(args.intValue("many-partitions", smoke ? 1_000 : 10_000),
                args.longValue("many-records", smoke ? 20_000 : 1_000_000), 1024),
            new PartitionCounts(ints(args.string("partition-counts", "6,1000")), ints(args.string("sizes", "100,1024")),
                CompareOptions.recordsBySize(args.string("records", smoke ? "100:100000,1024:20000" : "100:5000000,1024:1000000")),
                args.intValue("warmup-percent", 50),
                args.intValue("read-warmup-percent", 100),
                CompareOptions.bySize("latency-rates", args.string("latency-rates", smoke ? "100:20000,1024:5000" : "100:150000,1024:40000")),
                args.doubleValue("latency-seconds", smoke ? 2 : 10),
                CompareOptions.pageCache(args.string("page-cache", smoke ? "as-is" : "full"))),
            new Idle(args.intValue("connections", smoke ? 200 : 5_000), args.intValue("max-pending", 32),
                args.doubleValue("idle-seconds", smoke ? 5 : 30), args.doubleValue("request-interval-seconds", 30),
                args.longValue("idle-records", smoke ? 100_000 : 2_000_000)),
            new LongRead(args.doubleValue("read-gb", smoke ? 1 : 20), args.intValue("read-record-size", 1024),
                args.string("evict", "auto")),
            new Run(new CompareOptions.Ports(args.intValue("kafka-port", 19092), args.intValue("kafka-controller-port", 19093),
                    args.intValue("fjord-port", 29092)),
                args.longValue("start-timeout-ms", 600_000),
                args.longValue("tool-timeout-seconds", 3_600),
                Path.of(args.string("work-dir", fjordHome.resolve("bench/target/scale-" + stamp).toString())).toAbsolutePath(),
                Path.of(args.string("doc", fjordHome.resolve("docs/benchmarks.md").toString())).toAbsolutePath(),
                args.string("section", smoke ? "scale-smoke" : "scale-results"),
                smoke ? "Smoke run of bench/scale.sh (" + stamp + ") — proves the driver works; NOT results"
                    : "bench/scale.sh results (" + stamp + ")",
                smoke,
                TcpCongestion.option(args.string("tcp-congestion", TcpCongestion.AS_IS))));
        args.ensureAllUsed();
        options.check();
        return options;
    }

    private void check() {
        if (cases.isEmpty() || brokers.isEmpty() || rounds < 1) {
            throw new IllegalArgumentException("--cases and --brokers must be non-empty and --rounds at least 1");
        }
        for (String c : cases) {
            if (!ALL_CASES.contains(c)) {
                throw new IllegalArgumentException("--cases takes " + String.join(", ", ALL_CASES) + ", not " + c);
            }
        }
        for (String broker : brokers) {
            if (!broker.equals("kafka") && !broker.equals("fjord")) {
                throw new IllegalArgumentException("--brokers takes kafka and/or fjord, not " + broker);
            }
        }
        if (partitionCounts.counts().size() < 2) {
            throw new IllegalArgumentException("--partition-counts needs at least two counts to compare");
        }
        partitionCounts.sizes().forEach(partitionCounts::records);
        partitionCounts.sizes().forEach(partitionCounts::latencyRate);
        if (partitionCounts.latencySeconds() <= 0) {
            throw new IllegalArgumentException("--latency-seconds must be positive");
        }
        if (idle.connections() < 1 || idle.maxPendingHandshakes() < 1) {
            throw new IllegalArgumentException("--connections and --max-pending must be at least 1");
        }
        if (!Set.of("auto", "drop-caches", "fadvise").contains(longRead.evict())) {
            throw new IllegalArgumentException("--evict takes auto, drop-caches or fadvise, not " + longRead.evict());
        }
        if (longRead.gigabytes() <= 0 || manyPartitions.partitions() < 1) {
            throw new IllegalArgumentException("--read-gb and --many-partitions must be positive");
        }
    }

    /** The options as a command line, for the report's "settings" line. */
    String summary() {
        return String.format(Locale.ROOT, "--cases %s --rounds %d --many-partitions %d --many-records %d --partition-counts %s --sizes %s "
                + "--records %s --warmup-percent %d --read-warmup-percent %d --latency-rates %s --latency-seconds %s --page-cache %s "
                + "--connections %d --max-pending %d --idle-seconds %s "
                + "--request-interval-seconds %s --idle-records %d "
                + "--read-gb %s --evict %s --tcp-congestion %s%s", String.join(",", cases), rounds, manyPartitions.partitions(), manyPartitions.records(),
            join(partitionCounts.counts()), join(partitionCounts.sizes()), sizeSpec(partitionCounts::records),
            partitionCounts.warmupPercent(), partitionCounts.readWarmupPercent(),
            sizeSpec(partitionCounts::latencyRate), partitionCounts.latencySeconds(), partitionCounts.fullPageCache() ? "full" : "as-is",
            idle.connections(), idle.maxPendingHandshakes(),
            idle.idleSeconds(), idle.requestIntervalSeconds(), idle.producerRecords(), longRead.gigabytes(), longRead.evict(),
            run.tcpCongestion(), run.smoke() ? " (--smoke)" : "");
    }

    /** SIZE:N pairs, one per record size, as --records and --latency-rates take them. */
    private String sizeSpec(IntToLongFunction valueBySize) {
        return String.join(",", partitionCounts.sizes().stream().map(s -> s + ":" + valueBySize.applyAsLong(s)).toList());
    }

    private static String join(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    private static List<Integer> ints(String csv) {
        return CompareOptions.list(csv).stream().map(Integer::parseInt).toList();
    }
}
