package io.tandem.console.ui.chart;

import com.vaadin.flow.component.html.Span;

/** A small coloured label for a state: good, bad or worth a look (tandem.css {@code .tandem-chip}). */
public final class Chip {

    public enum Tone {
        GOOD, BAD, NOTICE
    }

    private Chip() {
    }

    public static Span of(String text, Tone tone) {
        Span chip = new Span(text);
        chip.addClassNames("tandem-chip", "tandem-chip-" + tone.name().toLowerCase(java.util.Locale.ROOT));
        return chip;
    }
}
