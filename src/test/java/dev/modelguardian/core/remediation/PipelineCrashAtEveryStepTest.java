package dev.modelguardian.core.remediation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.Runbook;
import dev.modelguardian.testing.ScrapeTarget;

/**
 * {@link CrashAtEveryStep}'s whole matrix for a target trained through a pipeline service's REST API (the http trigger
 * against a Kubeflow Pipelines stand-in): drift, a run started, validation, promotion or one of the ways to a
 * rollback, with the process dying at every persisted transition. The end must be the undisturbed end, with exactly
 * one run per remediation: a fresh process knows nothing of the run's id and finds it by name in the runs list.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(RegistryProfile.class)
class PipelineCrashAtEveryStepTest extends CrashAtEveryStep {

    @Override
    Runbook.Training training() {
        return Runbook.Training.RUN_THROUGH_PIPELINE;
    }
}
