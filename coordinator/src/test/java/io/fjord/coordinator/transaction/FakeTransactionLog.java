package io.fjord.coordinator.transaction;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.group.CoordinatorLog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory {@code __transaction_state}: one list of entries per partition; can be told to fail appends. */
final class FakeTransactionLog implements CoordinatorLog {

    private final Map<Integer, List<Entry>> partitions = new HashMap<>();
    private Optional<Errors> failure = Optional.empty();

    @Override
    public void append(int partition, List<Entry> entries, long nowMs) {
        if (failure.isPresent()) {
            throw new ApiException(failure.get(), "injected failure");
        }
        partitions.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(entries);
    }

    @Override
    public void replay(int partition, EntryConsumer consumer) {
        for (Entry entry : partitions.getOrDefault(partition, List.of())) {
            consumer.accept(entry);
        }
    }

    void failAppendsWith(Errors error) {
        failure = Optional.of(error);
    }

    void succeedAppends() {
        failure = Optional.empty();
    }

    List<TransactionRecordSerde.Decoded> records(int partition) {
        return partitions.getOrDefault(partition, List.of()).stream().map(TransactionRecordSerde::deserialize).toList();
    }
}
