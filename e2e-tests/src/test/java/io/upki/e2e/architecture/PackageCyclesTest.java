package io.upki.e2e.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * No package of any upki module imports a package that imports it back (STYLE.md; issue #20): each
 * package is its own slice, so {@code io.upki.ra.api} and {@code io.upki.ra.auth} may not lean on each
 * other, nor may a feature package and its parent.
 */
class PackageCyclesTest {
    private static final java.util.regex.Pattern TEST_JAR = java.util.regex.Pattern.compile(".*-tests\\.jar.*");

    /** Each package a slice of its own, subpackages included as separate slices. */
    private static final ArchRule NO_CYCLES = slices().matching("io.upki.(**)").should().beFreeOfCycles();

    /** Classes from a module's test-jar ({@code ca-server-tests.jar}, or its test-classes in the reactor). */
    private static final ImportOption NO_TEST_JARS = location -> !location.matches(TEST_JAR);

    @Test
    void noPackageOfAnyModuleImportsAPackageThatImportsItBack() {
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(NO_TEST_JARS)
                .importPackages("io.upki");
        // The services' test fixtures (test-jars, on this class path for the multi-service tests) share the
        // main code's package names but are not production code.
        assertThat(production.containPackage("io.upki.ca.testing")).as("a test-jar was imported").isFalse();
        // Every process and the shared library are on this class path: a missing module would pass vacuously.
        for (String pkg : new String[] {"io.upki.pki.trust", "io.upki.ca.issue", "io.upki.sidecar.decision",
                "io.upki.publisher.publish", "io.upki.acme.api", "io.upki.ra.api", "io.upki.cli"}) {
            assertThat(production.containPackage(pkg)).as(pkg).isTrue();
        }
        NO_CYCLES.check(production);
    }

    @Test
    void aCycleIsFound() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.upki.e2e.architecture.cycle");
        assertThatThrownBy(() -> NO_CYCLES.check(fixture)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("cycle.a").hasMessageContaining("cycle.b");
    }
}
