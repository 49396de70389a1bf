package io.tributary.runtime;

import io.tributary.config.ParseResult;
import io.tributary.config.PipelineParser;
import io.tributary.config.SecretResolver;
import io.tributary.config.spi.FactoryRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the job jar ({@code tributary-runtime-<version>-job.jar}) on a Flink 1.20 cluster:
 * {@code flink run tributary-runtime-job.jar --pipeline /path/pipeline.yaml}, or through the REST API with
 * {@code --pipeline-base64 <base64 of the YAML>} when the file is not on the JobManager's disk.
 *
 * <p>Discovery and sink preparation (schema registration, topic and table creation) run here, in the client part of
 * the submission, before the job graph is built. Checkpoint storage, state backend and restart strategy come from the
 * cluster's configuration. Secret references resolve against the client's environment.
 */
public final class JobMain {
  private JobMain() {}

  /**
   * @param args {@code --pipeline FILE} or {@code --pipeline-base64 TEXT}
   * @throws IllegalArgumentException if neither argument is given
   * @throws io.tributary.config.PipelineValidationException if the definition or discovery has problems
   */
  public static void main(String[] args) throws Exception {
    String file = null;
    String base64 = null;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--pipeline")) {
        file = args[i + 1];
      } else if (args[i].equals("--pipeline-base64")) {
        base64 = args[i + 1];
      }
    }
    FactoryRegistry factories = FactoryRegistry.load();
    PipelineParser parser = new PipelineParser(factories, SecretResolver.fromSystem());
    ParseResult parsed;
    if (file != null) {
      parsed = parser.parseWithWarnings(Path.of(file));
    } else if (base64 != null) {
      String yaml = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
      parsed = parser.parseWithWarnings(yaml);
    } else {
      throw new IllegalArgumentException("usage: --pipeline FILE | --pipeline-base64 TEXT");
    }
    PipelinePlan plan = PipelinePlanner.plan(parsed.definition(), factories);
    PipelinePlanner.prepareSinks(plan);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    JobComposer.compose(env, plan);
    env.execute("tributary-" + plan.definition().pipeline().name());
  }
}
