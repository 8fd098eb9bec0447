package io.tandem.console.registrations;

import io.tandem.routing.Trunk;
import io.tandem.routing.reload.RouteTableHolder;
import io.tandem.softswitch.registrar.Binding;
import io.tandem.softswitch.registrar.Registrar;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * The registered contacts this node knows (its own and its peers', docs/registrations.md) as the console
 * lists them: read from the registrar's table on its loop, never from the database. A node without SIP has
 * none.
 */
@Service
public class RegistrationsOverview {

    /**
     * One registered contact.
     *
     * @param trunk     the ingress trunk's name (its id when routing does not know it yet)
     * @param source    where it registered from ({@code ip:port}), where calls to it go
     * @param transport UDP, TCP or TLS
     * @param holder    the node that holds its flow
     */
    public record Registration(long trunkId, String trunk, String aor, String contact, String source, String transport,
                               Instant expiresAt, long secondsLeft, String holder) {
    }

    private final Supplier<CompletableFuture<List<Binding>>> bindings;
    private final LongFunction<String> trunkNames;
    private final Clock clock;

    @Autowired
    public RegistrationsOverview(ObjectProvider<Registrar> registrar, RouteTableHolder routes, Clock clock) {
        this(() -> {
            Registrar here = registrar.getIfAvailable();
            return here == null ? CompletableFuture.completedFuture(List.of()) : here.bindings();
        }, id -> routes.current().trunk(id).map(Trunk::name).orElse("trunk " + id), clock);
    }

    /** @param bindings the registrar's bindings (a test's own list) */
    public RegistrationsOverview(Supplier<CompletableFuture<List<Binding>>> bindings, LongFunction<String> trunkNames, Clock clock) {
        this.bindings = bindings;
        this.trunkNames = trunkNames;
        this.clock = clock;
    }

    /** Every registration that has not expired, the soonest to expire first. */
    public CompletableFuture<List<Registration>> current() {
        return bindings.get().thenApply(all -> {
            long now = clock.millis();
            return all.stream()
                    .filter(b -> b.expiresAtMillis() > now)
                    .sorted(Comparator.comparingLong(Binding::expiresAtMillis))
                    .map(b -> new Registration(b.trunkId(), trunkNames.apply(b.trunkId()), b.aor(), b.contact(),
                            address(b), b.transport(), Instant.ofEpochMilli(b.expiresAtMillis()), b.secondsLeft(now), b.node()))
                    .toList();
        });
    }

    private static String address(Binding binding) {
        String ip = binding.source().getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + binding.source().getPort();
    }
}
