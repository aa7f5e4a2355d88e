package io.tickshard.streams.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.typesafe.config.ConfigFactory;
import io.tickshard.streams.CborSerializable;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden bytes (docs/operations.md, "Rolling upgrades"): every kind of message that crosses nodes
 * or lands in the journal has its bytes, as an earlier build wrote them, committed under {@code
 * src/test/resources/golden}. This build must read each back as the same message, and read it with
 * a field it does not know added (a newer node's); a new kind without golden bytes fails the build
 * (its bytes are written, to be committed). So a change that would break a mixed cluster during a
 * rolling upgrade, or an old journal, fails here first.
 */
class WireFormatsTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final String UNKNOWN_FIELD = "addedByANewerVersion";

  private static ActorTestKit kit;
  private static Serialization serialization;
  private static Samples samples;

  /** Messages compared as JSON, an actor ref as its path without address or uid. */
  private static final ObjectMapper COMPARED =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .registerModule(new Jdk8Module())
          .registerModule(
              new SimpleModule()
                  .addSerializer(
                      new StdSerializer<ActorRef<?>>(ActorRef.class, false) {
                        @Override
                        public void serialize(
                            ActorRef<?> ref, JsonGenerator out, SerializerProvider provider)
                            throws IOException {
                          out.writeString(ref.path().toStringWithoutAddress());
                        }
                      }));

  @BeforeAll
  static void start() {
    kit =
        ActorTestKit.create(
            "golden",
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
    serialization = SerializationExtension.get(kit.system());
    ActorRef<Object> replyTo = kit.spawn(Behaviors.ignore(), "replyTo");
    samples = new Samples(type -> replyTo);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** The kinds: every public record that is {@link CborSerializable}. */
  static List<Class<?>> kinds() {
    List<Class<?>> kinds = new ArrayList<>();
    new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tickshard.streams")
            .stream()
            .filter(c -> c.isAssignableTo(CborSerializable.class))
            .filter(JavaClass::isRecord)
            // One that is not public is what an actor's own asks and timers send it (an adapted
            // answer, a retry): it never crosses a node. Messages between nodes are public.
            .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
            .forEach(c -> kinds.add(c.reflect()));
    kinds.sort(Comparator.comparing(Class::getName));
    return kinds;
  }

  @Test
  void the_kinds_are_found() {
    assertThat(kinds()).hasSizeGreaterThan(30);
  }

  @TestFactory
  Stream<DynamicTest> each_kind_reads_its_golden_bytes_as_the_same_message() {
    return kinds().stream()
        .map(
            kind ->
                DynamicTest.dynamicTest(
                    kind.getName(),
                    () -> {
                      Golden golden = golden(kind);
                      assertThat(compared(read(golden, golden.bytes())))
                          .isEqualTo(expected(kind, golden));
                    }));
  }

  /**
   * The sample as the golden bytes' writer knew the kind: a field added since (absent from the
   * bytes) must read as absent, null, which is what lets an old event or a message from an older
   * node be read at all; every field the bytes carry must read as the sample has it.
   */
  private static JsonNode expected(Class<?> kind, Golden golden) throws IOException {
    JsonNode sample = compared(samples.of(kind));
    return golden.jackson() ? asWritten(sample, new CBORMapper().readTree(golden.bytes())) : sample;
  }

  private static JsonNode asWritten(JsonNode sample, JsonNode written) {
    if (sample.isObject() && written != null && written.isObject()) {
      ObjectNode kept = ((ObjectNode) sample).objectNode();
      sample
          .fields()
          .forEachRemaining(
              field ->
                  kept.set(
                      field.getKey(),
                      written.has(field.getKey())
                          ? asWritten(field.getValue(), written.get(field.getKey()))
                          : NullNode.getInstance()));
      return kept;
    }
    if (sample.isArray()
        && written != null
        && written.isArray()
        && sample.size() == written.size()) {
      ArrayNode kept = ((ArrayNode) sample).arrayNode();
      for (int i = 0; i < sample.size(); i++) {
        kept.add(asWritten(sample.get(i), written.get(i)));
      }
      return kept;
    }
    return sample;
  }

  @TestFactory
  Stream<DynamicTest> each_kind_reads_its_golden_bytes_with_a_field_it_does_not_know() {
    CBORMapper cbor = new CBORMapper();
    return kinds().stream()
        .map(
            kind ->
                DynamicTest.dynamicTest(
                    kind.getName(),
                    () -> {
                      Golden golden = golden(kind);
                      if (!golden.jackson()) {
                        return; // the tick formats: TickSerializerTest refuses unknown fields
                      }
                      JsonNode tree = cbor.readTree(golden.bytes());
                      assertThat(tree.isObject()).as("%s is a CBOR map", kind).isTrue();
                      ((ObjectNode) tree).putObject(UNKNOWN_FIELD).put("since", "v2");
                      assertThat(compared(read(golden, cbor.writeValueAsBytes(tree))))
                          .isEqualTo(expected(kind, golden));
                    }));
  }

  /** {@code bytes} read as the serializer and manifest of {@code golden} say. */
  private static Object read(Golden golden, byte[] bytes) {
    return serialization.deserialize(bytes, golden.serializerId(), golden.manifest()).get();
  }

  private static JsonNode compared(Object message) {
    return COMPARED.valueToTree(message);
  }

  /** One kind's committed bytes, with the serializer and manifest they were written with. */
  record Golden(int serializerId, String manifest, byte[] bytes) {
    boolean jackson() {
      return !manifest.equals("tick") && !manifest.equals("ticks");
    }
  }

  private static Path file(Class<?> kind) {
    return GOLDEN.resolve(kind.getName() + ".bin");
  }

  /** The committed bytes; missing, they are written from the sample and the test fails. */
  private static Golden golden(Class<?> kind) throws IOException {
    Path file = file(kind);
    if (!Files.exists(file)) {
      write(kind, file);
      fail(
          "no golden bytes for %s: written to %s from its sample; check and commit them",
          kind.getName(), file);
    }
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      int id = in.readInt();
      String manifest = in.readUTF();
      return new Golden(id, manifest, in.readAllBytes());
    }
  }

  private static void write(Class<?> kind, Path file) throws IOException {
    Object sample = samples.of(kind);
    byte[] bytes = serialization.serialize(sample).get();
    var serializer = serialization.findSerializerFor(sample);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeInt(serializer.identifier());
      out.writeUTF(Serializers.manifestFor(serializer, sample));
      out.write(bytes);
    }
    Files.createDirectories(file.getParent());
    Files.write(file, buffer.toByteArray());
  }
}
