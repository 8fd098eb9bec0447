package io.tandem.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which bundle scripts the console page hints to the browser, read from a bundle laid out as Vaadin's build lays it out. */
class BundlePreloadTest {

    @TempDir
    Path classes;

    /** The shape of Vaadin 25's production entry script: Vite's dependency table first, the lazy imports further on. */
    static final String ENTRY_SCRIPT = """
            const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["./generated-flow-imports-t4nGUjc-.js","./style-props-BRR9WZfk.js",\
            "./focus-mixin-CO9_HnQL.js"])))=>i.map(i=>d[i]);
            var e=Object.create;Bu=new Il({imports:()=>T(()=>import(`./generated-flow-imports-t4nGUjc-.js`),__vite__mapDeps([0,1,2]),import.meta.url)});
            (await T(()=>import(`./FlowBootstrap-C92yDU24.js`),[],import.meta.url)).init(this.response);
            let a=await T(()=>import(`./FlowClient-XDkeHcOw.js`),[],import.meta.url);
            """;

    @Test
    void hintsFlowsBootstrapTheComponentRegistrationsWithTheirChunksAndFlowsClient() throws IOException {
        bundle("<script type=\"module\" crossorigin src=\"./VAADIN/build/indexhtml-BNp73Egs.js\"></script>", ENTRY_SCRIPT,
                "generated-flow-imports-t4nGUjc-.js", "style-props-BRR9WZfk.js", "focus-mixin-CO9_HnQL.js", "FlowBootstrap-C92yDU24.js",
                "FlowClient-XDkeHcOw.js");

        assertThat(BundlePreload.scriptsOf(loader())).containsExactly(
                "VAADIN/build/generated-flow-imports-t4nGUjc-.js", "VAADIN/build/FlowBootstrap-C92yDU24.js",
                "VAADIN/build/FlowClient-XDkeHcOw.js", "VAADIN/build/style-props-BRR9WZfk.js", "VAADIN/build/focus-mixin-CO9_HnQL.js");
    }

    @Test
    void namesNoFileTheBundleDoesNotHave() throws IOException {
        bundle("<script type=\"module\" crossorigin src=\"./VAADIN/build/indexhtml-BNp73Egs.js\"></script>", ENTRY_SCRIPT,
                "generated-flow-imports-t4nGUjc-.js", "FlowClient-XDkeHcOw.js");

        assertThat(BundlePreload.scriptsOf(loader()))
                .containsExactly("VAADIN/build/generated-flow-imports-t4nGUjc-.js", "VAADIN/build/FlowClient-XDkeHcOw.js");
    }

    @Test
    void anEntryScriptOfAnotherShapeGetsNoHints() throws IOException {
        bundle("<script type=\"module\" crossorigin src=\"./VAADIN/build/indexhtml-BNp73Egs.js\"></script>", "import('./main.js');",
                "main.js");

        assertThat(BundlePreload.scriptsOf(loader())).isEmpty();
    }

    @Test
    void withoutAProductionBundleThereIsNothingToHint() throws IOException {
        assertThat(BundlePreload.scriptsOf(loader())).isEmpty();
    }

    private void bundle(String page, String entryScript, String... files) throws IOException {
        Path webapp = classes.resolve("META-INF/VAADIN/webapp");
        Files.createDirectories(webapp.resolve("VAADIN/build"));
        Files.writeString(webapp.resolve("index.html"), "<html><head>" + page + "</head><body></body></html>");
        Files.writeString(webapp.resolve("VAADIN/build/indexhtml-BNp73Egs.js"), entryScript);
        for (String file : files) {
            Files.writeString(webapp.resolve("VAADIN/build/" + file), "export {};");
        }
    }

    private ClassLoader loader() throws IOException {
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
    }
}
