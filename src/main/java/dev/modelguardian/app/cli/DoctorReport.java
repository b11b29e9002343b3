package dev.modelguardian.app.cli;

import java.util.List;

/**
 * The result of {@code doctor}, JSON schema {@value #SCHEMA}. Jackson serialises these records reflectively and no
 * REST endpoint tells the native build about them: they are registered for reflection in {@code app/NativeImage}.
 *
 * @param checks every check, in the order run
 */
public record DoctorReport(String schema, String namespace, String result, int exitCode, Counts counts,
        List<Check> checks) {

    public static final String SCHEMA = "model-guardian/doctor/v1";
    public static final int EXIT_OK = 0;
    public static final int EXIT_PROBLEMS = 1;

    /** OK: as it should be. WARN: works, but probably not as meant. FAIL: the guardian cannot do its job. */
    public enum Status {
        OK, WARN, FAIL
    }

    /**
     * One check.
     *
     * @param check  what was checked, e.g. {@code cronjob/orchestrator-dynamic-ml-training}
     * @param status the outcome
     * @param detail what was found
     * @param fix    what to do, or null when nothing needs doing
     */
    public record Check(String check, Status status, String detail, String fix) {

        static Check ok(String check, String detail) {
            return new Check(check, Status.OK, detail, null);
        }

        static Check warn(String check, String detail, String fix) {
            return new Check(check, Status.WARN, detail, fix);
        }

        static Check fail(String check, String detail, String fix) {
            return new Check(check, Status.FAIL, detail, fix);
        }
    }

    public record Counts(long ok, long warn, long fail) {
    }

    static DoctorReport of(String namespace, List<Check> checks) {
        Counts counts = new Counts(count(checks, Status.OK), count(checks, Status.WARN), count(checks, Status.FAIL));
        boolean problems = counts.fail() > 0;
        return new DoctorReport(SCHEMA, namespace, problems ? "problems" : "ok", problems ? EXIT_PROBLEMS : EXIT_OK,
                counts, List.copyOf(checks));
    }

    private static long count(List<Check> checks, Status status) {
        return checks.stream().filter(c -> c.status() == status).count();
    }
}
