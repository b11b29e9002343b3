package dev.modelguardian.app.cli;

import java.util.List;

import dev.modelguardian.core.check.Check.Status;
import dev.modelguardian.core.check.Check;

/**
 * The result of {@code doctor}, JSON schema {@value #SCHEMA}. Jackson serialises these records reflectively and no
 * REST endpoint tells the native build about them: they are registered for reflection in {@code app/NativeImage}.
 *
 * @param checks every check, in the order run ({@link Check}, from the core, so that integrations write their own)
 */
public record DoctorReport(String schema, String namespace, String result, int exitCode, Counts counts,
        List<Check> checks) {

    public static final String SCHEMA = "model-guardian/doctor/v1";
    public static final int EXIT_OK = 0;
    public static final int EXIT_PROBLEMS = 1;

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
