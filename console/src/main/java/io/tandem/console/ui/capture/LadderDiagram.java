package io.tandem.console.ui.capture;

import io.tandem.console.capture.CaptureView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A call's ladder as server-side SVG: one column per party (customer, switch, each vendor attempt)
 * with its lifeline, one arrow per message, top to bottom in time, labelled with its number, method
 * or status, and the time since the first message. Every text in it is the peer's and is escaped.
 */
final class LadderDiagram {
    static final int GUTTER = 90;
    static final int COLUMN = 240;
    static final int HEADER = 64;
    static final int ROW = 30;

    private LadderDiagram() {
    }

    static String svg(CaptureView view) {
        List<CaptureView.Party> parties = view.parties();
        Map<String, Integer> x = new HashMap<>();
        for (int i = 0; i < parties.size(); i++) {
            x.put(parties.get(i).key(), GUTTER + COLUMN / 2 + i * COLUMN);
        }
        int width = GUTTER + Math.max(1, parties.size()) * COLUMN;
        int height = HEADER + view.messages().size() * ROW + 20;
        StringBuilder s = new StringBuilder(512 + view.messages().size() * 320);
        s.append("<svg xmlns='http://www.w3.org/2000/svg' class='tandem-ladder' width='").append(width).append("' height='").append(height)
                .append("' viewBox='0 0 ").append(width).append(' ').append(height)
                .append("' font-family='sans-serif' font-size='12' role='img' aria-label='SIP ladder diagram'>");
        s.append("<defs><marker id='ladder-head' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='8' markerHeight='8' orient='auto'>")
                .append("<path d='M0,0 L10,5 L0,10 z' fill='context-stroke'/></marker></defs>");
        for (CaptureView.Party p : parties) {
            int cx = x.get(p.key());
            s.append("<g class='ladder-party' data-party='").append(escape(p.key())).append("'>")
                    .append("<rect x='").append(cx - COLUMN / 2 + 10).append("' y='4' width='").append(COLUMN - 20)
                    .append("' height='40' rx='6' fill='#eef2f7' stroke='#8a99ad'/>")
                    .append("<text x='").append(cx).append("' y='20' text-anchor='middle' font-weight='bold'>").append(escape(p.label()))
                    .append("</text><text x='").append(cx).append("' y='36' text-anchor='middle' fill='#555'>").append(escape(p.address()))
                    .append("</text><line x1='").append(cx).append("' y1='44' x2='").append(cx).append("' y2='").append(height - 6)
                    .append("' stroke='#b5c0cf' stroke-dasharray='4 3'/></g>");
        }
        int row = 0;
        for (CaptureView.Message m : view.messages()) {
            int y = HEADER + row++ * ROW + 14;
            int from = x.getOrDefault(m.from(), GUTTER);
            int to = x.getOrDefault(m.to(), GUTTER);
            String color = color(m.label());
            s.append("<g class='ladder-arrow' data-number='").append(m.number()).append("'><title>").append(escape(firstLine(m.text())))
                    .append("</title>")
                    .append("<text x='4' y='").append(y + 4).append("' fill='#555'>+").append(m.offsetMillis()).append(" ms</text>")
                    .append("<line x1='").append(from).append("' y1='").append(y).append("' x2='").append(to).append("' y2='").append(y)
                    .append("' stroke='").append(color).append("' stroke-width='1.6' marker-end='url(#ladder-head)'/>")
                    .append("<text x='").append((from + to) / 2).append("' y='").append(y - 5).append("' text-anchor='middle' fill='")
                    .append(color).append("'>").append(m.number()).append(". ").append(escape(m.label())).append("</text></g>");
        }
        return s.append("</svg>").toString();
    }

    /** Requests blue, provisional answers grey, success green, failures red. */
    private static String color(String label) {
        char c = label.isEmpty() ? ' ' : label.charAt(0);
        return switch (c) {
            case '1' -> "#6b7280";
            case '2' -> "#15803d";
            case '3', '4', '5', '6' -> "#b91c1c";
            default -> "#1d4ed8";
        };
    }

    private static String firstLine(String text) {
        int eol = text.indexOf('\r');
        String line = eol < 0 ? text : text.substring(0, eol);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\'' -> out.append("&#39;");
                case '"' -> out.append("&quot;");
                default -> out.append(c < 0x20 ? ' ' : c);
            }
        }
        return out.toString();
    }
}
