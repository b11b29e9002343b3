package dev.modelguardian.core.notify;

import java.net.URI;
import java.util.List;
import java.util.Set;

/** One way of telling people: which milestones it takes and how it renders them as HTTP requests. */
public interface Channel {

    /** {@code slack}, {@code pagerduty} or {@code webhook}: the {@code channel} tag of the metric. */
    String name();

    /** The channel for logs: its name and at most the endpoint's host, e.g. {@code slack (hooks.slack.com/…)}. */
    String describe();

    /** Whether this channel is told about {@code notification}. */
    boolean wants(Notification notification);

    /** The requests that tell it (PagerDuty resolves several incidents at once; the others send one). */
    List<Outgoing> render(Notification notification);

    /** Values never to be logged: URLs, keys. */
    Set<String> secrets();

    /** {@code name (host/…)}: the host only, never the path, the query or user info. */
    static String describe(String name, URI uri) {
        String host = uri.getHost() == null ? "?" : uri.getHost();
        return name + " (" + host + "/…)";
    }
}
