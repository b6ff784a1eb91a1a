package io.fjord.compat;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kafkajs 2.2.4 (npm; uses only non-flexible protocol versions) produces to Fjord with and without
 * gzip and reads offsets and metadata with its admin client; the Java consumer checks every record.
 * kafkajs consumers always use consumer groups, which come with issue 3.
 */
class KafkajsIT {

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldProduceWithKafkajs() throws Exception {
        Path jsDir = Path.of(System.getProperty("fjord.js.dir", "js"));
        assertThat(jsDir.resolve("node_modules/kafkajs")).as("run `npm ci` in %s (.ci/run does)", jsDir).exists();

        ChildJvm.Result result = ChildJvm.exec(List.of("node", jsDir.resolve("produce.js").toString(),
                broker.bootstrap(), "kafkajs-topic", "100"), 120, null);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"firstBaseOffset\":\"0\"").contains("\"secondBaseOffset\":\"50\"")
                .contains("\"high\":\"100\"").contains("\"low\":\"0\"").contains("\"partitions\":1");
        List<ConsumerRecord<byte[], byte[]>> records = JavaClientIT.readAllFrom(broker.bootstrap(), "kafkajs-topic", 0, 100);
        assertThat(records).hasSize(100);
        for (int i = 0; i < 100; i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("key-" + i);
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("value-" + i);
            assertThat(new String(record.headers().lastHeader("h").value(), StandardCharsets.UTF_8)).isEqualTo("header-" + i);
        }
    }

}
