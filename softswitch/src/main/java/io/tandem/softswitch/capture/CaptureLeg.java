package io.tandem.softswitch.capture;

/**
 * One leg of a captured call: the customer's dialog ({@code attempt} 0) or the B-leg of a vendor attempt.
 *
 * @param gatewayId the vendor gateway of an attempt, 0 for the customer leg
 */
public record CaptureLeg(String sipCallId, int attempt, long gatewayId) {

    public boolean customer() {
        return attempt == 0;
    }
}
