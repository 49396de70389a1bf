package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.tributary.schema.TableId;
import org.junit.jupiter.api.Test;

class TemplatesTest {
  @Test
  void rendersEveryVariable() {
    TableId id = new TableId("shop", "public", "orders");
    assertThat(Templates.render("shop.${schema}.${table}", id)).isEqualTo("shop.public.orders");
    assertThat(Templates.render("file:///lake/${database}/${table}", id)).isEqualTo("file:///lake/shop/orders");
    assertThat(Templates.render("fixed-topic", id)).isEqualTo("fixed-topic");
  }

  @Test
  void schemaFallsBackToTheDatabaseWhenTheSourceHasNoSchemas() {
    TableId mysql = new TableId("inventory", null, "products");
    assertThat(Templates.render("cdc.${schema}.${table}", mysql)).isEqualTo("cdc.inventory.products");
  }

  @Test
  void replacementTextIsLiteral() {
    TableId id = new TableId("d", "s", "a$1\\b");
    assertThat(Templates.render("t.${table}", id)).isEqualTo("t.a$1\\b");
  }

  @Test
  void unknownVariablesAreRejected() {
    assertThatThrownBy(() -> Templates.render("x.${tabel}", new TableId("d", "s", "t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown variable ${tabel} in 'x.${tabel}'; use ${database}, ${schema} or ${table}");
    assertThatThrownBy(() -> Templates.check("${host}")).hasMessageContaining("${host}");
    assertThatCode(() -> Templates.check("${database}.${schema}.${table}")).doesNotThrowAnyException();
    assertThat(Templates.VARIABLES).containsExactly("database", "schema", "table");
  }
}
