package io.tributary.config.spi;

import io.tributary.config.SchemaChangeBehavior;
import io.tributary.schema.Column;
import io.tributary.schema.TableSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, for a source's deserializer, what a record does whose columns differ from the table's schema the pipeline
 * runs with, per {@code schema.change.behavior}. Sources call {@link #check} once per new record shape (they cache
 * the answer per shape), never per record.
 *
 * <table>
 *   <caption>Outcome per difference and behavior</caption>
 *   <tr><th>the record</th><th>evolve</th><th>fail</th><th>ignore</th></tr>
 *   <tr><td>has a column the schema lacks (not a retired one)</td><td>stop and re-plan</td><td>stop</td>
 *       <td>column dropped, warning</td></tr>
 *   <tr><td>lacks a nullable column</td><td>null (a change from before an ADD COLUMN, replayed)</td><td>stop</td>
 *       <td>null, warning</td></tr>
 *   <tr><td>lacks a NOT NULL column</td><td>stop and re-plan</td><td>stop</td><td>null, warning (the validate
 *       stage then applies errors.mode)</td></tr>
 *   <tr><td>has a column of another type</td><td>stop and re-plan</td><td>stop</td><td>converted if it can be,
 *       warning</td></tr>
 *   <tr><td>has a retired column (dropped earlier, see {@link TableSchema#retiredColumns()})</td><td colspan="3">its
 *       value is ignored</td></tr>
 * </table>
 *
 * <p>"Stop" throws {@link SchemaChangeException} inside Flink's {@link SuppressRestartsException}, so the job ends
 * before the record reaches a sink, without restarts; under evolve the runner plans the pipeline again with the
 * schema the source's catalog now has (see the README's "Schema changes").
 */
public final class SchemaDrift implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SchemaDrift.class);

  private final SchemaChangeBehavior behavior;
  private transient Set<String> warned;

  /** @param behavior the pipeline's {@code schema.change.behavior}; null reads as EVOLVE */
  public SchemaDrift(SchemaChangeBehavior behavior) {
    this.behavior = behavior == null ? SchemaChangeBehavior.EVOLVE : behavior;
  }

  /** The behavior this check applies. */
  public SchemaChangeBehavior behavior() {
    return behavior;
  }

  /**
   * Checks one record shape against the table's schema.
   *
   * @param table the schema the pipeline runs with
   * @param recordColumns the record's columns in record order, each mapped to a short type description for
   *     messages (for example {@code INT32}, {@code STRING})
   * @param retyped columns present in both whose record type cannot hold the column's kind, each described as
   *     {@code name (old -> new)}; empty when none
   * @param ddl the last DDL the source's log showed for the table, or null
   * @throws SuppressRestartsException wrapping a {@link SchemaChangeException} when the behavior says stop (see the
   *     class table)
   */
  public void check(TableSchema table, Map<String, String> recordColumns, List<String> retyped, String ddl) {
    List<String> added = new ArrayList<>();
    for (Map.Entry<String, String> f : recordColumns.entrySet()) {
      if (table.column(f.getKey()).isEmpty() && !table.retiredColumns().contains(f.getKey())) {
        added.add(f.getKey() + " (" + f.getValue() + ")");
      }
    }
    List<String> missingNullable = new ArrayList<>();
    List<String> missingRequired = new ArrayList<>();
    for (Column c : table.columns()) {
      if (!recordColumns.containsKey(c.name())) {
        (c.nullable() ? missingNullable : missingRequired).add(c.name());
      }
    }
    if (added.isEmpty() && missingNullable.isEmpty() && missingRequired.isEmpty() && retyped.isEmpty()) {
      return;
    }
    String table0 = table.tableId().toString();
    List<String> missing = new ArrayList<>(missingRequired);
    missing.addAll(missingNullable);
    switch (behavior) {
      case IGNORE:
        warnOnce(table0, "Table " + table0 + " changed in the source: " + SchemaChangeException.describe(added,
            missing, retyped) + "; DDL: " + (ddl != null ? ddl : "(not in the source's log)")
            + ". schema.change.behavior is ignore: records keep the pipeline's schema (added columns are dropped, "
            + "missing ones read as null)");
        return;
      case FAIL:
        throw stop(table0, added, missing, retyped, ddl);
      default:
        if (added.isEmpty() && missingRequired.isEmpty() && retyped.isEmpty()) {
          // only nullable columns missing: a change from before an ADD COLUMN (replayed after the pipeline evolved),
          // or a column dropped since; either way the column reads as null
          LOG.debug("Table {}: records without nullable column(s) {}; they read as null", table0, missingNullable);
          return;
        }
        throw stop(table0, added, missingRequired, retyped, ddl);
    }
  }

  private SuppressRestartsException stop(
      String table, List<String> added, List<String> missing, List<String> retyped, String ddl) {
    SchemaChangeException e = new SchemaChangeException(table, added, missing, retyped, ddl, behavior);
    LOG.warn("{}", e.getMessage());
    return new SuppressRestartsException(e);
  }

  private void warnOnce(String table, String message) {
    if (warned == null) {
      warned = ConcurrentHashMap.newKeySet();
    }
    if (warned.add(table + "|" + message)) {
      LOG.warn("{}", message);
    }
  }
}
