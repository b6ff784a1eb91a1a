package io.fjord.compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.fjord.record.MemoryRecords;
import io.fjord.record.RecordBatchView;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Locale;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kcat from Debian (librdkafka 2.0.2: the old feature probes of PROTOCOL.md §3.4, which need
 * Produce v0 advertised for compression to be used at all) lists metadata, produces with every
 * codec and consumes everything back.
 */
class KcatIT {

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static ChildJvm.Result kcat(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("kcat");
        command.addAll(List.of("-b", broker.bootstrap()));
        command.addAll(List.of(args));
        return ChildJvm.exec(command, 60, stdin);
    }

    @Test
    void shouldListMetadata() throws Exception {
        kcat("x\n", "-P", "-t", "kcat-metadata");
        ChildJvm.Result result = kcat(null, "-L");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("1 brokers:").contains("broker 1 at 127.0.0.1:")
                .contains("topic \"kcat-metadata\" with 1 partitions");
    }

    // librdkafka 2.0.2 enables LZ4 only when FindCoordinator v0 is advertised (PROTOCOL.md §3.4);
    // otherwise it silently sends uncompressed batches, which the on-disk check below catches.
    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void shouldProduceAndConsumeWithEveryCodec(String codec) throws Exception {
        String topic = "kcat-" + codec;
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            input.append("key-").append(i).append(':').append("value-").append(i).append('\n');
        }
        ChildJvm.Result produce = kcat(input.toString(), "-P", "-t", topic, "-p", "0", "-K:", "-z", codec,
                "-X", "enable.idempotence=true", "-X", "compression.codec=" + codec);
        assertThat(produce.exitCode()).as(produce.output()).isZero();

        ChildJvm.Result consume = kcat(null, "-q", "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-f", "%o %k=%s\\n");

        assertThat(consume.exitCode()).as(consume.output()).isZero();
        for (int i = 0; i < 500; i++) {
            assertThat(consume.output()).contains(i + " key-" + i + "=value-" + i + "\n");
        }
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> stored =
                JavaClientIT.readAllFrom(broker.bootstrap(), topic, 0, 500);
        assertThat(stored).hasSize(500);
        // librdkafka < 2.11.1 silently stops compressing unless Produce v0 is advertised: check the bytes on disk.
        byte[] segment = Files.readAllBytes(broker.dataDir().resolve(topic + "-0").resolve("00000000000000000000.log"));
        for (RecordBatchView batch : new MemoryRecords(ByteBuffer.wrap(segment)).batches()) {
            assertThat(batch.compressionType().name().toLowerCase(Locale.ROOT)).isEqualTo(codec);
        }
    }
}
