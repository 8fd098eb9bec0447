package io.tandem.console.calls;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tandem.warmup.*}: the node's warm-up after a start, before it reports ready and takes calls.
 *
 * @param enabled  false takes calls as soon as SIP listens (the first seconds then run on cold code)
 * @param duration how long the call path is exercised on loopback
 * @param exitWhenDone stop the node once warm: the training run that records the JDK's AOT cache
 *                     (console/bin/run-node.sh), never set on a node that carries traffic
 */
@ConfigurationProperties("tandem.warmup")
public record WarmupProperties(@DefaultValue("true") boolean enabled, @DefaultValue("4s") Duration duration,
                               @DefaultValue("false") boolean exitWhenDone) {
}
