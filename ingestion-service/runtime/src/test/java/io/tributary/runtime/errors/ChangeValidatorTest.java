package io.tributary.runtime.errors;

import static io.tributary.runtime.errors.ChangeCheckerTest.ORDERS;
import static io.tributary.runtime.errors.ChangeCheckerTest.SCHEMA;
import static io.tributary.runtime.errors.ChangeCheckerTest.SOURCE;
import static io.tributary.runtime.errors.ChangeCheckerTest.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.config.ErrorMode;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.InvalidValue;
import io.tributary.sink.kafka.KafkaOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The validator in a real (MiniCluster) Flink job, per error mode. */
class ChangeValidatorTest {
  private static final String BAD_REASON =
      "table shop.public.orders column amount (numeric(10,2)): NaN is not a decimal";

  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private AbstractAppender appender;

  @BeforeEach
  void captureWarnings() {
    CapturingReporter.reset();
    appender =
        new AbstractAppender("validator-capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            warnings.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
          }
        };
    appender.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    LoggerConfig lc = new LoggerConfig(ChangeValidator.class.getName(), Level.WARN, true);
    lc.addAppender(appender, Level.WARN, null);
    ctx.getConfiguration().addLogger(ChangeValidator.class.getName(), lc);
    ctx.updateLoggers();
  }

  @AfterEach
  void stopCapturing() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().removeLogger(ChangeValidator.class.getName());
    ctx.updateLoggers();
    appender.stop();
  }

  private static List<ChangeEvent> events() {
    Map<String, Object> bad = row(2);
    bad.put("amount", new InvalidValue(BAD_REASON, "NaN"));
    Map<String, Object> secret = row(3);
    secret.put("customer", "do-not-log-me");
    secret.put("qty", 7L); // wrong class
    return List.of(
        ChangeEvent.insert(ORDERS, row(1), SOURCE, 1L),
        ChangeEvent.insert(ORDERS, bad, SOURCE, 2L),
        ChangeEvent.update(ORDERS, row(3), secret, SOURCE, 3L),
        ChangeEvent.insert(ORDERS, row(4), SOURCE, 4L));
  }

  private static StreamExecutionEnvironment env() {
    Configuration conf = new Configuration();
    conf.setString("metrics.reporter.capture.factory.class", CapturingReporter.class.getName());
    conf.setString("restart-strategy.type", "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    env.getConfig().enableObjectReuse();
    return env;
  }

  private static SingleOutputStreamOperator<ChangeEvent> validate(
      StreamExecutionEnvironment env, ErrorMode mode, String dlqTopic) {
    DataStream<ChangeEvent> in =
        env.fromData(TypeInformation.of(ChangeEvent.class), events().toArray(new ChangeEvent[0]));
    return in.process(new ChangeValidator("shop-orders", List.of(SCHEMA), mode, dlqTopic),
        TypeInformation.of(ChangeEvent.class));
  }

  private static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
    List<T> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void skipDropsCountsAndLogsWithoutValues() throws Exception {
    StreamExecutionEnvironment env = env();
    CloseableIterator<ChangeEvent> passed = validate(env, ErrorMode.SKIP, null).collectAsync();
    env.execute("skip");

    assertThat(drain(passed)).extracting(e -> e.after().get("id")).containsExactly(1L, 4L);
    assertThat(CapturingReporter.count("tributary.validate.recordsSkipped")).isEqualTo(2);
    assertThat(CapturingReporter.count("tributary.validate.recordsDeadLettered")).isZero();
    assertThat(CapturingReporter.count("tributary.table.shop_public_orders.recordsSkipped"))
        .as("counters %s", CapturingReporter.keys()).isEqualTo(2);
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0))
        .isEqualTo("WARN Skipped a change (errors.mode skip): pipeline shop-orders, table shop.public.orders,"
            + " key {id=2}, op c, stage VALIDATE: column amount (after): " + BAD_REASON);
    assertThat(warnings.get(1)).contains("key {id=3}", "op u", "column qty (after)", "java.lang.Long")
        .doesNotContain("do-not-log-me", "eve");
  }

  @Test
  void dlqEmitsTheRawChangeWithHeadersToTheSideOutput() throws Exception {
    StreamExecutionEnvironment env = env();
    SingleOutputStreamOperator<ChangeEvent> validated = validate(env, ErrorMode.DLQ, "shop.dlq");
    CloseableIterator<ChangeEvent> passed = validated.collectAsync();
    CloseableIterator<KafkaOutput> dead = validated.getSideOutput(ChangeValidator.DEAD_LETTERS).collectAsync();
    env.execute("dlq");

    assertThat(drain(passed)).extracting(e -> e.after().get("id")).containsExactly(1L, 4L);
    List<KafkaOutput> letters = drain(dead);
    assertThat(letters).hasSize(2);
    KafkaOutput first = letters.get(0);
    assertThat(first.getTopic()).isEqualTo("shop.dlq");
    assertThat(new String(first.getKey(), StandardCharsets.UTF_8)).isEqualTo("shop.public.orders");
    assertThat(first.getHeaders())
        .containsEntry("tributary.pipeline", "shop-orders")
        .containsEntry("tributary.table", "shop.public.orders")
        .containsEntry("tributary.stage", "VALIDATE")
        .containsEntry("tributary.reason", "column amount (after): " + BAD_REASON);
    JsonNode json = new ObjectMapper().readTree(first.getValue());
    assertThat(json.get("op").asText()).isEqualTo("c");
    assertThat(json.get("after").get("amount").asText()).isEqualTo("NaN");
    assertThat(json.get("after").get("id").asLong()).isEqualTo(2L);
    assertThat(json.get("invalid_columns")).extracting(JsonNode::asText).containsExactly("amount");
    JsonNode second = new ObjectMapper().readTree(letters.get(1).getValue());
    assertThat(second.get("op").asText()).isEqualTo("u");
    assertThat(second.get("before").get("id").asLong()).isEqualTo(3L);
    assertThat(second.get("invalid_columns")).extracting(JsonNode::asText).containsExactly("qty");
    assertThat(CapturingReporter.count("tributary.validate.recordsDeadLettered")).isEqualTo(2);
    assertThat(CapturingReporter.count("tributary.validate.recordsSkipped")).isZero();
    assertThat(warnings).hasSize(2).allMatch(w -> w.startsWith("WARN Sent a change to the dead-letter topic shop.dlq"));
  }

  @Test
  void failStopsTheJobNamingTableColumnStageOpAndKey() {
    StreamExecutionEnvironment env = env();
    validate(env, ErrorMode.FAIL, null).collectAsync();
    assertThatThrownBy(() -> env.execute("fail"))
        .satisfies(t -> {
          Optional<ChangeValidationException> cause =
              ExceptionUtils.findThrowable(t, ChangeValidationException.class);
          assertThat(cause).isPresent();
          assertThat(cause.get().getMessage())
              .isEqualTo("Pipeline shop-orders, table shop.public.orders, stage VALIDATE, op c, key {id=2}: column"
                  + " amount (after): " + BAD_REASON + ". errors.mode is fail, so the job stops; correct the row in"
                  + " the source, or set errors.mode to skip or dlq to let such changes pass");
          assertThat(cause.get().violations()).extracting(Violation::column).containsExactly("amount");
        });
  }

  @Test
  void dlqNeedsATopic() {
    assertThatThrownBy(() -> new ChangeValidator("p", List.of(SCHEMA), ErrorMode.DLQ, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no dead-letter topic");
  }
}
