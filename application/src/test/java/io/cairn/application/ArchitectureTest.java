package io.cairn.application;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** What Maven's module graph cannot guard: the core names no framework or technology. */
class ArchitectureTest {

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cairn.domain", "io.cairn.application");

    @Test
    void the_core_uses_no_framework_serializer_or_cloud_sdk() {
        noClasses().that().resideInAnyPackage("io.cairn.domain..", "io.cairn.application..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "com.google.inject..", "jakarta.inject..", "javax.inject..", "io.javalin..",
                        "com.fasterxml.jackson..", "software.amazon..", "com.amazonaws..", "org.postgresql..",
                        "com.zaxxer..", "org.flywaydb..", "org.slf4j..", "io.cairn.json..", "io.cairn.http..")
                .check(core);
    }

    @Test
    void the_domain_depends_on_nothing_but_the_jdk() {
        noClasses().that().resideInAPackage("io.cairn.domain..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.cairn.domain..", "java..")
                .check(core);
    }
}
