package io.tandem.console.routing;


/** A routing profile as the REST API and the console send it; money and percentages as decimal strings. */
public record ProfileRequest(String name, String strategy, String minMargin, String minMarginPercent, Boolean allowLoss, Integer maxAttempts) {

    /** The profile as a request would state it: what a {@code PUT} body or an edit starts from. */
    public static ProfileRequest of(ProfileView p) {
        return new ProfileRequest(p.name(), p.strategy(), p.minMargin(), p.minMarginPercent(), p.allowLoss(), p.maxAttempts());
    }

}
