package dev.modelguardian.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The namespace the guardian works in: {@code guardian.namespace} (env {@code GUARDIAN_NAMESPACE}) if set, else the
 * pod's own namespace ({@code POD_NAMESPACE} from the downward API, else the service-account namespace file), else
 * {@code default}. Neural Hive's runbook names {@code neural-hive-orchestration}, but the release lives in
 * {@code neural-hive}: defaulting to the pod's own namespace gets that right without configuration.
 */
public final class Namespace {

    /** Where Kubernetes mounts the pod's namespace. */
    public static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    private Namespace() {
    }

    /** The namespace and where it came from, for {@code doctor}. */
    public record Resolved(String name, String source) {
    }

    public static String resolve(GuardianConfig config) {
        return resolveWithSource(config).name();
    }

    public static Resolved resolveWithSource(GuardianConfig config) {
        return resolveWithSource(config, System.getenv(), SERVICE_ACCOUNT_NAMESPACE);
    }

    static String resolve(GuardianConfig config, Map<String, String> env, Path serviceAccountFile) {
        return resolveWithSource(config, env, serviceAccountFile).name();
    }

    static Resolved resolveWithSource(GuardianConfig config, Map<String, String> env, Path serviceAccountFile) {
        if (config.namespace().isPresent()) {
            return new Resolved(config.namespace().get(), "guardian.namespace");
        }
        String pod = env.get("POD_NAMESPACE");
        if (pod != null && !pod.isBlank()) {
            return new Resolved(pod.strip(), "POD_NAMESPACE");
        }
        try {
            if (Files.isReadable(serviceAccountFile)) {
                String fromFile = Files.readString(serviceAccountFile).strip();
                if (!fromFile.isEmpty()) {
                    return new Resolved(fromFile, serviceAccountFile.toString());
                }
            }
        } catch (IOException e) {
            // fall through to the default: the file is optional outside a pod
        }
        return new Resolved("default", "the default (no guardian.namespace, POD_NAMESPACE or service-account file)");
    }
}
