package io.tributary.config.spi;

import io.tributary.config.ConfigOption;
import java.util.Set;

/**
 * A source or sink type, found through {@link java.util.ServiceLoader} by its {@link #identifier()} (the YAML
 * {@code type}). The options it declares are what validation accepts: a required option missing, or a key that is
 * neither declared nor under a {@link #passThroughPrefixes() pass-through prefix}, is a problem.
 */
public interface Factory {
  /** The {@code type} value that selects this factory, lower case, for example {@code postgres}. */
  String identifier();

  /** Options that must be present (besides {@code type}). */
  Set<ConfigOption<?>> requiredOptions();

  /** Options that may be present. */
  Set<ConfigOption<?>> optionalOptions();

  /**
   * Key prefixes passed through unvalidated to the underlying client, for example {@code properties.} (Kafka
   * client) or {@code hoodie.} (Hudi). Empty by default.
   */
  default Set<String> passThroughPrefixes() {
    return Set.of();
  }
}
