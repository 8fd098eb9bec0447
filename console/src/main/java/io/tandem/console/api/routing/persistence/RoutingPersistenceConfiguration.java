package io.tandem.console.api.routing.persistence;

import io.tandem.console.node.TandemProperties;
import io.tandem.routing.deck.DeckParser;
import io.tandem.routing.persistence.DeckImportRepository;
import io.tandem.routing.persistence.RateDeckRepository;
import io.tandem.routing.persistence.RouteTableLoader;
import io.tandem.routing.persistence.BlockedDestinationRepository;
import io.tandem.routing.persistence.RoutingRuleRepository;
import io.tandem.routing.reload.RouteTableHolder;
import java.time.Clock;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the routing module's repositories and the node's {@link RouteTableHolder} (first table
 * loaded at start, then the config version polled every second) to Boot's jOOQ context.
 */
@Configuration(proxyBeanMethods = false)
public class RoutingPersistenceConfiguration {

    @Bean
    RateDeckRepository rateDeckRepository(DSLContext dsl, Clock clock) {
        return new RateDeckRepository(dsl, clock);
    }

    @Bean
    DeckImportRepository deckImportRepository(DSLContext dsl, Clock clock, TandemProperties properties) {
        return new DeckImportRepository(dsl, clock, new DeckParser(DeckParser.DEFAULT_MAX_RATE, properties.decks().limits()));
    }

    @Bean
    RoutingRuleRepository routingRuleRepository(DSLContext dsl, Clock clock) {
        return new RoutingRuleRepository(dsl, clock);
    }

    @Bean
    BlockedDestinationRepository blockedDestinationRepository(DSLContext dsl, Clock clock) {
        return new BlockedDestinationRepository(dsl, clock);
    }

    @Bean(destroyMethod = "close")
    RouteTableHolder routeTableHolder(DSLContext dsl, Clock clock) {
        return new RouteTableHolder(new RouteTableLoader(dsl, clock)).start();
    }
}
