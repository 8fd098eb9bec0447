package io.tandem.console;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.theme.lumo.Lumo;
import com.vaadin.flow.component.dependency.StyleSheet;
import java.util.Arrays;
import java.util.TimeZone;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A Tandem node: SIP, routing, billing, the web console and the REST API in one process.
 *
 * <p>{@code --no-demo} on the command line is a shortcut for {@code --tandem.demo.enabled=false}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Push
@StyleSheet(Lumo.STYLESHEET)
@StyleSheet("tandem.css")
public class TandemApplication implements AppShellConfigurator {
    static final String NETTY_LEAK_DETECTION = "io.netty.leakDetection.level";

    public static void main(String[] args) {
        // Storage is UTC; so is every time the node computes.
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        turnOffNettyLeakDetectionUnlessSet();
        SpringApplication.run(TandemApplication.class, translateShortcuts(args));
    }

    /**
     * Netty's leak detector (on by default) tracks one buffer in 128 with a stack trace taken when it is made
     * and another when it is freed: about 200 traces a second at 1,800 calls/s on the SIP loops. A node runs
     * without it unless the operator set the property ({@code -Dio.netty.leakDetection.level=simple}); the
     * tests, which do not start here, keep Netty's default. Must run before Netty's first buffer.
     */
    static void turnOffNettyLeakDetectionUnlessSet() {
        if (System.getProperty(NETTY_LEAK_DETECTION) == null) {
            System.setProperty(NETTY_LEAK_DETECTION, "disabled");
        }
    }

    static String[] translateShortcuts(String[] args) {
        return Arrays.stream(args)
                .map(arg -> arg.equals("--no-demo") ? "--tandem.demo.enabled=false" : arg)
                .toArray(String[]::new);
    }
}
