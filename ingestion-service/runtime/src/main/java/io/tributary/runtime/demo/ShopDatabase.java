package io.tributary.runtime.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The demo's shop database: {@code public.customers} and {@code public.orders} with the common PostgreSQL types
 * (bigint, integer, numeric, real, double precision, boolean, text, varchar, char, date, time, timestamp,
 * timestamptz, uuid, jsonb), {@code REPLICA IDENTITY FULL} so updates and deletes carry full before-images, filled
 * with generated rows.
 */
public final class ShopDatabase {
  private ShopDatabase() {}

  /**
   * Creates both tables and fills them.
   *
   * @param customers rows in customers (ids 1..customers)
   * @param orders rows in orders (ids 1..orders)
   * @throws SQLException if the database refuses a statement
   */
  public static void create(String jdbcUrl, String user, String password, int customers, int orders)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE public.customers ("
              + " id bigint PRIMARY KEY,"
              + " name text NOT NULL,"
              + " email varchar(120),"
              + " country char(2),"
              + " vip boolean NOT NULL DEFAULT false,"
              + " credit numeric(12,2),"
              + " signup_date date,"
              + " created_at timestamptz NOT NULL,"
              + " profile jsonb,"
              + " external_id uuid)");
      st.execute(
          "CREATE TABLE public.orders ("
              + " id bigint PRIMARY KEY,"
              + " customer_id bigint NOT NULL,"
              + " status varchar(16) NOT NULL,"
              + " amount numeric(10,2) NOT NULL,"
              + " quantity integer NOT NULL,"
              + " discount real,"
              + " weight_kg double precision,"
              + " ordered_at timestamp NOT NULL,"
              + " ship_by time,"
              + " note text)");
      st.execute("ALTER TABLE public.customers REPLICA IDENTITY FULL");
      st.execute("ALTER TABLE public.orders REPLICA IDENTITY FULL");
      st.execute(
          "INSERT INTO public.customers SELECT g, 'customer ' || g, 'c' || g || '@example.com',"
              + " (ARRAY['DE','FR','US','JP'])[1 + g % 4], g % 10 = 0, round((g % 1000) * 1.37, 2),"
              + " date '2020-01-01' + (g % 1500), timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute',"
              + " jsonb_build_object('segment', g % 5, 'newsletter', g % 2 = 0), md5(g::text)::uuid"
              + " FROM generate_series(1, " + customers + ") g");
      st.execute(
          "INSERT INTO public.orders SELECT g, 1 + g % " + customers + ","
              + " (ARRAY['new','paid','shipped','delivered'])[1 + g % 4], round(((g % 5000) + 1) * 0.99, 2),"
              + " 1 + g % 7, CASE WHEN g % 3 = 0 THEN 0.1 ELSE NULL END, (g % 100) / 7.0,"
              + " timestamp '2024-06-01 00:00:00' + g * interval '17 seconds', time '12:00' + (g % 600) * interval '1 minute',"
              + " CASE WHEN g % 11 = 0 THEN 'gift wrap' ELSE NULL END"
              + " FROM generate_series(1, " + orders + ") g");
      st.execute("ANALYZE public.customers");
      st.execute("ANALYZE public.orders");
    }
  }
}
