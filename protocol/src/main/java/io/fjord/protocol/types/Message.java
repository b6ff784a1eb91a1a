package io.fjord.protocol.types;

import java.util.List;

/**
 * A message or struct generated from a Kafka JSON spec: knows how to read, write and size itself
 * for a given version. Generated classes are mutable, not thread-safe, and owned by the thread that
 * decodes or builds them (the connection's event loop or the handler that answers it).
 *
 * <p>Writing follows one rule for fields the version lacks: they are skipped silently, so handlers
 * may fill every field and let the negotiated version decide what goes on the wire. Writing null
 * where the version does not allow it throws {@link IllegalArgumentException} naming the field.
 */
public interface Message {

    /** Replaces every field with what {@code reader} holds for {@code version}; throws {@link ProtocolException} on bad bytes. */
    void read(MessageReader reader, short version);

    /** Writes exactly {@link #size(short)} bytes for {@code version}. */
    void write(MessageWriter writer, short version);

    /** The exact number of bytes {@link #write} produces for {@code version}. */
    int size(short version);

    /** Tagged fields read that this version of Fjord does not know; written back as they came. */
    List<RawTaggedField> unknownTaggedFields();
}
