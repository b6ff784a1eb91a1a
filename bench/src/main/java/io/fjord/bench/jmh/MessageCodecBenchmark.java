package io.fjord.bench.jmh;

import io.fjord.common.Uuid;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.types.ByteBufferMessageWriter;
import io.fjord.protocol.types.MessageReader;
import io.fjord.record.CompressionType;
import io.fjord.record.MemoryRecords;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode ({@link ByteBufferMessageWriter}) and decode ({@link MessageReader}) of the two messages
 * on the data path, generated from Kafka's specs: a Produce request and a Fetch response, each
 * carrying one ~16 KiB batch of 100-byte records per partition. Decoding records is a slice, so
 * decode measures the framing around them; encoding copies the records into the heap buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MessageCodecBenchmark {

    /** Partitions in the message, spread over topics of up to 6 partitions each. */
    @Param({"1", "100"})
    public int partitions;

    /** Produce v12 (Kafka 4.0 clients) pairs with Fetch v17 (topic ids); v9 / v12 are the last flexible-by-name ones. */
    @Param({"9", "12"})
    public short produceVersion;

    private ProduceRequestData produce;
    private FetchResponseData fetch;
    private short fetchVersion;
    private ByteBuffer produceBytes;
    private ByteBuffer fetchBytes;

    @Setup
    public void setUp() {
        MemoryRecords batch = BatchFixtures.batch(BatchFixtures.values(BatchFixtures.recordsPerBatch(16_384, 100), 100, 3), CompressionType.NONE);
        fetchVersion = produceVersion >= 12 ? (short) 17 : (short) 12;
        SplittableRandom random = new SplittableRandom(11);
        List<ProduceRequestData.TopicProduceData> produceTopics = new ArrayList<>();
        List<FetchResponseData.FetchableTopicResponse> fetchTopics = new ArrayList<>();
        for (int first = 0; first < partitions; first += 6) {
            String name = "topic-" + first;
            Uuid topicId = new Uuid(random.nextLong(), random.nextLong());
            List<ProduceRequestData.PartitionProduceData> produceParts = new ArrayList<>();
            List<FetchResponseData.PartitionData> fetchParts = new ArrayList<>();
            for (int p = 0; p < Math.min(6, partitions - first); p++) {
                produceParts.add(new ProduceRequestData.PartitionProduceData().setIndex(p).setRecords(batch));
                fetchParts.add(new FetchResponseData.PartitionData().setPartitionIndex(p).setHighWatermark(1_000_000L)
                    .setLastStableOffset(1_000_000L).setLogStartOffset(0L).setRecords(batch));
            }
            produceTopics.add(new ProduceRequestData.TopicProduceData().setName(name).setTopicId(topicId).setPartitionData(produceParts));
            fetchTopics.add(new FetchResponseData.FetchableTopicResponse().setTopic(name).setTopicId(topicId).setPartitions(fetchParts));
        }
        produce = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000).setTopicData(produceTopics);
        fetch = new FetchResponseData().setSessionId(17).setResponses(fetchTopics);
        produceBytes = ByteBufferMessageWriter.toByteBuffer(produce, produceVersion);
        fetchBytes = ByteBufferMessageWriter.toByteBuffer(fetch, fetchVersion);
    }

    @Benchmark
    public ByteBuffer encodeProduceRequest() {
        return ByteBufferMessageWriter.toByteBuffer(produce, produceVersion);
    }

    @Benchmark
    public ProduceRequestData decodeProduceRequest() {
        return new ProduceRequestData(new MessageReader(produceBytes.duplicate()), produceVersion);
    }

    @Benchmark
    public ByteBuffer encodeFetchResponse() {
        return ByteBufferMessageWriter.toByteBuffer(fetch, fetchVersion);
    }

    @Benchmark
    public FetchResponseData decodeFetchResponse() {
        return new FetchResponseData(new MessageReader(fetchBytes.duplicate()), fetchVersion);
    }
}
