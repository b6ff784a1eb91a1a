package io.fjord.storage;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a disk I/O failure goes (STYLE.md: never log-and-continue). The broker implements
 * it to take the log dir offline; {@link #HALT}, the default, logs once and halts the process
 * (Kafka's behaviour when the last log dir fails). Called from whichever thread hit the failure;
 * the partition that saw it is already offline (its operations fail with KAFKA_STORAGE_ERROR).
 */
@FunctionalInterface
public interface LogDirFailureHandler {

    void onLogDirFailure(Path logDir, String context, IOException cause);

    LogDirFailureHandler HALT = (logDir, context, cause) -> {
        Logger log = LoggerFactory.getLogger(LogDirFailureHandler.class);
        log.error("Halting: I/O failure in log dir {} while {}", logDir, context, cause);
        Runtime.getRuntime().halt(1);
    };
}
