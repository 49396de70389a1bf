package io.tributary.sink.hudi;

import static io.tributary.sink.hudi.TestData.delete;
import static io.tributary.sink.hudi.TestData.insert;
import static io.tributary.sink.hudi.TestData.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.config.Options;
import io.tributary.config.spi.SinkContext;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.SourceInfo;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import io.tributary.spark.HudiSparkReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.RichSourceFunction;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.table.timeline.HoodieTimeline;
import org.apache.hudi.hadoop.fs.HadoopFSUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Hudi sink in a real Flink job (MiniCluster, checkpoints every second, bounded restarts): one stream of change
 * events of two tables written by a COPY_ON_WRITE sink and a MERGE_ON_READ sink (partitioned by {@code region},
 * compacting every 2 delta commits). Each checkpoint mixes new keys with updates and deletes of existing keys and
 * late changes that must lose; the job fails once mid-stream and recovers. Every table is then read back by Spark in
 * a child JVM and compared row by row with the expected final state.
 */
class HudiSinkITCase {
  private static final TableId ITEMS = new TableId("shop", "public", "items");
  private static final TableSchema ITEMS_SCHEMA =
      new TableSchema(
          ITEMS,
          List.of(
              Column.of("sku", ColumnKind.STRING, false, "text"),
              Column.of("shelf", ColumnKind.INT32, false, "int4"),
              Column.of("label", ColumnKind.STRING, true, "text")),
          List.of("sku", "shelf"));

  /** The ordering of the event before which the job fails once (in batch 3). */
  private static final long FAIL_AT = 305;

  private static Path dir;

  @BeforeAll
  static void createDir() throws Exception {
    dir = Files.createTempDirectory("hudi-sink-it-");
  }

