package dev.modelguardian.integrations.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.Settings;
import dev.modelguardian.testing.TestConfigs;

/** The CronJob trigger checks its own setting of each target: the CronJob name, the target's name when not set. */
class CronJobProviderTest {

    private static List<ConfigProblem> validate(String name, String targets) {
        Settings settings = TestConfigs.settings("guardian:\n  targets:\n" + targets);
        List<ConfigProblem> problems = new ArrayList<>();
        new CronJobProvider().validate(name, settings.guardian().targets().get(name), settings, problems);
        return problems;
    }

    @Test
    void givenATargetWithAValidCronJobName_whenTheProviderValidatesIt_thenThereIsNoProblem() {
        assertThat(validate("training", "    training:\n      cron-job: ml-training\n      models: [a]\n"))
                .isEmpty();
    }

    @Test
    void givenACronJobNameWithUpperCase_whenTheProviderValidatesIt_thenTheProblemIsOnTheCronJobKey() {
        assertThat(validate("training", "    training:\n      cron-job: ML_Training\n      models: [a]\n"))
                .singleElement().satisfies(p -> {
                    assertThat(p.property()).isEqualTo("guardian.targets.training.cron-job");
                    assertThat(p.message()).contains("'ML_Training' is not a valid CronJob name");
                });
    }

    @Test
    void givenATargetNameTooLongForACronJob_whenTheProviderValidatesIt_thenTheProblemIsOnTheTarget() {
        String name = "a".repeat(CronJobProvider.MAX_NAME + 1);
        assertThat(validate(name, "    " + name + ":\n      models: [a]\n")).singleElement()
                .satisfies(p -> assertThat(p.property()).isEqualTo("guardian.targets." + name));
    }

    @Test
    void givenAnyConfiguration_whenTheProviderBuildsItsTrigger_thenItIsTheJobsOfTheGuardiansNamespace() {
        Settings config = TestConfigs.settings("guardian:\n  interval: 1m\n");
        assertThat(new CronJobProvider().trigger(config, java.util.Map.of(), null, "neural-hive",
                java.time.Clock.systemUTC()))
                .isInstanceOfSatisfying(TrainingJobs.class,
                        jobs -> assertThat(jobs.namespace()).isEqualTo("neural-hive"));
    }

    @Test
    void givenTheProvider_whenAskedItsKind_thenItIsCronjob() {
        assertThat(new CronJobProvider().kind()).isEqualTo("cronjob");
    }
}
