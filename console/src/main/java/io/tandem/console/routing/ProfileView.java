package io.tandem.console.routing;

import io.tandem.billing.account.Money;
import io.tandem.routing.provisioning.ProvisionedRoutingProfile;
import java.time.Instant;

/** A routing profile as the API answers it and the console shows it. */
public record ProfileView(long id, String name, String strategy, String minMargin, String minMarginPercent, boolean allowLoss,
                          int maxAttempts, Instant createdAt, Instant updatedAt) {

    public static ProfileView of(ProvisionedRoutingProfile p) {
        return new ProfileView(p.id(), p.name(), p.strategy(), Money.format(p.minMargin()),
                p.minMarginPercent().stripTrailingZeros().toPlainString(), p.allowLoss(), p.maxAttempts(), p.createdAt(), p.updatedAt());
    }
}