  @AfterAll
  static void removeDir() {
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void writesExactlyOnceThroughAFailureOnBothTableTypes() throws Exception {
    List<List<ChangeEvent>> batches = batches();
    TestData.Model orders = new TestData.Model();
    Map<String, Map<String, Object>> items = new TreeMap<>();
    for (List<ChangeEvent> b : batches) {
      for (ChangeEvent e : b) {
        if (e.tableId().equals(TestData.ORDERS)) {
          orders.apply(e);
        } else {
          applyItem(items, e);
        }
      }
    }

    HudiPipelineSink cow = sink(0, Map.of("path", dir.resolve("cow").toUri() + "/${table}", "table.type", "copy-on-write"));
    HudiPipelineSink mor = sink(1, Map.of("path", dir.resolve("mor").toUri() + "/${schema}_${table}",
        "table.type", "merge-on-read", "partition.path", "region", "compaction.delta.commits", "2",
        "table.name", "${table}_mor"));
    List<TableSchema> tables = List.of(TestData.SCHEMA, ITEMS_SCHEMA);
    cow.prepare(tables);
    mor.prepare(tables);

    Configuration conf = new Configuration();
    conf.setString("restart-strategy.type", "fixed-delay");
    conf.setString("restart-strategy.fixed-delay.attempts", "2");
    conf.setString("restart-strategy.fixed-delay.delay", "500ms");
    conf.setString("execution.checkpointing.interval", "1s");
    conf.setString("metrics.reporter.capture.factory.class", CapturingReporterFactory.class.getName());
    conf.setString("rest.bind-address", "127.0.0.1");
    conf.setString("taskmanager.host", "127.0.0.1");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
    DataStream<ChangeEvent> events =
        env.addSource(new BatchSource(batches), "batches", TypeInformation.of(ChangeEvent.class))
            .setParallelism(1)
            .map(new FailOnce())
            .returns(TypeInformation.of(ChangeEvent.class))
            .setParallelism(2);
    cow.attach(events, tables);
    mor.attach(events, tables);

    long start = System.nanoTime();
    JobExecutionResult result = env.execute("hudi-sink-it");
    long jobMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(FailOnce.failed).as("the job failed once and recovered").isTrue();

    Path cowOrders = dir.resolve("cow").resolve("orders");
    Path cowItems = dir.resolve("cow").resolve("items");
    Path morOrders = dir.resolve("mor").resolve("public_orders");
    Path morItems = dir.resolve("mor").resolve("public_items");
    for (Path p : List.of(cowOrders, cowItems, morOrders, morItems)) {
      assertCleanTimeline(p);
    }
    assertThat(completed(morOrders)).as("MOR orders compacted").anyMatch(i -> i.getAction().equals("commit"));

    long readStart = System.nanoTime();
    Map<Path, List<Map<String, Object>>> read =
        HudiSparkReader.readAll(List.of(cowOrders, cowItems, morOrders, morItems), Map.of());
    long readMs = (System.nanoTime() - readStart) / 1_000_000;
    List<Map<String, Object>> expectedItems = new ArrayList<>(items.values());
    assertThat(read.get(cowOrders)).as("COW orders").containsExactlyElementsOf(orders.rows());
    assertThat(read.get(morOrders)).as("MOR orders").containsExactlyElementsOf(orders.rows());
    assertThat(read.get(cowItems)).as("COW items").containsExactlyElementsOf(expectedItems);
    assertThat(read.get(morItems)).as("MOR items").containsExactlyElementsOf(expectedItems);
    assertThat(orders.rows()).hasSizeGreaterThan(20);

    assertThat(CapturingReporterFactory.counters.keySet())
        .anyMatch(k -> k.endsWith("tributary.sink.hudi-0.recordsWritten"))
        .anyMatch(k -> k.endsWith("tributary.sink.hudi-1.recordsWritten"));
    long written = CapturingReporterFactory.counters.entrySet().stream()
        .filter(en -> en.getKey().endsWith("tributary.sink.hudi-1.recordsWritten"))
        .mapToLong(en -> en.getValue().getCount()).sum();
    assertThat(written).as("rows committed by the MOR sink after the restart").isPositive();
    System.err.printf("HudiSinkITCase: job %d ms (%d batches, one restart), Spark read of 4 tables %d ms, net runtime %d ms%n",
        jobMs, batches.size(), readMs, result.getNetRuntime());
  }

  /**
   * Six batches, one per checkpoint. Orders: inserts; then updates and deletes of existing keys mixed with new keys,
   * late changes (lower ordering) that must lose, out-of-order updates within a batch, an insert deleted in the same
   * batch, a row moving to another partition; then a late change of a deleted key (must not resurrect it). Items
   * (composite key) get inserts, updates and deletes too. The job fails in batch 3, before ordering {@link #FAIL_AT}.
   */
  static List<List<ChangeEvent>> batches() {
    List<List<ChangeEvent>> b = new ArrayList<>();
    List<ChangeEvent> b1 = IntStream.rangeClosed(1, 20).mapToObj(i -> insert(i, 1, 100 + i)).collect(Collectors.toList());
    b1.add(item("a", 1, "first", 121, false));
    b1.add(item("a", 2, "second", 122, false));
    b1.add(item("b", 1, "third", 123, false));
    b.add(b1);
    b.add(List.of(update(1, 2, 201), delete(2, 202), insert(21, 1, 203), update(3, 9, 50), update(4, 3, 205),
        update(4, 2, 204), insert(22, 1, 206), delete(22, 207), moved(6, 2, 208), item("a", 1, "first-v2", 209, false),
        item("b", 1, null, 210, true)));
    List<ChangeEvent> b3 = new ArrayList<>();
    IntStream.rangeClosed(23, 27).forEach(i -> b3.add(insert(i, 1, 300 + i - 23)));
    b3.add(update(5, 2, FAIL_AT));
    b3.add(delete(7, 306));
    b3.add(update(8, 2, 307));
    b3.add(delete(1, 150)); // late: key 1 was updated at 201
    b.add(b3);
    b.add(List.of(update(2, 5, 180), delete(9, 401), update(10, 2, 402), insert(28, 1, 403),
        item("b", 1, "back", 404, false)));
    b.add(List.of(update(9, 3, 350), update(11, 2, 501), delete(12, 502), insert(29, 1, 503)));
    b.add(IntStream.rangeClosed(30, 34).mapToObj(i -> insert(i, 1, 600 + i)).collect(Collectors.toList()));
    return b;
  }

  /** An update of {@code id} that also moves the row to the other {@code region} partition. */
  private static ChangeEvent moved(int id, int version, long ordering) {
    Map<String, Object> after = new LinkedHashMap<>(TestData.image(id, version));
    after.put("region", "moved");
    return ChangeEvent.update(TestData.ORDERS, null, after, TestData.source(ordering), 1_000 + ordering);
  }

  private static ChangeEvent item(String sku, int shelf, String label, long ordering, boolean delete) {
    SourceInfo s = SourceInfo.builder().connector("postgresql").table(ITEMS).ordering(ordering).build();
    Map<String, Object> image = new LinkedHashMap<>();
    image.put("sku", sku);
    image.put("shelf", shelf);
    image.put("label", label);
    return delete ? ChangeEvent.delete(ITEMS, Map.of("sku", sku, "shelf", shelf), s, 2_000 + ordering)
        : ChangeEvent.insert(ITEMS, image, s, 2_000 + ordering);
  }

  /** Items have no late events: the latest change per key wins, deletes remove it. Keys sort as Hudi renders them. */
  private static void applyItem(Map<String, Map<String, Object>> items, ChangeEvent e) {
    Map<String, Object> k = e.keyImage();
    String key = "sku:" + k.get("sku") + ",shelf:" + k.get("shelf");
    if (e.op() == io.tributary.schema.Op.DELETE) {
      items.remove(key);
      return;
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("sku", e.after().get("sku"));
    row.put("shelf", ((Integer) e.after().get("shelf")).longValue());
    row.put("label", e.after().get("label"));
    row.put(HudiRows.OP_FIELD, e.op().code());
    row.put(HudiRows.TS_MS_FIELD, e.tsMs());
    row.put(HudiRows.ORDERING_FIELD, e.source().ordering());
    items.put(key, row);
  }

  private static HudiPipelineSink sink(int index, Map<String, String> options) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("type", "hudi");
    m.putAll(options);
    return (HudiPipelineSink) new HudiSinkFactory().createSink(
        new SinkContext(HudiSinkFactoryTest.pipeline(), index, Options.of("sinks[" + index + "]", m)));
  }

  private static List<HoodieInstant> completed(Path table) {
    HoodieTableMetaClient meta = HoodieTableMetaClient.builder().setConf(HadoopFSUtils.getStorageConf())
        .setBasePath(table.toUri().toString()).build();
    return meta.getActiveTimeline().filterCompletedInstants().getInstants();
  }

  /**
   * No instant left pending, and every data commit carries a distinct, increasing checkpoint id: no checkpoint's
   * data was committed twice.
   */
  private static void assertCleanTimeline(Path table) throws Exception {
    HoodieTableMetaClient meta = HoodieTableMetaClient.builder().setConf(HadoopFSUtils.getStorageConf())
        .setBasePath(table.toUri().toString()).build();
    HoodieTimeline timeline = meta.getActiveTimeline();
    assertThat(timeline.filterInflightsAndRequested().getInstants()).as("pending instants of " + table).isEmpty();
    List<Long> checkpoints = new ArrayList<>();
    for (HoodieInstant i : timeline.getDeltaCommitTimeline().filterCompletedInstants().getInstants()) {
      Map<String, String> extra = timeline.readCommitMetadata(i).getExtraMetadata();
      checkpoints.add(Long.parseLong(extra.get(HudiTableWriter.CHECKPOINT_ID_KEY)));
      assertThat(extra.get(HudiTableWriter.MAX_ORDERING_KEY)).as("max ordering of " + i).isNotNull().matches("-?[0-9]+");
    }
    if (meta.getTableType() == org.apache.hudi.common.model.HoodieTableType.COPY_ON_WRITE) {
      for (HoodieInstant i : timeline.getCommitTimeline().filterCompletedInstants().getInstants()) {
        checkpoints.add(Long.parseLong(timeline.readCommitMetadata(i).getExtraMetadata().get(HudiTableWriter.CHECKPOINT_ID_KEY)));
      }
    }
    assertThat(checkpoints).as("checkpoint ids of the commits of " + table).isNotEmpty().doesNotHaveDuplicates().isSorted();
  }

  /**
   * Emits one batch at a time under the checkpoint lock (so that a batch never straddles a checkpoint barrier), then
   * waits until a checkpoint taken after it has completed before emitting the next. Its position is checkpointed, so
   * after a restore it replays the batches after the restored checkpoint.
   */
  @SuppressWarnings("deprecation")
  static final class BatchSource extends RichSourceFunction<ChangeEvent> implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private final List<List<ChangeEvent>> batches;
    private transient ListState<Integer> position;
    private volatile int next;
    private volatile long coveringCheckpoint = Long.MAX_VALUE;
    private volatile boolean covered = true;
    private volatile boolean running = true;

    BatchSource(List<List<ChangeEvent>> batches) {
      this.batches = batches;
    }

    @Override
    public void run(SourceContext<ChangeEvent> ctx) throws Exception {
      while (running && next < batches.size()) {
        synchronized (ctx.getCheckpointLock()) {
          for (ChangeEvent e : batches.get(next)) {
            ctx.collect(e);
          }
          next++;
          covered = false;
          coveringCheckpoint = Long.MAX_VALUE;
        }
        while (running && !covered) {
          Thread.sleep(20);
        }
      }
    }

    @Override
    public void cancel() {
      running = false;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
      position.update(List.of(next));
      if (!covered && coveringCheckpoint == Long.MAX_VALUE) {
        coveringCheckpoint = context.getCheckpointId();
      }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      if (checkpointId >= coveringCheckpoint) {
        covered = true;
      }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
      position = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("position", Types.INT));
      for (Integer p : position.get()) {
        next = p;
      }
    }
  }

  /** Throws once, when it meets the event with ordering {@link #FAIL_AT}: a failure in the middle of a batch. */
  static final class FailOnce implements MapFunction<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean failedFlag = new AtomicBoolean();
    static volatile boolean failed;

    @Override
    public ChangeEvent map(ChangeEvent e) {
      if (e.source().ordering() == FAIL_AT && failedFlag.compareAndSet(false, true)) {
        failed = true;
        throw new IllegalStateException("injected failure before ordering " + FAIL_AT);
      }
      return e;
    }
  }

  /** A metric reporter keeping every counter it is told about, keyed by its full identifier. */
  public static final class CapturingReporterFactory implements MetricReporterFactory {
    static final Map<String, Counter> counters = new ConcurrentHashMap<>();

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new MetricReporter() {
        @Override
        public void open(MetricConfig config) {}

        @Override
        public void close() {}

        @Override
        public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
          if (metric instanceof Counter) {
            counters.put(System.identityHashCode(metric) + "#" + group.getMetricIdentifier(name), (Counter) metric);
          }
        }

        @Override
        public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}
      };
    }
  }
}
