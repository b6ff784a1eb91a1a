package io.fjord.broker.server;

import io.fjord.common.TopicPartition;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where Fetch requests wait for data (fetch.min.bytes / max.wait.ms). An operation watches the
 * partitions it reads; every append to one of them {@link #wake wakes} it, and it completes when
 * its own check says enough data has arrived, or when its timeout fires — whichever is first,
 * exactly once.
 *
 * <p>Thread-safe: appends wake operations from any network thread; timeouts fire on one timer
 * thread. Bounded: at most {@code maxWaiting} operations wait; beyond that a new one completes at
 * once (the client simply polls again), so a flood of long-polls cannot exhaust memory.
 */
public final class DelayedFetchPurgatory implements AutoCloseable {

    /** A waiting request. {@link #tryComplete} and {@link #forceComplete} are called at most until one returns true. */
    public abstract static class DelayedOperation {
        private final AtomicBoolean completed = new AtomicBoolean();
        private volatile Timeout timeout;

        /** Completes (sends the response) and returns true when enough data is there; otherwise false. */
        protected abstract boolean tryCompleteIfReady();

        /** Completes with whatever is there now (timeout, shutdown or overflow). */
        protected abstract void complete();

        final boolean maybeComplete() {
            if (completed.get()) {
                return true;
            }
            synchronized (this) {
                if (completed.get()) {
                    return true;
                }
                if (tryCompleteIfReady()) {
                    completed.set(true);
                    return true;
                }
                return false;
            }
        }

        final void forceComplete() {
            synchronized (this) {
                if (completed.compareAndSet(false, true)) {
                    complete();
                }
            }
        }

        final boolean isCompleted() {
            return completed.get();
        }
    }

    private final HashedWheelTimer timer = new HashedWheelTimer(new DefaultThreadFactory("fjord-fetch-timer", true),
            5, TimeUnit.MILLISECONDS, 512);
    private final Map<TopicPartition, Set<DelayedOperation>> watchers = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final int maxWaiting;

    public DelayedFetchPurgatory(int maxWaiting) {
        this.maxWaiting = maxWaiting;
    }

    /** Completes {@code operation} now if it can; otherwise parks it on {@code partitions} until data or timeout. */
    public void watch(DelayedOperation operation, Collection<TopicPartition> partitions, long timeoutMs) {
        if (operation.maybeComplete()) {
            return;
        }
        if (timeoutMs <= 0 || partitions.isEmpty() || waiting.incrementAndGet() > maxWaiting) {
            if (timeoutMs > 0 && !partitions.isEmpty()) {
                waiting.decrementAndGet();
            }
            operation.forceComplete();
            return;
        }
        for (TopicPartition tp : partitions) {
            watchers.computeIfAbsent(tp, ignored -> ConcurrentHashMap.newKeySet()).add(operation);
        }
        operation.timeout = timer.newTimeout(ignored -> finish(operation, partitions, true), timeoutMs, TimeUnit.MILLISECONDS);
        // An append may have landed between the first check and registration.
        if (operation.maybeComplete()) {
            finish(operation, partitions, false);
        }
    }

    /** Tells the operations watching {@code tp} that it changed (append, deletion). */
    public void wake(TopicPartition tp) {
        Set<DelayedOperation> operations = watchers.get(tp);
        if (operations == null || operations.isEmpty()) {
            return;
        }
        for (DelayedOperation operation : operations) {
            if (operation.maybeComplete()) {
                operations.remove(operation);
                Timeout timeout = operation.timeout;
                if (timeout != null && timeout.cancel()) {
                    waiting.decrementAndGet();
                }
            }
        }
    }

    private void finish(DelayedOperation operation, Collection<TopicPartition> partitions, boolean expired) {
        if (expired) {
            waiting.decrementAndGet();
            operation.forceComplete();
        } else {
            Timeout timeout = operation.timeout;
            if (timeout != null && timeout.cancel()) {
                waiting.decrementAndGet();
            }
        }
        for (TopicPartition tp : partitions) {
            Set<DelayedOperation> operations = watchers.get(tp);
            if (operations != null) {
                operations.remove(operation);
            }
        }
    }

    public int waitingCount() {
        return waiting.get();
    }

    @Override
    public void close() {
        for (Timeout timeout : timer.stop()) {
            timeout.task();
        }
        for (Set<DelayedOperation> operations : watchers.values()) {
            operations.forEach(DelayedOperation::forceComplete);
        }
        watchers.clear();
    }
}
