package io.fjord.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything {@link Compare} can be told, with the defaults of a full run (about 45 minutes on
 * 2 cores) or, with {@code --smoke}, of a one-case run that proves the harness in about a minute.
 * Immutable; see {@link #USAGE}.
 */
record CompareOptions(int rounds, List<String> brokers, List<Integer> sizes, List<Integer> partitions, List<String> acks,
                      Map<Integer, Long> recordsBySize, long bytesPerCaseDefault, int warmupPercent, int readWarmupPercent,
                      double latencySeconds, double latencyWarmupSeconds, long latencyRate, String consumers, long consumerTimeoutMs,
                      int e2eMessages, String e2eAcks, int probeRate, double probeSeconds, double probeWarmupSeconds,
                      Ports ports, double settleSeconds, long startTimeoutMs, long toolTimeoutSeconds,
                      Path workDir, Path doc, String section, String title, boolean smoke, boolean fjordPerf,
                      boolean fullPageCache, String tcpCongestion, KafkaTools.Payload producerPayload) {

    /** 127.0.0.1 ports: Kafka's client and controller listeners, Fjord's listener. */
    record Ports(int kafka, int kafkaController, int fjord) {
    }

    static final String USAGE = """
        usage: bench/compare.sh [options]
          --smoke                 one round, 100 B, 1 partition, acks=1, tiny counts; writes the 'compare-smoke' section
          --rounds N              A/B rounds, Kafka then Fjord in each (default 3; smoke 1)
          --brokers LIST          kafka,fjord (default both; the ratio needs both)
          --sizes LIST            record sizes in bytes (default 100,1024)
          --partitions LIST       partition counts (default 1,6)
          --acks LIST             producer acks (default 1,all)
          --records SIZE:N,...    records per throughput run (default 100:5000000,1024:1000000; smoke 100:20000,1024:5000)
          --bytes-per-case B      records for sizes not in --records: B / size (default 1000000000)
          --warmup-percent P      producer warm-up before counting, as % of the records, in the tool's own JVM (default 50:
                                  after 10 % the tool's JIT still compiled through the counted run); at full speed it
                                  repeats while the tool's JIT still compiles (at most 30 s)
          --read-warmup-percent P consumer warm-up: the same tool JVM first reads P % of the records from the start,
                                  uncounted, then the counted read starts again at offset 0 (default 100); the Java
                                  consumers repeat that read while their JIT still compiles (at most 30 s): steady state
          --latency-seconds S     length of the fixed-rate latency run (default 15; smoke 2), after
          --latency-warmup-seconds S  at the same rate in the same JVM (default 3; smoke 1)
          --latency-rate R        records/s for the latency run (default: half of Kafka's measured max per case)
          --consumers WHICH       kafka (ConsumerPerformance, needs groups) | assign | both | none (default both)
          --fjord-perf yes|no     also drive every case with fjord perf, Fjord's own load generator (default yes)
          --consumer-timeout-ms T give up after T ms without records (default 10000; smoke 5000)
          --e2e-messages N        messages for Kafka's EndToEndLatency (default 5000; smoke 200), after warm-ups of half
                                  as many in the same JVM, repeated while its JIT still compiles (at most 30 s)
          --e2e-acks A            acks for both end-to-end measurements (default 1)
          --probe-rate R          records/s of the microsecond end-to-end probe (default 1000)
          --probe-seconds S       measured seconds of that probe (default 15; smoke 2), after
          --probe-warmup-seconds S  (default 20; smoke 1): at 1,000 rec/s the probe's own JIT compiles for ~15 s
          --kafka-port P, --kafka-controller-port P, --fjord-port P   (defaults 19092, 19093, 29092; always 127.0.0.1)
          --settle-seconds S      idle time before idle RSS is read (default 5; smoke 1)
          --start-timeout-ms T    (default 120000)   --tool-timeout-seconds T (default 1800)
          --page-cache full|as-is full (default): before every timed run, fill free memory with a clean ballast file in
                                  the work dir, so brokers' writes recycle page-cache pages as on a host in service
                                  (see PageCacheBallast); as-is: brokers write into whatever memory is free
          --tcp-congestion NAME   set net.ipv4.tcp_congestion_control (e.g. cubic) for the run, put back after (root);
                                  as-is (default) keeps the machine's (see TcpCongestion: BBR paces loopback reads)
          --producer-payload file|random  file (default): ProducerPerformance sends values from a payload file of the
                                  record size (--payload-file; 4,096 random A–Z values); random: --record-size, the tool
                                  fills each record afresh, one random number per byte, and that fill sets its pace
                                  (see KafkaTools.Payload)
          --work-dir DIR          logs, data and results.tsv (default bench/target/compare-TIMESTAMP)
          --doc FILE              markdown to update (default docs/benchmarks.md)
          --section NAME          marked section to replace (default compare-results; smoke compare-smoke)
        """;

    static CompareOptions parse(String[] argv, Path fjordHome) {
        Args args = new Args(argv, Set.of("smoke", "help"));
        if (args.flag("help")) {
            throw new IllegalArgumentException(USAGE);
        }
        boolean smoke = args.flag("smoke");
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        CompareOptions options = new CompareOptions(
            args.intValue("rounds", smoke ? 1 : 3),
            list(args.string("brokers", "kafka,fjord")),
            list(args.string("sizes", smoke ? "100" : "100,1024")).stream().map(Integer::parseInt).toList(),
            list(args.string("partitions", smoke ? "1" : "1,6")).stream().map(Integer::parseInt).toList(),
            list(args.string("acks", smoke ? "1" : "1,all")),
            recordsBySize(args.string("records", smoke ? "100:20000,1024:5000" : "100:5000000,1024:1000000")),
            args.longValue("bytes-per-case", smoke ? 2_000_000 : 1_000_000_000L),
            args.intValue("warmup-percent", 50),
            args.intValue("read-warmup-percent", 100),
            args.doubleValue("latency-seconds", smoke ? 2 : 15),
            args.doubleValue("latency-warmup-seconds", smoke ? 1 : 3),
            args.longValue("latency-rate", 0),
            args.string("consumers", "both"),
            args.longValue("consumer-timeout-ms", smoke ? 5_000 : 10_000),
            args.intValue("e2e-messages", smoke ? 200 : 5_000),
            args.string("e2e-acks", "1"),
            args.intValue("probe-rate", 1_000),
            args.doubleValue("probe-seconds", smoke ? 2 : 15),
            args.doubleValue("probe-warmup-seconds", smoke ? 1 : 20),
            new Ports(args.intValue("kafka-port", 19092), args.intValue("kafka-controller-port", 19093), args.intValue("fjord-port", 29092)),
            args.doubleValue("settle-seconds", smoke ? 1 : 5),
            args.longValue("start-timeout-ms", 120_000),
            args.longValue("tool-timeout-seconds", 1_800),
            Path.of(args.string("work-dir", fjordHome.resolve("bench/target/compare-" + stamp).toString())).toAbsolutePath(),
            Path.of(args.string("doc", fjordHome.resolve("docs/benchmarks.md").toString())).toAbsolutePath(),
            args.string("section", smoke ? "compare-smoke" : "compare-results"),
            smoke ? "Smoke run of bench/compare.sh (" + stamp + ") — proves the harness works; NOT results"
                : "bench/compare.sh results (" + stamp + ")",
            smoke,
            yesNo(args.string("fjord-perf", "yes"), "--fjord-perf"),
            pageCache(args.string("page-cache", smoke ? "as-is" : "full")),
            TcpCongestion.option(args.string("tcp-congestion", TcpCongestion.AS_IS)),
            KafkaTools.Payload.option(args.string("producer-payload", "file")));
        args.ensureAllUsed();
        options.check();
        return options;
    }

    private void check() {
        if (rounds < 1 || sizes.isEmpty() || partitions.isEmpty() || acks.isEmpty() || brokers.isEmpty()) {
            throw new IllegalArgumentException("rounds, sizes, partitions, acks and brokers must be non-empty");
        }
        for (String broker : brokers) {
            if (!broker.equals("kafka") && !broker.equals("fjord")) {
                throw new IllegalArgumentException("--brokers takes kafka and/or fjord, not " + broker);
            }
        }
        if (warmupPercent < 0 || readWarmupPercent < 0) {
            throw new IllegalArgumentException("--warmup-percent and --read-warmup-percent must be 0 or more");
        }
        if (!Set.of("kafka", "assign", "both", "none").contains(consumers)) {
            throw new IllegalArgumentException("--consumers takes kafka, assign, both or none, not " + consumers);
        }
    }

    private static boolean yesNo(String value, String option) {
        return switch (value) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new IllegalArgumentException(option + " takes yes or no, not " + value);
        };
    }

    static boolean pageCache(String value) {
        return switch (value) {
            case "full" -> true;
            case "as-is" -> false;
            default -> throw new IllegalArgumentException("--page-cache takes full or as-is, not " + value);
        };
    }

    /** Records of a throughput run for this record size. */
    long records(int size) {
        return recordsBySize.getOrDefault(size, Math.max(1, bytesPerCaseDefault / size));
    }

    long warmupRecords(int size) {
        return records(size) * warmupPercent / 100;
    }

    /** Records a consumer reads, uncounted, before its counted read of {@link #records} from the start. */
    long readWarmupRecords(int size) {
        return records(size) * readWarmupPercent / 100;
    }

    static List<String> list(String csv) {
        return List.of(csv.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static Map<Integer, Long> recordsBySize(String spec) {
        return bySize("records", spec);
    }

    /** An option's SIZE:N,... pairs; {@code option} names it in the error. */
    static Map<Integer, Long> bySize(String option, String spec) {
        Map<Integer, Long> map = new LinkedHashMap<>();
        for (String pair : list(spec)) {
            String[] kv = pair.split(":");
            if (kv.length != 2) {
                throw new IllegalArgumentException("--" + option + " takes SIZE:N pairs, not " + pair);
            }
            map.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1].replace("_", "")));
        }
        return Map.copyOf(map);
    }
}
