package io.tandem.routing.provisioning;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks provisioning input and says, per field, what is wrong in words an operator
 * understands. An empty map means valid. Field names are those of the REST API.
 */
public final class ProvisioningValidation {

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._@&()'/+-]{1,128}");
    private static final Pattern DIGITS = Pattern.compile("[0-9#*]{0,16}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,255}");
    private static final Pattern DIGEST_USER = Pattern.compile("[A-Za-z0-9._+-]{1,64}");
    private static final Set<String> STRATEGIES = Set.of("lcr", "priority", "weighted", "quality");

    private ProvisioningValidation() {
    }

    public static Map<String, String> trunk(IngressTrunkSpec spec) {
        Map<String, String> errors = new LinkedHashMap<>();
        name(errors, "name", spec.name());
        if (spec.sourceCidrs() == null || spec.sourceCidrs().isEmpty()) {
            if (spec.digestCredentials() == null || spec.digestCredentials().isEmpty()) {
                errors.put("sourceCidrs", "give at least one source CIDR (e.g. 192.0.2.10/32) or a digest user");
            }
        } else {
            for (int i = 0; i < spec.sourceCidrs().size(); i++) {
                String problem = cidrProblem(spec.sourceCidrs().get(i));
                if (problem != null) {
                    errors.put("sourceCidrs[" + i + "]", problem);
                }
            }
        }
        if (spec.techPrefix() != null && !DIGITS.matcher(spec.techPrefix()).matches()) {
            errors.put("techPrefix", "digits, # or * only, at most 16");
        }
        rules(errors, "calleeTranslations", spec.calleeTranslations());
        rules(errors, "callerTranslations", spec.callerTranslations());
        limit(errors, "maxCps", spec.maxCps());
        limit(errors, "maxConcurrentCalls", spec.maxConcurrentCalls());
        if (spec.digestCredentials() != null) {
            for (int i = 0; i < spec.digestCredentials().size(); i++) {
                var credential = spec.digestCredentials().get(i);
                if (credential.username() == null || !DIGEST_USER.matcher(credential.username()).matches()) {
                    errors.put("digestUsers[" + i + "].username", "1-64 letters, digits, . _ + -");
                }
                if (credential.password() == null || credential.password().length() < 8) {
                    errors.put("digestUsers[" + i + "].password", "at least 8 characters");
                }
            }
        }
        return errors;
    }

    public static Map<String, String> gateway(VendorGatewaySpec spec) {
        Map<String, String> errors = new LinkedHashMap<>();
        name(errors, "name", spec.name());
        if (spec.registeredTrunkId() != null) {
            // reached where the trunk registered from (UDP, the flow it registered on): host, DNS and transport do not apply
            if (spec.transport() != null && spec.transport() != SipTransport.UDP) {
                errors.put("transport", "udp: a registered contact is reached on the UDP flow it registered from");
            }
            if (spec.dnsLookup() != null && spec.dnsLookup() != DnsLookup.ADDRESS) {
                errors.put("dnsLookup", "address: a registered contact is not looked up in DNS");
            }
        } else if (spec.host() == null || !HOST.matcher(spec.host()).matches()) {
            errors.put("host", "an IP address or a DNS name");
        } else if (spec.dnsLookup() != null && spec.dnsLookup() != DnsLookup.ADDRESS && isIpAddress(spec.host())) {
            errors.put("dnsLookup", spec.dnsLookup().code() + " needs a domain name in host, not an IP address");
        }
        if (spec.port() < 1 || spec.port() > 65535) {
            errors.put("port", "between 1 and 65535");
        }
        if (spec.techPrefix() != null && !DIGITS.matcher(spec.techPrefix()).matches()) {
            errors.put("techPrefix", "digits, # or * only, at most 16");
        }
        if (spec.priority() < 0) {
            errors.put("priority", "zero or more (lower is tried first)");
        }
        if (spec.weight() < 0) {
            errors.put("weight", "zero or more");
        }
        limit(errors, "maxCps", spec.maxCps());
        limit(errors, "maxConcurrentCalls", spec.maxConcurrentCalls());
        if (spec.failoverCodes() != null) {
            for (Integer code : spec.failoverCodes()) {
                if (code == null || code < 300 || code > 699) {
                    errors.put("failoverCodes", "SIP final codes between 300 and 699, e.g. [408, 500, 503]");
                    break;
                }
            }
        }
        return errors;
    }

