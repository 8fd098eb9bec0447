package io.tandem.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Maven modules are the architecture: {@code console -> softswitch -> routing, billing -> db}.
 * Maven already refuses a dependency on a module that is not declared; these rules also keep
 * framework types out of the core and jOOQ inside persistence packages.
 */
class ModuleArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.tandem");
    }

    @Test
    void dbDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("io.tandem.db..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tandem.routing..", "io.tandem.billing..", "io.tandem.softswitch..", "io.tandem.console..")
                .check(classes);
    }

    @Test
    void routingAndBillingDoNotKnowEachOtherOrTheLayersAbove() {
        noClasses().that().resideInAPackage("io.tandem.routing..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tandem.billing..", "io.tandem.softswitch..", "io.tandem.console..")
                .check(classes);
        noClasses().that().resideInAPackage("io.tandem.billing..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tandem.routing..", "io.tandem.softswitch..", "io.tandem.console..")
                .check(classes);
    }

    @Test
    void softswitchDoesNotDependOnTheConsole() {
        noClasses().that().resideInAPackage("io.tandem.softswitch..")
                .should().dependOnClassesThat().resideInAPackage("io.tandem.console..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void coreModulesUseNoSpringOrVaadin() {
        noClasses().that().resideInAnyPackage("io.tandem.db..", "io.tandem.routing..", "io.tandem.billing..", "io.tandem.softswitch..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "com.vaadin..")
                .check(classes);
    }

    @Test
    void jooqStaysInPersistencePackages() {
        noClasses().that().resideInAnyPackage("io.tandem.routing..", "io.tandem.billing..", "io.tandem.softswitch..", "io.tandem.console..")
                .and().resideOutsideOfPackage("..persistence..")
                .and().doNotHaveSimpleName("PersistenceConfiguration")
                .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "io.tandem.db.jooq..")
                .check(classes);
    }
}
