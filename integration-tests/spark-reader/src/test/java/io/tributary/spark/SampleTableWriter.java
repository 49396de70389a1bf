package io.tributary.spark;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Test helper run in a child JVM by {@link HudiSparkReaderITCase}: writes a small COPY_ON_WRITE Hudi table with Spark
 * (three rows of assorted types, then deletes the row with id 3), so that the reader can be checked against values
 * known exactly.
 */
public final class SampleTableWriter {
  private SampleTableWriter() {}

  /** Args: the table path. */
  public static void main(String[] args) {
    int code = 0;
    SparkSession spark = HudiTableDump.session();
    try {
      Map<String, String> options =
          Map.of(
              "hoodie.table.name", "sample",
              "hoodie.datasource.write.recordkey.field", "id",
              "hoodie.datasource.write.precombine.field", "ord",
              "hoodie.datasource.write.table.type", "COPY_ON_WRITE",
              "hoodie.datasource.write.keygenerator.class", "org.apache.hudi.keygen.NonpartitionedKeyGenerator",
              "hoodie.datasource.write.partitionpath.field", "",
              "hoodie.embed.timeline.server", "false");
      Dataset<Row> rows =
          spark.sql(
              "SELECT 1 AS id, 'plain' AS name, CAST('12.50' AS DECIMAL(10,2)) AS price, DATE'1970-01-02' AS day,"
                  + " TIMESTAMP'1970-01-01 00:00:01.000002' AS ts, X'0102FF' AS raw, true AS flag, 1.5D AS score,"
                  + " CAST(NULL AS STRING) AS note, 1L AS ord"
                  + " UNION ALL SELECT 2, 'quote\" tab\t', CAST('-0.05' AS DECIMAL(10,2)), DATE'2024-02-29',"
                  + " TIMESTAMP'2024-02-29 12:00:00', X'', false, -2.25D, 'n', 1L"
                  + " UNION ALL SELECT 3, 'gone', CAST('1' AS DECIMAL(10,2)), DATE'2000-01-01',"
                  + " TIMESTAMP'2000-01-01 00:00:00', X'00', false, 0D, NULL, 1L");
      rows.write().format("hudi").options(options).mode(SaveMode.Overwrite).save(args[0]);
      spark.sql("SELECT 3 AS id, 'gone' AS name, CAST('1' AS DECIMAL(10,2)) AS price, DATE'2000-01-01' AS day,"
              + " TIMESTAMP'2000-01-01 00:00:00' AS ts, X'00' AS raw, false AS flag, 0D AS score,"
              + " CAST(NULL AS STRING) AS note, 2L AS ord")
          .write().format("hudi").options(options).option("hoodie.datasource.write.operation", "delete")
          .mode(SaveMode.Append).save(args[0]);
    } catch (Throwable t) {
      t.printStackTrace();
      code = 1;
    } finally {
      spark.stop();
    }
    System.exit(code);
  }
}
