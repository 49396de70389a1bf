package io.tributary.spark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Command line tool: reads Hudi tables with Spark 3.5 ({@code local[1]}) and the Hudi Spark bundle, with a
 * snapshot query (the latest committed state; for MERGE_ON_READ, base files merged with log files), and prints every
 * row as one JSON object per line, sorted by Hudi record key ({@code _hoodie_record_key}).
 *
 * <p>Usage: {@code HudiTableDump [--out FILE] [--meta] [--option KEY=VALUE]... TABLE_PATH...}. For each table the
 * output holds a header line {@code #table<TAB><path><TAB><row count>}, then its rows. {@code --option} passes a read
 * option to the Hudi data source (for example {@code hoodie.datasource.query.type=read_optimized}); {@code --meta}
 * keeps Hudi's {@code _hoodie_*} meta columns, which are left out by default. Exit code 0 on success, 1 on any error
 * (stack trace on stderr), 2 on bad arguments.
 *
 * <p>Values, by Spark type: strings, booleans and integral numbers as JSON strings, booleans and numbers; float and
 * double as JSON numbers (NaN and infinities as the strings {@code "NaN"}, {@code "Infinity"}, {@code
 * "-Infinity"}); decimal as a string of the plain decimal ({@link BigDecimal#toPlainString()}, keeping the column's
 * scale); date as a number of days since 1970-01-01; timestamp (Avro {@code timestamp-micros}) as microseconds since
 * the epoch, UTC; timestamp without zone (Avro {@code local-timestamp-micros}) as microseconds since
 * 1970-01-01T00:00 of the local date-time; binary as a base64 string; anything else (structs, arrays, maps) as the
 * string Spark prints. SQL NULL is JSON null. These are the value shapes of Tributary's {@code ColumnKind}s, so rows
 * compare directly with change-event images.
 *
 * <p>Spark binds 127.0.0.1 only, with the UI off, Kryo serialization (Hudi's registrar) and session time zone UTC.
 */
public final class HudiTableDump {
  /** Prefix of the header line written before each table's rows. */
  public static final String TABLE_HEADER = "#table\t";
  /** Hudi's record key meta column, the sort key of the dump. */
  public static final String RECORD_KEY_COLUMN = "_hoodie_record_key";

  private HudiTableDump() {}

  /**
   * Runs the dump; see the class comment for arguments and exit codes. Calls {@link System#exit} when done, so that
   * Spark's non-daemon threads never keep the JVM alive.
   */
  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      code = 1;
    }
    System.exit(code);
  }

  static int run(String[] args) throws IOException {
    Path out = null;
    boolean meta = false;
    Map<String, String> options = new LinkedHashMap<>();
    List<String> tables = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--out") && i + 1 < args.length) {
        out = Path.of(args[++i]);
      } else if (a.equals("--meta")) {
        meta = true;
      } else if (a.equals("--option") && i + 1 < args.length) {
        String kv = args[++i];
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          System.err.println("--option needs KEY=VALUE, got '" + kv + "'");
          return 2;
        }
        options.put(kv.substring(0, eq), kv.substring(eq + 1));
      } else if (a.startsWith("--")) {
        System.err.println("unknown argument " + a);
        return 2;
      } else {
        tables.add(a);
      }
    }
    if (tables.isEmpty()) {
      System.err.println(
          "usage: HudiTableDump [--out FILE] [--meta] [--option KEY=VALUE]... TABLE_PATH [TABLE_PATH...]");
      return 2;
    }
    SparkSession spark = session();
    try (Writer w =
        out == null
            ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
            : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (String table : tables) {
        dump(spark, table, options, meta, w);
      }
    } finally {
      spark.stop();
    }
    return 0;
  }

  /** A local Spark session bound to 127.0.0.1, UI off, set up for Hudi (see the class comment). */
  static SparkSession session() {
    String tmp = System.getProperty("java.io.tmpdir");
    return SparkSession.builder()
        .appName("tributary-hudi-table-dump")
        .master("local[1]")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrator", "org.apache.spark.HoodieSparkKryoRegistrar")
        .config("spark.sql.extensions", "org.apache.spark.sql.hudi.HoodieSparkSessionExtension")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.datetime.java8API.enabled", "true")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.local.dir", tmp)
        .config("spark.sql.warehouse.dir", Path.of(tmp, "spark-warehouse").toUri().toString())
        .getOrCreate();
  }

  private static void dump(SparkSession spark, String table, Map<String, String> options, boolean meta, Writer w)
      throws IOException {
    Dataset<Row> df = spark.read().format("hudi").option("hoodie.datasource.query.type", "snapshot").options(options)
        .load(table);
    List<Row> rows = df.orderBy(RECORD_KEY_COLUMN).collectAsList();
    StructType schema = df.schema();
    StructField[] fields = schema.fields();
    w.write(TABLE_HEADER + table + "\t" + rows.size() + "\n");
    StringBuilder sb = new StringBuilder();
    for (Row row : rows) {
      sb.setLength(0);
      sb.append('{');
      boolean first = true;
      for (int i = 0; i < fields.length; i++) {
        String name = fields[i].name();
        if (!meta && name.startsWith("_hoodie_")) {
          continue;
        }
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, name);
        sb.append(':');
        value(sb, fields[i].dataType(), row.isNullAt(i) ? null : row.get(i));
      }
      sb.append("}\n");
      w.write(sb.toString());
    }
    w.flush();
  }

  private static void value(StringBuilder sb, DataType type, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (type instanceof DecimalType) {
      string(sb, ((BigDecimal) v).toPlainString());
    } else if (type.equals(DataTypes.StringType)) {
      string(sb, v.toString());
    } else if (type.equals(DataTypes.BooleanType)
        || type.equals(DataTypes.IntegerType)
        || type.equals(DataTypes.LongType)
        || type.equals(DataTypes.ShortType)
        || type.equals(DataTypes.ByteType)) {
      sb.append(v);
    } else if (type.equals(DataTypes.FloatType) || type.equals(DataTypes.DoubleType)) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        string(sb, Double.toString(d));
      } else {
        sb.append(v);
      }
    } else if (type.equals(DataTypes.DateType)) {
      sb.append(v instanceof LocalDate ? ((LocalDate) v).toEpochDay() : ((java.sql.Date) v).toLocalDate().toEpochDay());
    } else if (type.equals(DataTypes.TimestampType)) {
      Instant t = v instanceof Instant ? (Instant) v : ((java.sql.Timestamp) v).toInstant();
      sb.append(ChronoUnit.MICROS.between(Instant.EPOCH, t));
    } else if (type.equals(DataTypes.TimestampNTZType)) {
      LocalDateTime t = (LocalDateTime) v;
      sb.append(ChronoUnit.MICROS.between(Instant.EPOCH, t.toInstant(ZoneOffset.UTC)));
    } else if (type.equals(DataTypes.BinaryType)) {
      string(sb, Base64.getEncoder().encodeToString((byte[]) v));
    } else {
      string(sb, v.toString());
    }
  }

  /** Appends a JSON string literal (RFC 8259 escaping). */
  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
