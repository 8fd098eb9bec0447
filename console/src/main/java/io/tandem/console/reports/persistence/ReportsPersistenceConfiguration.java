package io.tandem.console.reports.persistence;

import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the report queries to Boot's jOOQ context. */
@Configuration(proxyBeanMethods = false)
public class ReportsPersistenceConfiguration {

    @Bean
    TrafficReportQueries trafficReportQueries(DSLContext dsl) {
        return new TrafficReportQueries(dsl);
    }
}
