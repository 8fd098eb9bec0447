package io.tandem.routing;

import java.util.List;

/** The route simulator's text: what a NOC engineer reads to see why a call went where it went. */
public final class RouteExplanation {

    private RouteExplanation() {
    }

    public static String text(RouteResult result) {
        StringBuilder out = new StringBuilder();
        switch (result) {
            case RouteDecision d -> {
                out.append("ROUTE ").append(d.callee()).append(" (caller ").append(d.caller().isEmpty() ? "-" : d.caller())
                        .append(")\n");
                out.append("sell ").append(rate(d.sellRate())).append(' ').append(d.currency()).append('\n');
                out.append("profile ").append(d.profileName()).append(", strategy ").append(d.strategy().code()).append('\n');
                int i = 1;
                for (VendorCandidate c : d.candidates()) {
                    out.append(i++).append(". ").append(c.vendorName()).append(" via ").append(c.gateway().name()).append(" (")
                            .append(c.gateway().host()).append(':').append(c.gateway().port()).append('/')
                            .append(c.gateway().transport()).append(") buy ").append(rate(c.buyRate()))
                            .append(", margin ").append(c.margin().toPlainString()).append('\n');
                }
            }
            case NoRoute n -> {
                out.append("NO ROUTE ").append(n.reason()).append(": ").append(n.detail()).append('\n');
                if (n.sellRate() != null) {
                    out.append("sell ").append(rate(n.sellRate())).append('\n');
                }
            }
        }
        for (SkippedVendor s : result.skipped()) {
            out.append("skipped ").append(s.vendorName()).append(s.gatewayId() == null ? "" : " gateway " + s.gatewayId())
                    .append(": ").append(s.reason()).append(" - ").append(s.detail()).append('\n');
        }
        List<String> trace = result.trace();
        if (!trace.isEmpty()) {
            out.append("trace:\n");
            for (String line : trace) {
                out.append("  ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String rate(Rate rate) {
        return rate.prefix() + (rate.destination().isEmpty() ? "" : " " + rate.destination()) + " "
                + rate.ratePerMinute().toPlainString() + "/min connect " + rate.connectFee().toPlainString() + " "
                + rate.increments();
    }
}
