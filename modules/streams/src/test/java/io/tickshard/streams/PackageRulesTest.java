package io.tickshard.streams;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The streams module's packages point one way (docs/architecture.md, "Packages"): the values at the
 * bottom, then what carries ticks, the broker's sockets, the registry that places keys on them, the
 * stream entities, and the node that wires them. A cycle fails the build.
 */
class PackageRulesTest {
  private static final String STREAMS = "io.tickshard.streams";

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(STREAMS);

  /** A slice per package of the module, the root package (its values) one of them. */
  private static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          String name = javaClass.getPackageName();
          if (name.equals(STREAMS)) {
            return SliceIdentifier.of("(values)");
          }
          if (!name.startsWith(STREAMS + ".")) {
            return SliceIdentifier.ignore();
          }
          return SliceIdentifier.of(name.substring(STREAMS.length() + 1).split("\\.")[0]);
        }

        @Override
        public String getDescription() {
          return "the packages of " + STREAMS;
        }
      };

  @Test
  void no_cycle_between_the_streams_packages() {
    slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void the_values_depend_on_no_other_package_of_the_module() {
    noClasses()
        .that()
        .resideInAPackage(STREAMS)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(STREAMS + ".*..")
        .check(MAIN);
  }

  @Test
  void nothing_but_the_node_that_wires_them_knows_the_node() {
    noClasses()
        .that()
        .resideOutsideOfPackage(STREAMS + ".node..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(STREAMS + ".node..")
        .check(MAIN);
  }

  @Test
  void the_broker_sockets_know_neither_the_registry_nor_the_stream_entities() {
    noClasses()
        .that()
        .resideInAnyPackage(STREAMS + ".sharing..", STREAMS + ".upstream..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(STREAMS + ".registry..", STREAMS + ".entity..")
        .check(MAIN);
  }
}
