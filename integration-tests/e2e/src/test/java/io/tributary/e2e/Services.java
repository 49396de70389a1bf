package io.tributary.e2e;

import io.tributary.embedded.EmbeddedApicurio;
import io.tributary.embedded.EmbeddedKafka;
import io.tributary.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The real services the end-to-end tests share: one PostgreSQL, one Kafka broker and one Apicurio Registry per test
 * JVM, started on first use and stopped when the JVM exits. Test classes isolate themselves by database, topic and
 * pipeline names.
 */
final class Services {
  private static Services instance;

  final EmbeddedPostgres postgres;
  final EmbeddedKafka kafka;
  final EmbeddedApicurio registry;

  private Services() {
    postgres = EmbeddedPostgres.start();
    kafka = EmbeddedKafka.start();
    registry = EmbeddedApicurio.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      registry.close();
      kafka.close();
      postgres.close();
    }));
  }

  static synchronized Services get() {
    if (instance == null) {
      instance = new Services();
    }
    return instance;
  }

  /** Creates a database and runs the statements in it. */
  void createDatabase(String db, String... statements) throws SQLException {
    postgres.createDatabase(db);
    execute(db, statements);
  }

  /** Runs statements in one transaction and returns the rows they changed in total. */
  int execute(String db, String... statements) throws SQLException {
    int changed = 0;
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(db), postgres.user(), postgres.password());
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      for (String s : statements) {
        if (!st.execute(s)) {
          changed += Math.max(0, st.getUpdateCount());
        }
      }
      c.commit();
    }
    return changed;
  }

  /** Runs one statement and returns the rows it changed. */
  int update(String db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(db), postgres.user(), postgres.password());
        Statement st = c.createStatement()) {
      return st.executeUpdate(sql);
    }
  }
}
