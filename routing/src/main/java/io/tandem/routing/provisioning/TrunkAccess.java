package io.tandem.routing.provisioning;

import java.util.List;

/**
 * How traffic is recognised as a trunk's (source CIDRs, digest users with HA1 only) and the
 * limits admission control applies to it and its customer account. The call engine builds its
 * identification table from these.
 *
 * @param accountActive         the customer account's status is {@code active}
 * @param accountMaxCps         cluster-wide CPS limit of the account, null = none
 * @param accountMaxConcurrent  cluster-wide concurrent-call limit of the account, null = none
 * @param digestMd5Allowed      false when the trunk accepts SHA-256 digest answers only (RFC 8760)
 * @param mediaMode             whether the trunk's calls are anchored on the RTP relay (docs/media.md)
 */
public record TrunkAccess(long trunkId, long accountId, String trunkName, boolean enabled, List<String> sourceCidrs,
                          List<DigestUser> digestUsers, String accountStatus, boolean accountActive, Integer accountMaxCps,
                          Integer accountMaxConcurrent, Integer trunkMaxCps, Integer trunkMaxConcurrent,
                          AssertedIdentity assertedIdentity, boolean digestMd5Allowed, MediaMode mediaMode) {

    public TrunkAccess {
        assertedIdentity = assertedIdentity == null ? AssertedIdentity.PASS : assertedIdentity;
        mediaMode = mediaMode == null ? MediaMode.RELAY : mediaMode;
    }

    /** A digest user of a trunk with its stored HA1 hashes (RFC 7616: MD5 and SHA-256). */
    public record DigestUser(String username, String realm, String ha1Md5, String ha1Sha256) {
    }
}
