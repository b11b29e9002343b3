package dev.modelguardian.core.notify;

import java.net.URI;
import java.util.Map;

/**
 * One HTTP POST a channel wants sent.
 *
 * @param uri     where to (a secret for Slack and webhooks: never logged)
 * @param body    the exact bytes to send (and to sign)
 * @param headers extra headers
 * @param what    what it is, for logs: milestone and target, never a secret
 */
public record Outgoing(URI uri, byte[] body, Map<String, String> headers, String what) {

    public Outgoing {
        headers = Map.copyOf(headers);
    }
}
