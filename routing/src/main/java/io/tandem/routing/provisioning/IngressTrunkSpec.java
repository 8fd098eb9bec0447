package io.tandem.routing.provisioning;

import java.util.List;

/**
 * The editable fields of an ingress trunk.
 *
 * @param digestCredentials digest users to set (replacing existing ones), or null to keep them;
 *                          passwords are turned into HA1 hashes and never stored
 * @param digestMd5         false: digest answers with MD5 are refused, SHA-256 only (RFC 8760)
 */
public record IngressTrunkSpec(
        long accountId,
        String name,
        List<String> sourceCidrs,
        String techPrefix,
        List<TranslationRuleSpec> calleeTranslations,
        List<TranslationRuleSpec> callerTranslations,
        Long routingProfileId,
        Long sellDeckId,
        MediaMode mediaMode,
        AssertedIdentity assertedIdentity,
        Integer maxCps,
        Integer maxConcurrentCalls,
        boolean enabled,
        List<DigestCredential> digestCredentials,
        boolean digestMd5) {

    /** A digest user and password as given by the operator. */
    public record DigestCredential(String username, String password) {
    }
}
