package dev.modelguardian.integrations.kubernetes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Collects what one logger (and the loggers below it) writes, formatted, for the duration of a test: at WARN and
 * above in {@link #warnings()} (the message only), everything that passes the logger's level in {@link #all()}, with the text of any
 * attached exception.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> all = new CopyOnWriteArrayList<>();

    private CapturedLog(Logger logger) {
        this.logger = logger;
    }

    public static CapturedLog of(Class<?> type) {
        return of(type.getName());
    }

    /** Captures the logger {@code name} ("" for the root) and its children. */
    public static CapturedLog of(String name) {
        CapturedLog log = new CapturedLog(Logger.getLogger(name));
        log.logger.addHandler(log);
        return log;
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public List<String> all() {
        return List.copyOf(all);
    }

    @Override
    public void publish(LogRecord record) {
        String text = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(text);
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            text += " | " + t;
        }
        all.add(text);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
