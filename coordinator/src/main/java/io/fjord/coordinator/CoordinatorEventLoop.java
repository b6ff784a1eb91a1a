package io.fjord.coordinator;

import io.fjord.common.errors.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one thread a coordinator's state lives on (group or transaction coordinator), with a bounded
 * number of waiting client events: beyond {@code maxPendingEvents}, or once stopped, an event is
 * answered at once with COORDINATOR_NOT_AVAILABLE instead of queueing without bound, and an event
 * that throws is answered UNKNOWN_SERVER_ERROR (logged once here). Internal tasks (timeouts,
 * retries) bypass the bound. Thread-safe; owned by the coordinator that creates it.
 */
public final class CoordinatorEventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorEventLoop.class);

    private final String name;
    private final int maxPendingEvents;
    private final ScheduledThreadPoolExecutor executor;
    private final AtomicInteger pendingEvents = new AtomicInteger();

    public CoordinatorEventLoop(String threadName, int maxPendingEvents) {
        this.name = threadName;
        this.maxPendingEvents = maxPendingEvents;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        this.executor.setRemoveOnCancelPolicy(true);
    }

    /** Runs a client event; when it cannot run or fails, the future holds {@code onError}'s value. */
    public <T> CompletableFuture<T> call(Supplier<T> task, Function<Errors, T> onError) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (pendingEvents.incrementAndGet() > maxPendingEvents) {
            pendingEvents.decrementAndGet();
            future.complete(onError.apply(Errors.COORDINATOR_NOT_AVAILABLE));
            return future;
        }
        try {
            executor.execute(() -> {
                pendingEvents.decrementAndGet();
                try {
                    future.complete(task.get());
                } catch (RuntimeException e) {
                    LOG.error("[{}] event failed; answering UNKNOWN_SERVER_ERROR", name, e);
                    future.complete(onError.apply(Errors.UNKNOWN_SERVER_ERROR));
                }
            });
        } catch (RejectedExecutionException e) {
            pendingEvents.decrementAndGet();
            future.complete(onError.apply(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        return future;
    }

    /** Runs an internal task soon; a failure is logged, a stopped loop drops it. */
    public void execute(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("[{}] task failed", name, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("[{}] stopped; dropping an internal task", name);
        }
    }

    /** Runs an internal task after {@code delayMs}; a stopped loop drops it. */
    public void schedule(Runnable task, long delayMs) {
        try {
            executor.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("[{}] stopped; dropping a scheduled task", name);
        }
    }

    public void scheduleWithFixedDelay(Runnable task, long intervalMs) {
        executor.scheduleWithFixedDelay(task, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the loop and waits up to {@code timeoutMs} for it (shutdown paths). */
    public void runAndWait(Runnable task, long timeoutMs) {
        try {
            Future<?> done = executor.submit(task);
            done.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("[{}] shutdown task did not finish cleanly", name, e);
        } catch (RejectedExecutionException e) {
            LOG.debug("[{}] already stopped", name);
        }
    }

    public void shutdownNow() {
        executor.shutdownNow();
    }
}
