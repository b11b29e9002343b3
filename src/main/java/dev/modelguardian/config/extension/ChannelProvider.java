package dev.modelguardian.config.extension;

import java.util.List;
import java.util.Optional;

import dev.modelguardian.config.ConfigRules;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.notify.Channel;

/**
 * A notification channel, whole: its keys' validation, its {@code doctor} checks and the {@link Channel} it sends
 * through. One implementation per integration folder, registered in the application's one list of extensions.
 * Its keys live under {@code guardian.notify.<name>}, mapped by its own root ({@link #settingsRoot()}).
 */
public interface ChannelProvider extends ConfigRules {

    /** The channel's name, as in its keys and checks, e.g. {@code slack}. */
    String name();

    /**
     * The checks of {@code doctor} for this channel (check names {@code notify/<name>}): whether it is on, and what
     * contradicts itself. No detail or fix shows a secret.
     *
     * @param settings the whole configuration
     * @param context  what {@code doctor} knows besides the configuration
     */
    List<Check> doctor(Settings settings, DoctorContext context);

    /**
     * The channel when it is on (its URL or key is set), else empty.
     *
     * @param settings  the whole configuration
     * @param namespace the namespace the guardian works in
     */
    Optional<Channel> channel(Settings settings, String namespace);
}
