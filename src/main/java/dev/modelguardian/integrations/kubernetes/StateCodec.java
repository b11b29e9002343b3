package dev.modelguardian.integrations.kubernetes;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.remediation.TargetRecord;

/**
 * The JSON of the state ConfigMap's values: readable with {@code kubectl get cm -o yaml}, instants as RFC 3339 text,
 * absent values omitted. Its own mapper, so that the stored format does not change with the application's JSON
 * settings.
 */
final class StateCodec {

    private static final TypeReference<Map<String, PolicyStatus>> POLICIES = new TypeReference<>() {
    };

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    String writeTarget(TargetRecord record) {
        return write(record);
    }

    TargetRecord readTarget(String key, String json) {
        return read(key, json, mapper.constructType(TargetRecord.class));
    }

    String writePolicies(Map<String, PolicyStatus> policies) {
        return write(policies);
    }

    Map<String, PolicyStatus> readPolicies(String key, String json) {
        return read(key, json, mapper.getTypeFactory().constructType(POLICIES));
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write state as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private <T> T read(String key, String json, com.fasterxml.jackson.databind.JavaType type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("state ConfigMap key '" + key + "' is not valid guardian state ("
                    + e.getOriginalMessage() + "); fix or delete the key", e);
        }
    }
}
