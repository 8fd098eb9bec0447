package io.tandem.softswitch.sip;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The message model and the transaction state machines stay plain Java, so they can be reused and tested alone. */
class SipArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.tandem.softswitch.sip");

    @Test
    void messageModelDependsOnNothingButTheJdk() {
        noClasses().that().resideInAPackage("..sip.message..")
            .should().dependOnClassesThat().resideOutsideOfPackages("..sip.message..", "java..")
            .check(classes);
    }

    @Test
    void transactionsDoNotTouchSocketsOrCodecs() {
        noClasses().that().resideInAPackage("..sip.transaction..")
            .should().dependOnClassesThat().resideInAnyPackage("..sip.transport..", "..sip.codec..", "io.netty.channel..")
            .check(classes);
    }

    @Test
    void noSpringOrDatabaseTypesInTheSipStack() {
        noClasses().that().resideInAPackage("io.tandem.softswitch.sip..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.jooq..", "com.vaadin..")
            .check(classes);
    }
}
