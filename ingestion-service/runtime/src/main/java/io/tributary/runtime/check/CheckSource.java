package io.tributary.runtime.check;

import io.tributary.runtime.PipelinePlan;
import io.tributary.schema.TableSchema;
import io.tributary.source.postgres.PostgresSource;
import java.util.Collection;
import java.util.Map;

/**
 * The source-specific part of {@code tributary verify}: where the source's change log is now, how far the pipeline
 * has committed its changes to the sinks, and the current rows of a table. One implementation per source type
 * ({@link PostgresCheckSource}); a MySQL one would report binlog positions and read over JDBC the same way.
 *
 * <p>Positions are opaque strings in the source's own notation; only the implementation compares them.
 */
public interface CheckSource extends AutoCloseable {
  /** What is checked, for people: server, database and the pipeline's log reader (never a password). */
  String describe();

  /**
   * The current end of the source's change log (PostgreSQL: {@code pg_current_wal_lsn()}): every transaction
   * committed before this call lies before it.
   *
   * @throws CheckException if the source cannot be reached
   */
  String position() throws CheckException;

  /**
   * Whether the pipeline has committed to its sinks every change to a captured table that was committed in the
   * source before {@code target}.
   *
   * @param target a position from {@link #position()}
   * @throws CheckException if the source cannot be reached, or the pipeline has no reader of the log there (for
   *     PostgreSQL: no replication slot of that name in the database)
   */
  ReaderStatus status(String target) throws CheckException;

  /**
   * Reads every row of a table.
   *
   * @return the rows, side {@code source}
   * @throws CheckException if the table cannot be read
   */
  TableRows read(TableSchema table) throws CheckException;

  /**
   * Reads the rows of a table with the given primary keys; keys without a row are absent from the result.
   *
   * @param keys canonical primary key values ({@link Canonical}) by column name, as {@link TableRows#keyValues}
   *     returns them
   * @return the rows found, side {@code source}
   * @throws CheckException if the table cannot be read
   */
  TableRows read(TableSchema table, Collection<Map<String, String>> keys) throws CheckException;

  /** Releases connections; never throws. */
  @Override
  void close();

  /**
   * The check source for a planned pipeline's source.
   *
   * @throws CheckException if the source type has no check source yet (only {@code postgres} has one)
   */
  static CheckSource of(PipelinePlan plan) throws CheckException {
    if (plan.source() instanceof PostgresSource) {
      return new PostgresCheckSource(
          (PostgresSource) plan.source(), plan.definition().pipeline().checkpointInterval());
    }
    throw new CheckException(
        "verify does not support source type '" + plan.definition().source().type() + "' yet (supported: postgres)");
  }
}
