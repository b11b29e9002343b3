package dev.modelguardian.core.check;

/**
 * One check of {@code doctor}: what was checked, how it came out, what was found and what to do. Framework-free, so
 * that an integration's own checks (a channel, a model registry) are built where the integration lives. Serialised
 * as is in {@code doctor --output json} (fields {@code check}, {@code status}, {@code detail}, {@code fix}).
 *
 * @param check  what was checked, e.g. {@code cronjob/orchestrator-dynamic-ml-training}
 * @param status the outcome
 * @param detail what was found
 * @param fix    what to do, or null when nothing needs doing
 */
public record Check(String check, Status status, String detail, String fix) {

    /** OK: as it should be. WARN: works, but probably not as meant. FAIL: the guardian cannot do its job. */
    public enum Status {
        OK, WARN, FAIL
    }

    /** A check that is as it should be: nothing to fix. */
    public static Check ok(String check, String detail) {
        return new Check(check, Status.OK, detail, null);
    }

    /** A check that works, but probably not as meant. */
    public static Check warn(String check, String detail, String fix) {
        return new Check(check, Status.WARN, detail, fix);
    }

    /** A check that keeps the guardian from doing its job. */
    public static Check fail(String check, String detail, String fix) {
        return new Check(check, Status.FAIL, detail, fix);
    }
}
