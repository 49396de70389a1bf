package io.tributary.config.spi;

import io.tributary.config.PipelineDefinition;
import io.tributary.config.SinkDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The source and sink factories known to a parser or a runtime, by {@link Factory#identifier() identifier}.
 *
 * <p>{@link #load()} finds them with {@link ServiceLoader} ({@code META-INF/services/io.tributary.config.spi.SourceFactory}
 * and {@code ...SinkFactory}); {@link #of} builds a registry from explicit lists, for tests and embedders. Lookups
 * are by exact identifier. Immutable and thread-safe.
 */
public final class FactoryRegistry {
  private final Map<String, SourceFactory> sources;
  private final Map<String, SinkFactory> sinks;

  private FactoryRegistry(Collection<? extends SourceFactory> sources, Collection<? extends SinkFactory> sinks) {
    this.sources = index(sources, "source");
    this.sinks = index(sinks, "sink");
  }

  /**
   * Discovers every factory on the classpath of the current thread's context class loader (or, when that is null,
   * the loader of this class).
   *
   * @throws IllegalStateException if two factories of the same kind share an identifier, or a listed provider
   *     cannot be instantiated
   */
  public static FactoryRegistry load() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return load(cl != null ? cl : FactoryRegistry.class.getClassLoader());
  }

  /**
   * Discovers every factory visible to {@code classLoader} through {@link ServiceLoader}.
   *
   * @throws IllegalStateException if two factories of the same kind share an identifier, or a listed provider
   *     cannot be instantiated
   */
  public static FactoryRegistry load(ClassLoader classLoader) {
    try {
      List<SourceFactory> sources = new ArrayList<>();
      ServiceLoader.load(SourceFactory.class, classLoader).forEach(sources::add);
      List<SinkFactory> sinks = new ArrayList<>();
      ServiceLoader.load(SinkFactory.class, classLoader).forEach(sinks::add);
      return new FactoryRegistry(sources, sinks);
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("Cannot load source/sink factories: " + e.getMessage(), e);
    }
  }

  /**
   * A registry of exactly these factories.
   *
   * @throws IllegalStateException if two factories of the same kind share an identifier
   */
  public static FactoryRegistry of(
      Collection<? extends SourceFactory> sources, Collection<? extends SinkFactory> sinks) {
    return new FactoryRegistry(sources, sinks);
  }

  /** The source factory with this identifier, or empty. */
  public Optional<SourceFactory> source(String identifier) {
    return Optional.ofNullable(sources.get(identifier));
  }

  /** The sink factory with this identifier, or empty. */
  public Optional<SinkFactory> sink(String identifier) {
    return Optional.ofNullable(sinks.get(identifier));
  }

  /**
   * The source factory with this identifier.
   *
   * @throws IllegalArgumentException naming the known source types when there is none
   */
  public SourceFactory requireSource(String identifier) {
    return source(identifier)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown source type '" + identifier + "'; known types: " + known(sourceIdentifiers())));
  }

  /**
   * The sink factory with this identifier.
   *
   * @throws IllegalArgumentException naming the known sink types when there is none
   */
  public SinkFactory requireSink(String identifier) {
    return sink(identifier)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown sink type '" + identifier + "'; known types: " + known(sinkIdentifiers())));
  }

  /** Identifiers of all source factories, sorted. */
  public List<String> sourceIdentifiers() {
    return List.copyOf(sources.keySet());
  }

  /** Identifiers of all sink factories, sorted. */
  public List<String> sinkIdentifiers() {
    return List.copyOf(sinks.keySet());
  }

  /** All source factories, sorted by identifier. */
  public List<SourceFactory> sourceFactories() {
    return List.copyOf(sources.values());
  }

  /** All sink factories, sorted by identifier. */
  public List<SinkFactory> sinkFactories() {
    return List.copyOf(sinks.values());
  }

  /**
   * Creates the source of a validated pipeline definition (does not connect anywhere).
   *
   * @throws IllegalArgumentException if the source type is unknown, or the factory rejects an option value
   */
  public PipelineSource createSource(PipelineDefinition definition) {
    return requireSource(definition.source().type())
        .createSource(new SourceContext(definition, definition.source().options()));
  }

  /**
   * Creates every sink of a validated pipeline definition, in list order (does not connect anywhere).
   *
   * @throws IllegalArgumentException if a sink type is unknown, or a factory rejects an option value
   */
  public List<PipelineSink> createSinks(PipelineDefinition definition) {
    List<PipelineSink> out = new ArrayList<>();
    for (SinkDefinition sink : definition.sinks()) {
      out.add(requireSink(sink.type()).createSink(new SinkContext(definition, sink.index(), sink.options())));
    }
    return Collections.unmodifiableList(out);
  }

  /** Known identifiers for messages: comma-separated, or {@code (none registered)}. */
  static String known(List<String> identifiers) {
    return identifiers.isEmpty() ? "(none registered)" : String.join(", ", identifiers);
  }

  private static <F extends Factory> Map<String, F> index(Collection<? extends F> factories, String kind) {
    Map<String, F> byId = new TreeMap<>();
    for (F f : factories) {
      F previous = byId.putIfAbsent(f.identifier(), f);
      if (previous != null) {
        throw new IllegalStateException(
            "Two "
                + kind
                + " factories have the identifier '"
                + f.identifier()
                + "': "
                + previous.getClass().getName()
                + " and "
                + f.getClass().getName()
                + "; remove one of them from the classpath");
      }
    }
    return Collections.unmodifiableMap(byId);
  }
}
