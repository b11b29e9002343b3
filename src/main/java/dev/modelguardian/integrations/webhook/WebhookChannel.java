package dev.modelguardian.integrations.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.modelguardian.core.notify.Channel;
import dev.modelguardian.core.notify.Milestone;
import dev.modelguardian.core.notify.Notification;
import dev.modelguardian.core.notify.Outgoing;
import dev.modelguardian.integrations.http.Json;

/**
 * A generic JSON webhook: the payload {@value #SCHEMA} (docs/notifications.md), signed with HMAC-SHA256 over the exact
 * body bytes when a key is configured: {@code X-Guardian-Signature: sha256=<lower-case hex>}.
 */
public final class WebhookChannel implements Channel {

    static final String SCHEMA = "model-guardian/notification/v1";
    static final String SIGNATURE_HEADER = "X-Guardian-Signature";

    private final URI uri;
    private final String url;
    private final Optional<String> hmacKey;
    private final Set<Milestone> milestones;
    private final boolean postmortem;

    public WebhookChannel(String url, Optional<String> hmacKey, Set<Milestone> milestones) {
        this(url, hmacKey, milestones, true);
    }

    /** As above; {@code postmortem}: carry the draft of a remediation that ended in the payload. */
    public WebhookChannel(String url, Optional<String> hmacKey, Set<Milestone> milestones, boolean postmortem) {
        this.postmortem = postmortem;
        this.url = url;
        this.uri = URI.create(url);
        this.hmacKey = hmacKey;
        this.milestones = Set.copyOf(milestones);
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String describe() {
        return Channel.describe(name(), uri);
    }

    @Override
    public boolean wants(Notification n) {
        return milestones.contains(n.milestone());
    }

    @Override
    public Set<String> secrets() {
        Set<String> secrets = new HashSet<>(Set.of(url));
        if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
            secrets.add(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            secrets.add(uri.getRawQuery());
        }
        hmacKey.ifPresent(secrets::add);
        return secrets;
    }

    @Override
    public List<Outgoing> render(Notification n) {
        byte[] body = Json.bytes(payload(n, postmortem));
        Map<String, String> headers = hmacKey.map(key -> Map.of(SIGNATURE_HEADER, "sha256=" + sign(key, body)))
                .orElse(Map.of());
        return List.of(new Outgoing(uri, body, headers, n.milestone().configName() + " of " + n.target()));
    }

    static Map<String, Object> payload(Notification n) {
        return payload(n, true);
    }

    static Map<String, Object> payload(Notification n, boolean withPostmortem) {
        Json.Fields payload = Json.object().with("schema", SCHEMA);
        payload.putAll(Json.facts(n));
        if (withPostmortem) {
            payload.with("postmortem", n.postmortem().map(Notification.Draft::markdown));
        }
        return payload;
    }

    /** HMAC-SHA256 of {@code body} with {@code key} (UTF-8), lower-case hex. */
    static String sign(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // The message of either never carries the key.
            throw new IllegalStateException("cannot sign the webhook payload: " + e.getClass().getSimpleName());
        }
    }
}
