package dev.modelguardian.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.modelguardian.testing.TestConfigs;

class KubeBeansTest {

    @Test
    void givenAConfiguredIdentity_whenResolved_thenItWinsOverThePodName() {
        assertThat(KubeBeans.identity(TestConfigs.fromYaml("guardian:\n  leader:\n    identity: guardian-a\n"),
                Map.of("POD_NAME", "model-guardian-7d9f-abcde"))).isEqualTo("guardian-a");
    }

    @Test
    void givenOnlyTheDownwardApiPodName_whenResolved_thenThePodNameIsUsed() {
        assertThat(KubeBeans.identity(TestConfigs.fromYaml(""),
                Map.of("POD_NAME", "model-guardian-7d9f-abcde", "HOSTNAME", "other"))).isEqualTo("model-guardian-7d9f-abcde");
    }

    @Test
    void givenOnlyAHostname_whenResolved_thenTheHostnameIsUsed() {
        assertThat(KubeBeans.identity(TestConfigs.fromYaml(""), Map.of("HOSTNAME", "laptop"))).isEqualTo("laptop");
    }

    @Test
    void givenNothing_whenResolved_thenTheApplicationNameIsUsed() {
        assertThat(KubeBeans.identity(TestConfigs.fromYaml(""), Map.of())).isEqualTo("model-guardian");
    }
}
