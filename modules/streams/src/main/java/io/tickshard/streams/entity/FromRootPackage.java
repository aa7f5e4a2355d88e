package io.tickshard.streams.entity;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Reads what the journal holds from before the stream entity moved from {@code
 * io.tickshard.streams} to this package: its events and snapshots were written under the old class
 * names ({@code io.tickshard.streams.StreamEntity$StreamStarted}, …), and this names the class they
 * are now. Their fields did not change. Configured for each old name in tickshard-streams.conf.
 */
public final class FromRootPackage extends JacksonMigration {
  /** The package the persisted classes were written from. */
  public static final String OLD_PACKAGE = "io.tickshard.streams.";

  /** Above the version of what was written (1, no suffix), so that the old names are renamed. */
  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    return className.startsWith(OLD_PACKAGE + "StreamEntity$")
        ? StreamEntity.class.getPackageName() + "." + className.substring(OLD_PACKAGE.length())
        : className;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }

  /** The name a persisted class of the entity was written under before the move. */
  public static String oldName(Class<?> persisted) {
    return OLD_PACKAGE + persisted.getName().substring(persisted.getPackageName().length() + 1);
  }
}
