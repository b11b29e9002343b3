package dev.modelguardian.core.remediation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.Runbook;
import dev.modelguardian.testing.ScrapeTarget;

/**
 * {@link CrashAtEveryStep}'s whole matrix for a target trained by a Job manifest kept in a ConfigMap (the job-template
 * trigger): the end of every interrupted run must be the undisturbed end, with exactly one Job per remediation.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(RegistryProfile.class)
class JobTemplateCrashAtEveryStepTest extends CrashAtEveryStep {

    @Override
    Runbook.Training training() {
        return Runbook.Training.JOB_FROM_TEMPLATE;
    }
}
