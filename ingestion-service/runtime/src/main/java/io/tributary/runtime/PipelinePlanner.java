package io.tributary.runtime;

import io.tributary.config.PipelineDefinition;
import io.tributary.config.PipelineValidationException;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.config.spi.PipelineSink;
import io.tributary.config.spi.PipelineSource;
import io.tributary.config.spi.SourceDiscovery;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a validated definition into a {@link PipelinePlan} on the client: creates the source and sinks through
 * their factories and lets the source discover its tables. Nothing is written anywhere yet.
 */
public final class PipelinePlanner {
  private static final Logger LOG = LoggerFactory.getLogger(PipelinePlanner.class);

  private PipelinePlanner() {}

  /**
   * Creates source and sinks and runs the source's discovery.
   *
   * @throws PipelineValidationException if discovery finds problems (no table matched, unmapped column types,
   *     tables without primary key, ...), all of them at once
   * @throws Exception if the source cannot be reached (message names host, port, user)
   */
  public static PipelinePlan plan(PipelineDefinition def, FactoryRegistry factories) throws Exception {
    PipelineSource source = factories.createSource(def);
    List<PipelineSink> sinks = factories.createSinks(def);
    SourceDiscovery discovery = source.discover();
    for (String w : discovery.warnings()) {
      LOG.warn("{}", w);
    }
    if (!discovery.problems().isEmpty()) {
      throw new PipelineValidationException(def.file(), discovery.problems());
    }
    return new PipelinePlan(def, source, sinks, discovery);
  }

  /**
   * Runs every sink's {@link PipelineSink#prepare} once (registers schemas, creates topics, initializes tables).
   *
   * @throws Exception from the first sink that fails, with its message
   */
  public static void prepareSinks(PipelinePlan plan) throws Exception {
    for (PipelineSink sink : plan.sinks()) {
      sink.prepare(plan.tables());
    }
  }
}
