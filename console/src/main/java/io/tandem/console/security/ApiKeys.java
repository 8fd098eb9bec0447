package io.tandem.console.security;

import io.tandem.console.security.persistence.ApiKeyRepository;
import io.tandem.console.security.persistence.ApiKeyRepository.StoredApiKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and checks API keys. A key is {@code tdm_<prefix>_<secret>}: the prefix finds the row,
 * the SHA-256 of the whole key is compared in constant time. The secret has 256 bits of
 * entropy, so a fast hash is enough (no password stretching needed) and only the hash is stored.
 * The key from {@code tandem.api.bootstrap-key}, if set, is accepted with the admin role.
 */
public class ApiKeys {

    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final ApiKeyRepository repository;
    private final Clock clock;
    private final byte[] bootstrapKeyHash;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<Long, Instant> lastTouched = new ConcurrentHashMap<>();

    public ApiKeys(ApiKeyRepository repository, Clock clock, String bootstrapKey) {
        this.repository = repository;
        this.clock = clock;
        this.bootstrapKeyHash = bootstrapKey == null || bootstrapKey.isBlank() ? null : sha256(bootstrapKey);
    }

    /** Who presented a valid key; {@code accountId} is the account a partner key is bound to, else null. */
    public record ApiPrincipal(String name, ApiRole role, Long keyId, Long accountId) {
    }

    /** A newly issued key: {@code secret} is shown once and never stored. */
    public record IssuedKey(StoredApiKey stored, String secret) {
    }

    public IssuedKey issue(String name, ApiRole role, String createdBy) {
        if (role == ApiRole.PARTNER) {
            throw new IllegalArgumentException("a partner key is issued for an account: use issuePartnerKey");
        }
        return issue(name, role, null, createdBy);
    }

    /** A key of the {@code partner} role bound to one account. */
    public IssuedKey issuePartnerKey(String name, long accountId, String createdBy) {
        return issue(name, ApiRole.PARTNER, accountId, createdBy);
    }

    private IssuedKey issue(String name, ApiRole role, Long accountId, String createdBy) {
        String prefix = randomText(8);
        String secret = "tdm_" + prefix + "_" + randomText(43);
        StoredApiKey stored = repository.insert(name, prefix, HexFormat.of().formatHex(sha256(secret)), role, accountId, createdBy,
                clock.instant());
        return new IssuedKey(stored, secret);
    }

    public Optional<ApiPrincipal> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 200) {
            return Optional.empty();
        }
        byte[] presentedHash = sha256(presented);
        if (bootstrapKeyHash != null && MessageDigest.isEqual(bootstrapKeyHash, presentedHash)) {
            return Optional.of(new ApiPrincipal("bootstrap-key", ApiRole.ADMIN, null, null));
        }
        String[] parts = presented.split("_", 3);
        if (parts.length != 3 || !parts[0].equals("tdm")) {
            return Optional.empty();
        }
        Optional<StoredApiKey> stored = repository.findActiveByPrefix(parts[1]);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        byte[] storedHash = HexFormat.of().parseHex(stored.get().hash());
        if (!MessageDigest.isEqual(storedHash, presentedHash)) {
            return Optional.empty();
        }
        touch(stored.get().id());
        return Optional.of(new ApiPrincipal(stored.get().name(), stored.get().role(), stored.get().id(), stored.get().accountId()));
    }

    public List<StoredApiKey> list() {
        return repository.list();
    }

    public boolean revoke(long id) {
        return repository.revoke(id, clock.instant());
    }

    public boolean anyStored() {
        return repository.count() > 0;
    }

    /** Records use at most once a minute per key, so authentication does not write on every request. */
    private void touch(long id) {
        Instant now = clock.instant();
        Instant previous = lastTouched.get(id);
        if (previous == null || previous.plus(TOUCH_INTERVAL).isBefore(now)) {
            lastTouched.put(id, now);
            repository.touch(id, now);
        }
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }
}
