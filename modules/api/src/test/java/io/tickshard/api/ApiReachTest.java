package io.tickshard.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The API speaks to the streams through their protocols (the entity's, the registry's, the viewers'
 * topics) and their values: it never reaches a broker connection or a socket slot's insides, whose
 * messages are theirs alone.
 */
class ApiReachTest {
  private static final JavaClasses API =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.tickshard.api");

  @Test
  void the_api_does_not_reach_into_the_sockets_or_their_connections() {
    noClasses()
        .that()
        .resideInAPackage("io.tickshard.api..")
        .should()
        .dependOnClassesThat()
        .haveNameMatching(
            "io\\.tickshard\\.streams\\.(upstream\\.FeedConnection|upstream\\.FeedSocket"
                + "|sharing\\.UpstreamSocket|sharing\\.SocketRoutes|sharing\\.SocketTable"
                + "|entity\\.StreamRuntime|entity\\.SocketLease|registry\\.AccountSockets"
                + "|registry\\..*Placement)(\\$.*)?")
        .check(API);
  }
}
