package io.fjord.perf;

import io.fjord.perf.consume.ConsumeConfig;
import io.fjord.perf.produce.Partitioner;
import io.fjord.perf.produce.ProduceConfig;
import io.fjord.record.CompressionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PerfMainTest {

    private static final String[] PRODUCE = {"produce", "--bootstrap-server", "127.0.0.1:9092", "--topic", "t",
        "--num-records", "1000", "--record-size", "100"};
    private static final String[] CONSUME = {"consume", "--bootstrap-server", "127.0.0.1:9092", "--topic", "t", "--num-records", "1000"};

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = PerfMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static ProduceConfig produceConfig(String... args) {
        CommandLine commandLine = new CommandLine(new PerfMain());
        CommandLine.ParseResult parsed = commandLine.parseArgs(args);
        return ((ProduceCommand) parsed.subcommand().commandSpec().userObject()).config();
    }

    private static ConsumeConfig consumeConfig(String... args) {
        CommandLine commandLine = new CommandLine(new PerfMain());
        CommandLine.ParseResult parsed = commandLine.parseArgs(args);
        return ((ConsumeCommand) parsed.subcommand().commandSpec().userObject()).config();
    }

    @Test
    void shouldApplyKafkaProducerDefaults() {
        ProduceConfig config = produceConfig(PRODUCE);
        assertThat(config.bootstrap()).isEqualTo(new BrokerAddress("127.0.0.1", 9092));
        assertThat(config.numRecords()).isEqualTo(1000);
        assertThat(config.recordSizeBytes()).isEqualTo(100);
        assertThat(config.throughput()).isEqualTo(-1);
        assertThat(config.acks()).isEqualTo((short) -1);
        assertThat(config.batchSizeBytes()).isEqualTo(16384);
        assertThat(config.lingerMs()).isEqualTo(5);
        assertThat(config.compression()).isEqualTo(CompressionType.NONE);
        assertThat(config.warmupRecords()).isZero();
        assertThat(config.partitioner()).isEqualTo(Partitioner.Mode.STICKY);
        assertThat(config.maxInFlight()).isEqualTo(5);
        assertThat(config.bufferMemoryBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(config.maxRequestBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void shouldParseEveryProduceOption() {
        ProduceConfig config = produceConfig(with(PRODUCE, "--throughput", "5000", "--acks", "1", "--batch-size", "65536",
            "--linger-ms", "20", "--compression", "zstd", "--warmup-records", "100", "--partitioner", "round-robin",
            "--max-in-flight", "1", "--request-timeout-ms", "1000", "--client-id", "me"));
        assertThat(config.throughput()).isEqualTo(5000);
        assertThat(config.acks()).isEqualTo((short) 1);
        assertThat(config.batchSizeBytes()).isEqualTo(65536);
        assertThat(config.lingerMs()).isEqualTo(20);
        assertThat(config.compression()).isEqualTo(CompressionType.ZSTD);
        assertThat(config.warmupRecords()).isEqualTo(100);
        assertThat(config.partitioner()).isEqualTo(Partitioner.Mode.ROUND_ROBIN);
        assertThat(config.maxInFlight()).isEqualTo(1);
        assertThat(config.clientId()).isEqualTo("me");
        assertThat(produceConfig(with(PRODUCE, "--acks", "0")).acks()).isZero();
        assertThat(produceConfig(with(PRODUCE, "--acks", "-1")).acks()).isEqualTo((short) -1);
    }

    @Test
    void shouldApplyKafkaConsumerDefaults() {
        ConsumeConfig config = consumeConfig(CONSUME);
        assertThat(config.numRecords()).isEqualTo(1000);
        assertThat(config.fetchMaxBytes()).isEqualTo(52428800);
        assertThat(config.maxPartitionFetchBytes()).isEqualTo(1048576);
        assertThat(config.fetchMaxWaitMs()).isEqualTo(500);
        assertThat(config.timeoutMs()).isEqualTo(10000);
        assertThat(config.checkCrc()).isFalse();
        assertThat(consumeConfig(with(CONSUME, "--check-crc", "--timeout-ms", "50")).checkCrc()).isTrue();
    }

    @Test
    void shouldAcceptBracketedIpv6Addresses() {
        assertThat(BrokerAddress.parse("[::1]:9092")).isEqualTo(new BrokerAddress("::1", 9092));
        assertThat(BrokerAddress.parse("[::1]:9092").toString()).isEqualTo("[::1]:9092");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--num-records, abc, --num-records",
        "--num-records, 0, --num-records",
        "--record-size, -1, --record-size",
        "--acks, 2, --acks",
        "--compression, brotli, --compression",
        "--batch-size, 0, --batch-size",
        "--linger-ms, -1, --linger-ms",
        "--warmup-records, 1000, --warmup-records",
        "--partitioner, random, --partitioner",
        "--max-in-flight, 0, --max-in-flight",
        "--bootstrap-server, localhost, --bootstrap-server",
        "--bootstrap-server, 'a:1,b:2', --bootstrap-server",
        "--bootstrap-server, host:99999, --bootstrap-server",
        "--throughput, fast, --throughput",
    })
    void shouldRejectABadProduceValueNamingTheOptionWithExitCode2(String option, String value, String named) {
        Run run = run(with(PRODUCE, option, value));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(named);
        assertThat(run.out()).doesNotContain("RESULT");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--fetch-max-bytes, 10, --fetch-max-bytes",
        "--max-partition-fetch-bytes, x, --max-partition-fetch-bytes",
        "--timeout-ms, 0, --timeout-ms",
        "--num-records, -5, --num-records",
    })
    void shouldRejectABadConsumeValueNamingTheOptionWithExitCode2(String option, String value, String named) {
        Run run = run(with(CONSUME, option, value));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(named);
    }

    @Test
    void shouldNameAMissingRequiredOption() {
        Run run = run("produce", "--bootstrap-server", "127.0.0.1:9092", "--num-records", "10", "--record-size", "1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--topic");
    }

    @Test
    void shouldAskForASubcommand() {
        Run run = run();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("produce or consume");
    }

    @Test
    void shouldPrintHelpForEveryCommand() {
        Run top = run("--help");
        assertThat(top.exitCode()).isZero();
        assertThat(top.out()).contains("produce").contains("consume");
        Run produce = run("produce", "--help");
        assertThat(produce.exitCode()).isZero();
        assertThat(produce.out()).contains("--throughput", "--acks", "--batch-size", "--linger-ms", "--compression", "--warmup-records", "RESULT");
        Run consume = run("consume", "--help");
        assertThat(consume.exitCode()).isZero();
        assertThat(consume.out()).contains("--fetch-max-bytes", "--max-partition-fetch-bytes", "--timeout-ms", "--check-crc");
    }

    @Test
    void shouldFailWithExitCode1AndAClearMessageWhenNoBrokerListens() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = run("produce", "--bootstrap-server", "127.0.0.1:" + port, "--topic", "t", "--num-records", "1", "--record-size", "1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("fjord perf: ").contains("127.0.0.1:" + port);
    }
}
