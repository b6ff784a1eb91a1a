package io.fjord.metadata;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** An in-memory metadata log that round-trips every record through the serde, like the real one. */
final class FakeMetadataLog implements MetadataLog {

    private final List<byte[]> entries = new ArrayList<>();

    @Override
    public long append(List<MetadataRecord> records) {
        for (MetadataRecord record : records) {
            entries.add(MetadataRecordSerde.serialize(record));
        }
        return entries.size() - 1;
    }

    @Override
    public void replay(RecordConsumer consumer) {
        for (int offset = 0; offset < entries.size(); offset++) {
            consumer.accept(MetadataRecordSerde.deserialize(ByteBuffer.wrap(entries.get(offset))), offset);
        }
    }
}
