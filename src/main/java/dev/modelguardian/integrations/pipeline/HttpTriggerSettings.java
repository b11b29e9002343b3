package dev.modelguardian.integrations.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithParentName;

/**
 * The {@code http} trigger's keys of each training target,
 * {@code guardian.targets.<target>.trigger.http.*}: a root of its own over the targets' map, so that the
 * trigger's keys live in its folder (the targets' other keys are the guardian's tree).
 */
@ConfigMapping(prefix = "guardian.targets")
// Quarkus registers a mapping root nothing injects only when it is unremovable: the provider reads it through
// Settings.of, not by injection.
@Unremovable
public interface HttpTriggerSettings {

    /** Each target's keys of this trigger, by target name; a target that sets none reads the defaults. */
    @WithParentName
    @WithDefaults
    Map<String, Target> targets();

    /** The keys of the target {@code target}: the defaults when it sets none. */
    default HttpTrigger of(String target) {
        return targets().get(target).trigger().http();
    }

    /** One target's keys of this trigger. */
    interface Target {
        /** Its {@code trigger} keys. */
        Trigger trigger();
    }

    /** A target's {@code trigger} keys of this kind. */
    interface Trigger {
        /** {@code http}: a pipeline service's REST API, asked to start a run and then polled for its state. */
        HttpTrigger http();
    }

    /**
     * A training run started through a pipeline service's REST API (Kubeflow Pipelines, Airflow, a CI pipeline): one
     * request starts it, another reads its state, a third lists runs so that a restarted guardian finds the run it
     * started and adopts one already running. URLs and the body may contain {@code {run}} (the run's name, e.g.
     * {@code ml-retrain-emergency-1700000000}), {@code {remediation-id}}, {@code {target}}, {@code {models}}
     * (comma-separated) and {@code {trigger}} (what fired); the status URL also {@code {run-id}}, the service's id of
     * the run. Values are URL-encoded in URLs and JSON-escaped in the body.
     */
    interface HttpTrigger {
        /**
         * What the runs are started from, as messages, Events and notifications name it (e.g. {@code retrain-dag});
         * defaults to the target's name.
         */
        Optional<String> name();

        /**
         * What the service calls one run, as messages say it: {@code Kubeflow run}, {@code DAG run},
         * {@code workflow run}.
         */
        @WithDefault("run")
        String runKind();

        /** The request that starts a run. */
        HttpStart start();

        /** The request that reads one run's state. */
        HttpStatus status();

        /** The request that lists runs, newest first: how a run is found by its name and a running one adopted. */
        HttpRuns runs();

        /**
         * The credentials every request carries, read from a Secret when a request is made (a rotation needs no
         * restart).
         */
        HttpAuth auth();

        /**
         * Headers every request carries besides {@code Accept}, {@code Content-Type} and the credentials, by name, e.g.
         * {@code X-GitHub-Api-Version: 2022-11-28}. Not for credentials: those come from {@link #auth()}.
         */
        Map<String, String> headers();

        /** How long one request may take, connection included. */
        @WithDefault("10s")
        Duration requestTimeout();

        /**
         * A PEM file of the CA certificates the service's certificate is checked against, instead of the JVM's trust
         * store (a service behind a private CA).
         */
        Optional<Path> caFile();
    }

    /** The request that starts a run. */
    interface HttpStart {
        /** The absolute http(s) URL, e.g. {@code https://kfp.example/apis/v2beta1/runs}. */
        Optional<String> url();

        /** {@code POST} or {@code PUT}. */
        @WithDefault("POST")
        String method();

        /** The JSON body; placeholders inside its strings are replaced, JSON-escaped. */
        Optional<String> body();

        /**
         * A JSON Pointer (RFC 6901, e.g. {@code /run_id}) to the service's id of the run in the response; without it
         * the run's name is its id (Airflow's {@code dag_run_id}, chosen by the caller).
         */
        Optional<String> runId();

        /** The header that carries the remediation id as an idempotency key; {@code none} sends none. */
        @WithDefault("Idempotency-Key")
        String idempotencyHeader();
    }

    /** The request that reads one run's state. */
    interface HttpStatus {
        /**
         * The absolute http(s) URL, with {@code {run-id}}, e.g.
         * {@code https://kfp.example/apis/v2beta1/runs/{run-id}}.
         */
        Optional<String> url();

        /** A JSON Pointer to the run's state in the response, e.g. {@code /state}. */
        Optional<String> state();

        /** The states of a run that succeeded, e.g. {@code SUCCEEDED}. */
        Optional<List<String>> succeeded();

        /** The states of a run that ended without success, e.g. {@code FAILED,CANCELED}; any other state is running. */
        Optional<List<String>> failed();

        /** A JSON Pointer to what the service says about a failed run, e.g. {@code /error/message}. */
        Optional<String> message();
    }

    /** The request that lists runs, newest first. */
    interface HttpRuns {
        /** The absolute http(s) URL, e.g. {@code https://kfp.example/apis/v2beta1/runs?experiment_id=...}. */
        Optional<String> url();

        /** A JSON Pointer to the array of runs in the response, e.g. {@code /runs}. */
        Optional<String> items();

        /** A JSON Pointer, within one item, to the run's name, e.g. {@code /display_name}. */
        Optional<String> name();

        /** A JSON Pointer, within one item, to the service's id of the run; defaults to {@code start.run-id}. */
        Optional<String> runId();

        /** A JSON Pointer, within one item, to the run's state; defaults to {@code status.state}. */
        Optional<String> state();
    }

    /** The credentials of a pipeline service, kept in a Secret of the guardian's namespace. */
    interface HttpAuth {
        /** The Secret; without it requests carry no credentials. */
        Optional<String> secret();

        /**
         * {@code bearer} ({@code Authorization: Bearer <token>}) or {@code basic} ({@code Authorization: Basic} of
         * the username and password keys).
         */
        @WithDefault("bearer")
        String scheme();

        /** {@code bearer}: the Secret's key holding the token. */
        @WithDefault("token")
        String tokenKey();

        /** {@code basic}: the Secret's key holding the user name. */
        @WithDefault("username")
        String usernameKey();

        /** {@code basic}: the Secret's key holding the password. */
        @WithDefault("password")
        String passwordKey();
    }
}
