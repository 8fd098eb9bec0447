package io.tandem.routing;

/**
 * A vendor the profile lists but the call was not offered to, and why. {@code gatewayId} is set
 * when only one gateway was skipped; {@code buyRate} is set when the vendor had a rate.
 */
public record SkippedVendor(
        long vendorAccountId,
        String vendorName,
        Long gatewayId,
        long ruleId,
        SkipReason reason,
        String detail,
        Rate buyRate) {
}
