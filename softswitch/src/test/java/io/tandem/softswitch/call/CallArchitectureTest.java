package io.tandem.softswitch.call;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.tandem.billing.authorization.BalanceAuthorizer;
import io.tandem.softswitch.sip.SipStack;
import org.junit.jupiter.api.Test;

/**
 * The call reaches billing and the SIP transport only through its ports ({@code CallAuthorizer},
 * {@code SipEndpoint}), so its logic runs in {@link CallTest} without a database or sockets.
 */
class CallArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tandem.softswitch.call");

    @Test
    void theCallReachesBillingAndTheStackOnlyThroughPorts() {
        noClasses().that().resideInAPackage("io.tandem.softswitch.call..")
                .should().dependOnClassesThat().belongToAnyOf(BalanceAuthorizer.class, SipStack.class)
                .check(classes);
    }

    @Test
    void theCallTouchesNoSocketsNorDatabase() {
        noClasses().that().resideInAPackage("io.tandem.softswitch.call..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "..sip.transport.internal..", "org.jooq..",
                        "io.tandem.billing.persistence..", "io.tandem.routing.persistence..", "java.sql..")
                .check(classes);
    }
}
