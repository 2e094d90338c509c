package io.cairn.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The engine knows no domain: nothing of Cairn's own but the reference domains themselves (and the benchmarks,
 * which drive them as a user's service would) may name the accounts or inventory domain. A capability that only
 * works because the engine knows accounts would fail here.
 */
class DomainIsolationTest {

    private final JavaClasses engine = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cairn");

    @Test
    void no_engine_class_imports_a_reference_domain() {
        noClasses().that().resideInAPackage("io.cairn..")
                .and().resideOutsideOfPackages("io.cairn.accounts..", "io.cairn.inventory..", "io.cairn.bench..",
                        "io.cairn.testkit..")
                .should().dependOnClassesThat().resideInAnyPackage("io.cairn.accounts..", "io.cairn.inventory..")
                .check(engine);
    }
}
