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

    public static void main(String[] args) {
        // Storage is UTC; so is every time the node computes.
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        SpringApplication.run(TandemApplication.class, translateShortcuts(args));
    }

    static String[] translateShortcuts(String[] args) {
        return Arrays.stream(args)
                .map(arg -> arg.equals("--no-demo") ? "--tandem.demo.enabled=false" : arg)
                .toArray(String[]::new);
    }
}
