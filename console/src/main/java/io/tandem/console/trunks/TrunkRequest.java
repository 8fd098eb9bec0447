package io.tandem.console.trunks;

import io.tandem.routing.provisioning.IngressTrunk;
import io.tandem.routing.provisioning.IngressTrunkSpec;
import io.tandem.routing.provisioning.TranslationRuleSpec;
import java.util.List;

/**
 * An ingress trunk as the REST API and the console send it. {@code digestUsers} null keeps the
 * trunk's digest users; a list replaces them (passwords become HA1 hashes and are never kept).
 */
public record TrunkRequest(Long accountId, String name, List<String> sourceCidrs, String techPrefix,
                           List<TranslationRuleSpec> calleeTranslations, List<TranslationRuleSpec> callerTranslations,
                           Long routingProfileId, Long sellDeckId, String mediaMode, Integer maxCps, Integer maxConcurrentCalls,
                           Boolean enabled, List<IngressTrunkSpec.DigestCredential> digestUsers, String assertedIdentity,
                           Boolean digestMd5) {

    /** The trunk as a request would state it, digest users left out (kept): what an edit starts from. */
    public static TrunkRequest of(IngressTrunk t) {
        return new TrunkRequest(t.accountId(), t.name(), t.sourceCidrs(), t.techPrefix(), t.calleeTranslations(), t.callerTranslations(),
                t.routingProfileId(), t.sellDeckId(), t.mediaMode().code(), t.maxCps(), t.maxConcurrentCalls(), t.enabled(), null,
                t.assertedIdentity().code(), t.digestMd5());
    }
}
