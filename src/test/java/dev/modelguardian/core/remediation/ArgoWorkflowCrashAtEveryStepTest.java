package dev.modelguardian.core.remediation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.Runbook;
import dev.modelguardian.testing.ScrapeTarget;

/**
 * {@link CrashAtEveryStep}'s whole matrix for a target trained by an Argo WorkflowTemplate: drift, a Workflow
 * submitted from the template, validation, promotion or one of the ways to a rollback, with the process dying at
 * every persisted transition. The end must be the undisturbed end, with exactly one Workflow per remediation.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(RegistryProfile.class)
class ArgoWorkflowCrashAtEveryStepTest extends CrashAtEveryStep {

    @Override
    Runbook.Training training() {
        return Runbook.Training.WORKFLOW_FROM_TEMPLATE;
    }
}
