package io.fjord.coordinator.transaction;

import io.fjord.common.TopicPartition;
import io.fjord.coordinator.group.CoordinatorLog;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Bytes of the records in {@code __transaction_state}: one record per transactional id, keyed by
 * it, so compaction keeps the latest value; a tombstone (null value) is a transactional id that
 * expired (Dead). The key is Kafka's TransactionLogKey v0. The value has Kafka's TransactionLogValue
 * v0 fields in Kafka's order followed by the two KIP-360 fields Kafka keeps in tagged fields; it is
 * marked with a Fjord version number so no Kafka tool mistakes it for its own v0.
 *
 * <pre>
 * string  = int16 length, UTF-8 bytes
 *
 * key   (version 0)   | int16 0 | string transactionalId |
 * value (version 100) | int16 100 | int64 producerId | int16 producerEpoch | int32 txnTimeoutMs | int8 state id |
 *                     | int32 topicCount | topic* | int64 lastUpdateTimestampMs | int64 txnStartTimestampMs |
 *                     | int64 lastProducerId | int16 lastProducerEpoch |
 *   topic             | string name | int32 partitionCount | int32 partition* |
 * </pre>
 * Decoding checks every count and length against the bytes present and fails with
 * {@link IllegalStateException} ("corrupt transaction record"): the log's CRC vouched for these
 * bytes, so a bad record is a bug or disk corruption, never client input.
 */
final class TransactionRecordSerde {

    static final short KEY_VERSION = 0;
    static final short VALUE_VERSION = 100;

    private TransactionRecordSerde() {
    }

    static CoordinatorLog.Entry serialize(TransactionMetadata metadata) {
        return new CoordinatorLog.Entry(key(metadata.transactionalId()), value(metadata));
    }

    static CoordinatorLog.Entry tombstone(String transactionalId) {
        return new CoordinatorLog.Entry(key(transactionalId), null);
    }

    /** The transactional id of a record and its value, empty for a tombstone. */
    record Decoded(String transactionalId, Optional<TransactionMetadata> metadata) {
    }

    static Decoded deserialize(CoordinatorLog.Entry entry) {
        try {
            ByteBuffer key = ByteBuffer.wrap(entry.key());
            short keyVersion = key.getShort();
            if (keyVersion != KEY_VERSION) {
                throw new IllegalStateException("corrupt transaction record: unknown key version " + keyVersion);
            }
            String transactionalId = readString(key);
            if (entry.value() == null) {
                return new Decoded(transactionalId, Optional.empty());
            }
            return new Decoded(transactionalId, Optional.of(readValue(transactionalId, ByteBuffer.wrap(entry.value()))));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalStateException("corrupt transaction record: " + e, e);
        }
    }

    private static byte[] key(String transactionalId) {
        byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(4 + id.length);
        buffer.putShort(KEY_VERSION).putShort(checkedLength(id)).put(id);
        return buffer.array();
    }

    private static byte[] value(TransactionMetadata metadata) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        int size = 2 + 8 + 2 + 4 + 1 + 4 + 8 + 8 + 8 + 2;
        for (TopicPartition tp : metadata.partitions()) {
            byTopic.computeIfAbsent(tp.topic(), name -> new ArrayList<>()).add(tp.partition());
        }
        List<byte[]> names = new ArrayList<>(byTopic.size());
        for (Map.Entry<String, List<Integer>> topic : byTopic.entrySet()) {
            byte[] name = topic.getKey().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += 2 + name.length + 4 + 4 * topic.getValue().size();
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(VALUE_VERSION).putLong(metadata.producerId()).putShort(metadata.producerEpoch())
                .putInt(metadata.txnTimeoutMs()).put(metadata.state().id()).putInt(byTopic.size());
        int index = 0;
        for (List<Integer> partitions : byTopic.values()) {
            byte[] name = names.get(index++);
            buffer.putShort(checkedLength(name)).put(name).putInt(partitions.size());
            partitions.stream().sorted().forEach(buffer::putInt);
        }
        buffer.putLong(metadata.txnLastUpdateTimestampMs()).putLong(metadata.txnStartTimestampMs())
                .putLong(metadata.lastProducerId()).putShort(metadata.lastProducerEpoch());
        return buffer.array();
    }

    private static TransactionMetadata readValue(String transactionalId, ByteBuffer value) {
        short version = value.getShort();
        if (version != VALUE_VERSION) {
            throw new IllegalStateException("corrupt transaction record: unknown value version " + version);
        }
        long producerId = value.getLong();
        short epoch = value.getShort();
        int timeoutMs = value.getInt();
        TransactionState state = TransactionState.fromId(value.get());
        int topicCount = value.getInt();
        // Every topic takes at least 6 bytes, so a count beyond that is corruption, not a reason to allocate.
        if (topicCount < 0 || topicCount > value.remaining() / 6) {
            throw new IllegalStateException("corrupt transaction record: topic count " + topicCount);
        }
        Set<TopicPartition> partitions = new HashSet<>();
        for (int i = 0; i < topicCount; i++) {
            String topic = readString(value);
            int partitionCount = value.getInt();
            if (partitionCount < 0 || partitionCount > value.remaining() / 4) {
                throw new IllegalStateException("corrupt transaction record: partition count " + partitionCount);
            }
            for (int p = 0; p < partitionCount; p++) {
                partitions.add(new TopicPartition(topic, value.getInt()));
            }
        }
        long lastUpdateMs = value.getLong();
        long startMs = value.getLong();
        long lastProducerId = value.getLong();
        short lastEpoch = value.getShort();
        return new TransactionMetadata(transactionalId, producerId, lastProducerId, epoch, lastEpoch, timeoutMs, state, partitions,
                startMs, lastUpdateMs);
    }

    private static short checkedLength(byte[] bytes) {
        if (bytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("string of " + bytes.length + " bytes is too long for a transaction record");
        }
        return (short) bytes.length;
    }

    private static String readString(ByteBuffer buffer) {
        short length = buffer.getShort();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalStateException("corrupt transaction record: string of " + length + " bytes, " + buffer.remaining() + " left");
        }
        String value = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length, StandardCharsets.UTF_8);
        buffer.position(buffer.position() + length);
        return value;
    }
}
