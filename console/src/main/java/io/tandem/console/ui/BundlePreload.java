package io.tandem.console.ui;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Tells the browser, in the console page's head, which of Vaadin's bundle scripts the page will need, so that it
 * fetches and compiles them while the entry script runs and Vaadin's bootstrap request is under way, instead of one
 * after the other: the entry script asks for Flow's bootstrap, the component registrations
 * ({@code generated-flow-imports}, with its shared chunks) and Flow's client only once the server's bootstrap answer
 * is in. The names come from the bundle itself (the entry script's own list of its lazy imports), so they follow a
 * Vaadin upgrade; a bundle whose entry script does not read as expected gets no hints (and a warning in the log), and
 * works as before.
 */
@Component
@ConditionalOnProperty(name = "tandem.console.preload-hints", havingValue = "true", matchIfMissing = true)
public class BundlePreload implements VaadinServiceInitListener {

    private static final Logger log = LoggerFactory.getLogger(BundlePreload.class);

    static final String BUNDLE = "META-INF/VAADIN/webapp/";

    private static final Pattern ENTRY = Pattern.compile("src=\"\\./(VAADIN/build/indexhtml-[A-Za-z0-9_-]+\\.js)\"");
    /** Vite's table of the dependencies of every lazy import of the entry script. */
    private static final Pattern DEPENDENCY_TABLE = Pattern.compile("m\\.f=\\[([^\\]]*)\\]");
    private static final Pattern LAZY_IMPORT = Pattern.compile("import\\(`\\./((?:FlowBootstrap|FlowClient|generated-flow-imports)-[A-Za-z0-9_-]+\\.js)`\\)");
    private static final Pattern QUOTED = Pattern.compile("\"\\./([A-Za-z0-9_.-]+\\.js)\"");

    private final List<String> scripts;

    public BundlePreload() {
        this.scripts = scriptsOf(Thread.currentThread().getContextClassLoader());
    }

    /** The bundle scripts to hint, relative to the page ({@code VAADIN/build/…}); empty without a production bundle. */
    List<String> scripts() {
        return scripts;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        if (scripts.isEmpty() || !event.getSource().getDeploymentConfiguration().isProductionMode()) {
            return; // development mode serves its own bundle, whatever a package left in the classpath
        }
        event.addIndexHtmlRequestListener(response -> {
            var head = response.getDocument().head();
            for (String script : scripts) {
                head.appendElement("link").attr("rel", "modulepreload").attr("crossorigin", "").attr("href", "./" + script);
            }
        });
    }

    static List<String> scriptsOf(ClassLoader classes) {
        String page = read(classes, BUNDLE + "index.html");
        if (page == null) {
            return List.of(); // no production bundle (development mode): Vaadin serves the page its own way
        }
        Matcher entry = ENTRY.matcher(page);
        String entryScript = entry.find() ? read(classes, BUNDLE + entry.group(1)) : null;
        if (entryScript == null) {
            log.warn("No preload hints for the console page: its entry script is not named in {}index.html as expected", BUNDLE);
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher lazy = LAZY_IMPORT.matcher(entryScript);
        while (lazy.find()) {
            names.add(lazy.group(1));
        }
        Matcher table = DEPENDENCY_TABLE.matcher(entryScript);
        if (table.find()) {
            Matcher quoted = QUOTED.matcher(table.group(1));
            while (quoted.find()) {
                names.add(quoted.group(1));
            }
        }
        if (names.stream().noneMatch(name -> name.startsWith("generated-flow-imports-"))) {
            log.warn("No preload hints for the console page: its entry script {} does not import the component registrations as expected",
                    entry.group(1));
            return List.of();
        }
        List<String> scripts = new ArrayList<>();
        for (String name : names) {
            if (classes.getResource(BUNDLE + "VAADIN/build/" + name) != null) {
                scripts.add("VAADIN/build/" + name);
            }
        }
        return List.copyOf(scripts);
    }

    private static String read(ClassLoader classes, String resource) {
        try (InputStream in = classes.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource + " from the classpath", e);
        }
    }
}
