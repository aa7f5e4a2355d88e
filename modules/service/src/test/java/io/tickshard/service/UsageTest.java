package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code --help} names the environment the node reads: every variable the configuration maps
 * (conf/, each module's reference.conf), the same set as the Environment table of
 * docs/operations.md, each onto the setting {@link Usage} says.
 */
class UsageTest {
  private static final Path REPO = Path.of("..", "..");
  private static final Pattern OPTIONAL_VARIABLE = Pattern.compile("\\$\\{\\?([A-Z][A-Z0-9_]*)}");

  private static Set<String> named() {
    return Usage.VARIABLES.stream().map(Usage.Variable::name).collect(Collectors.toSet());
  }

  @Test
  void names_every_variable_the_configuration_reads() throws IOException {
    List<Path> files;
    try (Stream<Path> conf = Files.list(REPO.resolve("conf"));
        Stream<Path> modules = Files.walk(REPO.resolve("modules"))) {
      files =
          Stream.concat(
                  conf,
                  modules.filter(
                      p -> p.toString().contains("src" + java.io.File.separator + "main")))
              .filter(p -> p.toString().endsWith(".conf"))
              .toList();
    }
    assertThat(files).isNotEmpty();
    Set<String> read = new TreeSet<>();
    for (Path file : files) {
      Matcher matcher = OPTIONAL_VARIABLE.matcher(Files.readString(file));
      while (matcher.find()) {
        read.add(matcher.group(1));
      }
    }
    read.add("TICKSHARD_LOG_FORMAT"); // read by Main itself
    assertThat(named()).containsExactlyInAnyOrderElementsOf(read);
  }

  @Test
  void names_the_same_variables_as_the_environment_table_of_the_docs() throws IOException {
    String docs = Files.readString(REPO.resolve("docs").resolve("operations.md"));
    int start = docs.indexOf("\n## Environment");
    String table = docs.substring(start, docs.indexOf("\n## ", start + 1));
    Set<String> documented = new TreeSet<>();
    for (String row : table.split("\n")) {
      if (row.startsWith("| `")) {
        Matcher names = Pattern.compile("`([A-Z][A-Z0-9_]*)`").matcher(row.split("\\|")[1]);
        while (names.find()) {
          documented.add(names.group(1));
        }
      }
    }
    assertThat(named()).containsExactlyInAnyOrderElementsOf(documented);
  }

  @Test
  void each_variable_sets_the_setting_it_is_listed_with() {
    Map<String, Object> environment = new HashMap<>();
    for (Usage.Variable variable : Usage.VARIABLES) {
      environment.put(variable.name(), "probe-" + variable.name());
    }
    // The probes at the root stand in for the environment, which noSystem() leaves out.
    Config application =
        ConfigFactory.parseFile(REPO.resolve("conf").resolve("application.conf").toFile())
            .withFallback(ConfigFactory.parseMap(environment))
            .withFallback(ConfigFactory.defaultReference())
            .resolve(ConfigResolveOptions.noSystem());
    for (Usage.Variable variable : Usage.VARIABLES) {
      if (variable.path() != null) {
        assertThat(application.getString(variable.path()))
            .as(variable.name())
            .isEqualTo("probe-" + variable.name());
      }
    }
  }

  @Test
  void help_lists_each_variable_with_its_default_and_says_where_the_docs_are() {
    String help = Usage.help();
    for (Usage.Variable variable : Usage.VARIABLES) {
      assertThat(help)
          .containsPattern(
              "(?m)^  "
                  + Pattern.quote(variable.name())
                  + " +"
                  + Pattern.quote(variable.byDefault())
                  + " +"
                  + Pattern.quote(variable.meaning())
                  + "$");
    }
    assertThat(help).startsWith("tickshard: ").contains("docs/operations.md");
  }

  @Test
  void version_is_the_build_s_and_other_arguments_are_refused() {
    assertThat(answer("--version")).isEqualTo("0:tickshard " + Usage.version() + "\n:");
    assertThat(Usage.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(answer("-h")).startsWith("0:" + Usage.help());
    assertThat(answer("--help", "--port=1"))
        .isEqualTo("2::tickshard: unknown argument '--port=1' (try --help)\n");
  }

  /** "status:out:err" of {@link Usage#run}. */
  private static String answer(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Usage.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return status
        + ":"
        + out.toString(StandardCharsets.UTF_8)
        + ":"
        + err.toString(StandardCharsets.UTF_8);
  }
}
