package io.fjord.metadata;

import java.util.List;

/** Told about every change the controller commits, after the new image is published. */
@FunctionalInterface
public interface MetadataListener {

    /** Called on the controller's lock with the image before and after {@code records}. */
    void onMetadataChanged(MetadataImage previous, MetadataImage current, List<MetadataRecord> records);
}
