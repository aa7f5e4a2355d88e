package io.tickshard.streams.compat;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import io.tickshard.streams.StreamKey;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A sample of any message record, the same on every run: each component a fixed value of its type,
 * nested records and the first permitted kind of a sealed interface built the same way. What the
 * golden bytes are made from, and what they must read back as.
 */
final class Samples {
  static final Instant AT = Instant.parse("2026-12-07T09:15:00.123456789Z");

  private final Function<Type, ActorRef<?>> refs;

  /**
   * @param refs an actor ref of the given message type, from the serializing system
   */
  Samples(Function<Type, ActorRef<?>> refs) {
    this.refs = refs;
  }

  Object of(Class<?> type) {
    return of(type, type);
  }

  private Object of(Type generic, Class<?> type) {
    if (type == String.class) {
      return "golden";
    }
    if (type == int.class || type == Integer.class) {
      return 7;
    }
    if (type == long.class || type == Long.class) {
      return 42L;
    }
    if (type == double.class || type == Double.class) {
      return 1466.55;
    }
    if (type == float.class || type == Float.class) {
      return 1466.55f;
    }
    if (type == boolean.class || type == Boolean.class) {
      return true;
    }
    if (type == Instant.class) {
      return AT;
    }
    if (type == Duration.class) {
      return Duration.ofSeconds(30);
    }
    if (type == BigDecimal.class) {
      return new BigDecimal("1466.55");
    }
    if (type == StreamKey.class) {
      return StreamKey.of("golden", List.of("1333", "2885"));
    }
    if (type == Instrument.class) {
      return Instrument.of(ExchangeSegment.NSE_EQ, 1333);
    }
    if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    if (ActorRef.class.isAssignableFrom(type)) {
      return refs.apply(argument(generic, 0));
    }
    if (type == List.class) {
      Type element = argument(generic, 0);
      return List.of(of(element, raw(element)));
    }
    if (type == Set.class) {
      Type element = argument(generic, 0);
      return Set.of(of(element, raw(element)));
    }
    if (type == Map.class) {
      Type key = argument(generic, 0);
      Type value = argument(generic, 1);
      return Map.of(of(key, raw(key)), of(value, raw(value)));
    }
    if (type == Optional.class) {
      Type element = argument(generic, 0);
      return Optional.of(of(element, raw(element)));
    }
    if (type.isRecord()) {
      return record(type);
    }
    if (type.isSealed()) {
      return of(type.getPermittedSubclasses()[0]);
    }
    throw new IllegalArgumentException("no sample for " + generic.getTypeName());
  }

  private Object record(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      values[i] = of(components[i].getGenericType(), components[i].getType());
    }
    try {
      Constructor<?> canonical =
          type.getDeclaredConstructor(
              Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      canonical.setAccessible(true);
      return canonical.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build a sample " + type.getName(), e);
    }
  }

  private static Type argument(Type generic, int index) {
    if (generic instanceof ParameterizedType parameterized) {
      return parameterized.getActualTypeArguments()[index];
    }
    return Object.class;
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> plain) {
      return plain;
    }
    if (type instanceof ParameterizedType parameterized) {
      return (Class<?>) parameterized.getRawType();
    }
    return Object.class;
  }
}
