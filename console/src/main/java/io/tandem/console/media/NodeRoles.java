package io.tandem.console.media;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code tandem.roles}: {@code both} (default: SIP and its own relay), {@code sip} (signalling only:
 * calls are anchored on the remote media nodes of {@code tandem.media.nodes}) or {@code media} (the
 * relay and its control endpoint, no SIP listener). A {@code media} node runs as if
 * {@code tandem.sip.enabled=false}; anything else is refused at start.
 */
public final class NodeRoles implements EnvironmentPostProcessor {

    public static final String PROPERTY = "tandem.roles";

    public enum Role { BOTH, SIP, MEDIA }

    public static Role of(org.springframework.core.env.Environment environment) {
        String value = environment.getProperty(PROPERTY, "both").strip().toUpperCase(Locale.ROOT);
        try {
            return Role.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(PROPERTY + " must be one of both, sip, media, not '"
                    + environment.getProperty(PROPERTY) + "'", e);
        }
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (of(environment) == Role.MEDIA) {
            environment.getPropertySources().addFirst(new MapPropertySource("tandem-media-role", Map.of("tandem.sip.enabled", "false")));
        }
    }
}