    public static Map<String, String> profile(RoutingProfileSpec spec) {
        Map<String, String> errors = new LinkedHashMap<>();
        name(errors, "name", spec.name());
        if (spec.strategy() == null || !STRATEGIES.contains(spec.strategy())) {
            errors.put("strategy", "one of lcr, priority, weighted, quality");
        }
        nonNegative(errors, "minMargin", spec.minMargin());
        if (spec.minMarginPercent() != null
                && (spec.minMarginPercent().signum() < 0 || spec.minMarginPercent().compareTo(BigDecimal.valueOf(100)) > 0)) {
            errors.put("minMarginPercent", "between 0 and 100");
        }
        if (spec.maxAttempts() < 1 || spec.maxAttempts() > 20) {
            errors.put("maxAttempts", "between 1 and 20");
        }
        return errors;
    }

    static void name(Map<String, String> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.put(field, "required");
        } else if (!NAME.matcher(value).matches()) {
            errors.put(field, "1-128 letters, digits, spaces and . _ @ & ( ) ' / + -");
        }
    }

    static void limit(Map<String, String> errors, String field, Integer value) {
        if (value != null && value < 0) {
            errors.put(field, "zero or more, or leave empty for no limit");
        }
    }

    static void nonNegative(Map<String, String> errors, String field, BigDecimal value) {
        if (value != null && value.signum() < 0) {
            errors.put(field, "zero or more");
        }
    }

    private static void rules(Map<String, String> errors, String field, List<TranslationRuleSpec> rules) {
        if (rules == null) {
            return;
        }
        for (int i = 0; i < rules.size(); i++) {
            TranslationRuleSpec rule = rules.get(i);
            if (rule == null || rule.match() == null || rule.match().isEmpty()) {
                errors.put(field + "[" + i + "].match", "a regular expression, e.g. ^00");
                continue;
            }
            try {
                Pattern.compile(rule.match());
            } catch (PatternSyntaxException e) {
                errors.put(field + "[" + i + "].match", "not a valid regular expression: " + e.getDescription());
            }
            if (rule.replace() == null) {
                errors.put(field + "[" + i + "].replace", "required (may be empty)");
            }
        }
    }

    /** Null if {@code cidr} is a valid IPv4/IPv6 address or CIDR, else what is wrong. */
    public static String cidrProblem(String cidr) {
        if (cidr == null || cidr.isBlank()) {
            return "empty";
        }
        String[] parts = cidr.trim().split("/", -1);
        if (parts.length > 2) {
            return "not a CIDR: " + cidr;
        }
        String address = parts[0];
        // Only literals: never let validation trigger a DNS lookup.
        boolean ipv4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = address.contains(":") && address.matches("[0-9a-fA-F:.]+");
        if (!ipv4 && !ipv6) {
            return "not an IP address: " + address;
        }
        if (ipv4) {
            for (String octet : address.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return "not an IP address: " + address;
                }
            }
        }
        int bits;
        try {
            bits = InetAddress.getByName(address).getAddress().length * 8;
        } catch (UnknownHostException e) {
            return "not an IP address: " + address;
        }
        if (parts.length == 2) {
            try {
                int prefix = Integer.parseInt(parts[1]);
                if (prefix < 0 || prefix > bits) {
                    return "prefix length must be 1-" + bits;
                }
                if (prefix == 0) {
                    // 0.0.0.0/0 or ::/0 would make every caller on the internet this trunk's customer.
                    return "/0 matches every address on the internet; list the customer's own addresses";
                }
            } catch (NumberFormatException e) {
                return "prefix length must be a number: " + parts[1];
            }
        }
        return null;
    }

    /**
     * The network a valid CIDR ({@link #cidrProblem} said nothing) names, written one way: host bits cleared,
     * the prefix length always given ({@code 192.0.2.10} and {@code 192.0.2.10/32} are the same network).
     */
    public static String canonicalCidr(String cidr) {
        String[] parts = cidr.trim().split("/", 2);
        try {
            byte[] address = InetAddress.getByName(parts[0]).getAddress();
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
            for (int bit = prefix; bit < address.length * 8; bit++) {
                address[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            return InetAddress.getByAddress(address).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a valid CIDR: " + cidr, e);
        }
    }

    /** An IPv4 literal, or an IPv6 one (the only hosts with a colon). */
    private static boolean isIpAddress(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }
}
