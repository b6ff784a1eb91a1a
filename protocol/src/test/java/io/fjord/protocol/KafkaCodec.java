package io.fjord.protocol;

import io.fjord.protocol.generator.MessageSpec;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.nio.ByteBuffer;

/** Apache Kafka's generated message classes (kafka-clients, test scope) as the oracle for Fjord's bytes. */
final class KafkaCodec {

    private KafkaCodec() {
    }

    static Message newMessage(MessageSpec spec) {
        // Kafka names classes of "data" specs without the Data suffix (ConsumerProtocolSubscription); Fjord always adds it.
        for (String className : new String[] {spec.className(), spec.name()}) {
            try {
                return (Message) Class.forName("org.apache.kafka.common.message." + className)
                    .getConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                continue;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot instantiate Kafka's " + className, e);
            }
        }
        throw new IllegalStateException("kafka-clients has no class for " + spec.name());
    }

    /** Kafka's encoding of {@code message} at {@code version}, read-ready. */
    static byte[] write(Message message, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buffer), cache, version);
        if (buffer.hasRemaining()) {
            throw new AssertionError("Kafka wrote fewer bytes than it sized for " + message.getClass().getSimpleName());
        }
        return buffer.array();
    }

    /** Reads {@code bytes} into a new Kafka message and checks that every byte was consumed. */
    static Message read(MessageSpec spec, byte[] bytes, short version) {
        Message message = newMessage(spec);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        message.read(new ByteBufferAccessor(buffer), version);
        if (buffer.hasRemaining()) {
            throw new AssertionError("Kafka left " + buffer.remaining() + " bytes unread for " + spec.name() + " v" + version);
        }
        return message;
    }
}
