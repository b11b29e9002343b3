package dev.modelguardian.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The files of monitoring/ as the tests read them: the alert rules and the Grafana dashboard's queries. */
public final class Monitoring {

    public static final Path DIR = Path.of("monitoring");
    public static final Path RULES = DIR.resolve("rules.yaml");
    public static final Path DASHBOARD = DIR.resolve("grafana-dashboard.json");

    private Monitoring() {
    }

    public static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }

    /** Every query of the dashboard: panel targets and the annotations that have one, each with its datasource. */
    public static List<JsonNode> queries(JsonNode dashboard) {
        List<JsonNode> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panel.path("targets").forEach(queries::add);
        }
        for (JsonNode annotation : dashboard.path("annotations").path("list")) {
            if (annotation.has("expr")) {
                queries.add(annotation);
            }
        }
        return queries;
    }

    /** The alert rules of a rules file (its groups' rules, in order). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> rules(Map<String, Object> file) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    public static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    }
}
