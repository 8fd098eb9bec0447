package io.tandem.billing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Billing's core (rating, authorization, settlement, CDRs, re-rating) is plain Java: SQL lives in
 * {@code persistence}, which implements the core's small interfaces, so the core never reaches
 * for jOOQ, the generated tables or the persistence classes themselves.
 */
class BillingCoreBoundariesTest {

    private static final String[] CORE = {
            "io.tandem.billing.rating..", "io.tandem.billing.authorization..", "io.tandem.billing.settlement..",
            "io.tandem.billing.cdr..", "io.tandem.billing.rerating..", "io.tandem.billing.invoicing..",
            "io.tandem.billing.reconciliation.."};

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tandem.billing");

    @Test
    void coreUsesNoSqlFramework() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "io.tandem.db..", "java.sql..",
                        "org.springframework..", "com.vaadin..")
                .check(classes);
    }

    @Test
    void coreDoesNotDependOnPersistence() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAPackage("io.tandem.billing.persistence..")
                .check(classes);
    }
}
