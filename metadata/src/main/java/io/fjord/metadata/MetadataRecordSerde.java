package io.fjord.metadata;

import io.fjord.common.Uuid;
import io.fjord.metadata.MetadataRecord.ConfigRecord;
import io.fjord.metadata.MetadataRecord.ConfigResourceType;
import io.fjord.metadata.MetadataRecord.PartitionRecord;
import io.fjord.metadata.MetadataRecord.ProducerIdsRecord;
import io.fjord.metadata.MetadataRecord.RemoveTopicRecord;
import io.fjord.metadata.MetadataRecord.TopicRecord;

import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a {@link MetadataRecord} as the value of one record in the metadata log.
 *
 * <pre>
 * +--------+---------+------------------------------+
 * | type:1 | version:1 | body (per type, big-endian) |
 * +--------+---------+------------------------------+
 * TopicRecord        (1): name:string  topicId:uuid
 * PartitionRecord    (2): topicId:uuid partitionId:int32 replicas:int32[] isr:int32[] leader:int32 leaderEpoch:int32 partitionEpoch:int32
 * ConfigRecord       (3): resourceType:int8 resourceName:string name:string value:nullable string
 * RemoveTopicRecord  (4): topicId:uuid
 * ProducerIdsRecord  (5): brokerId:int32 nextProducerId:int64
 * string = int16 length (-1 = null) + UTF-8; uuid = two int64; int32[] = int32 count + elements
 * </pre>
 * Version 0 for every type. An unknown type or version stops the load: the metadata log is the
 * source of truth and must never be half-understood.
 */
public final class MetadataRecordSerde {

    private static final byte TOPIC = 1;
    private static final byte PARTITION = 2;
    private static final byte CONFIG = 3;
    private static final byte REMOVE_TOPIC = 4;
    private static final byte PRODUCER_IDS = 5;
    private static final byte VERSION = 0;

    private MetadataRecordSerde() {
    }

    public static byte[] serialize(MetadataRecord record) {
        ByteBuffer buffer = ByteBuffer.allocate(sizeOf(record));
        switch (record) {
            case TopicRecord r -> {
                header(buffer, TOPIC);
                putString(buffer, r.name());
                putUuid(buffer, r.topicId());
            }
            case PartitionRecord r -> {
                header(buffer, PARTITION);
                putUuid(buffer, r.topicId());
                buffer.putInt(r.partitionId());
                putInts(buffer, r.replicas());
                putInts(buffer, r.isr());
                buffer.putInt(r.leader()).putInt(r.leaderEpoch()).putInt(r.partitionEpoch());
            }
            case ConfigRecord r -> {
                header(buffer, CONFIG);
                buffer.put(r.resourceType().id());
                putString(buffer, r.resourceName());
                putString(buffer, r.name());
                putString(buffer, r.value());
            }
            case RemoveTopicRecord r -> {
                header(buffer, REMOVE_TOPIC);
                putUuid(buffer, r.topicId());
            }
            case ProducerIdsRecord r -> {
                header(buffer, PRODUCER_IDS);
                buffer.putInt(r.brokerId()).putLong(r.nextProducerId());
            }
        }
        return buffer.array();
    }

    public static MetadataRecord deserialize(ByteBuffer buffer) {
        try {
            byte type = buffer.get();
            byte version = buffer.get();
            if (version != VERSION) {
                throw new IllegalStateException("metadata record type " + type + " has unknown version " + version);
            }
            return switch (type) {
                case TOPIC -> new TopicRecord(getString(buffer), getUuid(buffer));
                case PARTITION -> new PartitionRecord(getUuid(buffer), buffer.getInt(), getInts(buffer), getInts(buffer),
                        buffer.getInt(), buffer.getInt(), buffer.getInt());
                case CONFIG -> new ConfigRecord(ConfigResourceType.forId(buffer.get()), getString(buffer),
                        getString(buffer), getString(buffer));
                case REMOVE_TOPIC -> new RemoveTopicRecord(getUuid(buffer));
                case PRODUCER_IDS -> new ProducerIdsRecord(buffer.getInt(), buffer.getLong());
                default -> throw new IllegalStateException("unknown metadata record type " + type);
            };
        } catch (BufferUnderflowException e) {
            throw new IllegalStateException("truncated metadata record", e);
        }
    }

    private static int sizeOf(MetadataRecord record) {
        return 2 + switch (record) {
            case TopicRecord r -> stringSize(r.name()) + 16;
            case PartitionRecord r -> 16 + 4 + 4 + 4 * r.replicas().size() + 4 + 4 * r.isr().size() + 12;
            case ConfigRecord r -> 1 + stringSize(r.resourceName()) + stringSize(r.name()) + stringSize(r.value());
            case RemoveTopicRecord r -> 16;
            case ProducerIdsRecord r -> 12;
        };
    }

    private static void header(ByteBuffer buffer, byte type) {
        buffer.put(type).put(VERSION);
    }

    private static int stringSize(String value) {
        return 2 + (value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length);
    }

    private static void putString(ByteBuffer buffer, String value) {
        if (value == null) {
            buffer.putShort((short) -1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        buffer.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer buffer) {
        short length = buffer.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void putUuid(ByteBuffer buffer, Uuid id) {
        buffer.putLong(id.mostSignificantBits()).putLong(id.leastSignificantBits());
    }

    private static Uuid getUuid(ByteBuffer buffer) {
        return new Uuid(buffer.getLong(), buffer.getLong());
    }

    private static void putInts(ByteBuffer buffer, List<Integer> values) {
        buffer.putInt(values.size());
        for (int value : values) {
            buffer.putInt(value);
        }
    }

    private static List<Integer> getInts(ByteBuffer buffer) {
        int count = buffer.getInt();
        if (count < 0 || count > buffer.remaining() / 4) {
            throw new IllegalStateException("metadata record claims " + count + " ints with " + buffer.remaining() + " bytes left");
        }
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(buffer.getInt());
        }
        return values;
    }
}
