package io.tandem.routing.provisioning;

import java.time.Instant;
import java.util.List;

/** A customer's ingress trunk as provisioned. */
public record IngressTrunk(
        long id,
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
        List<String> digestUsers,
        boolean digestMd5,
        Instant createdAt,
        Instant updatedAt) {
}
