package io.tributary.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SHOW GRANTS output as MariaDB 10.11 and MySQL 8 print it. */
class MySqlGrantsTest {

  @Test
  void mariaDbGlobalPrivilegesWithBinlogMonitor() {
    MySqlGrants g =
        MySqlGrants.parse(
            List.of(
                "GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO "
                    + "`cdc`@`127.0.0.1` IDENTIFIED BY PASSWORD '*A4B6157319038724E3560894F7F932C8886EBFCF'"));
    assertThat(g.hasGlobal("REPLICATION SLAVE")).isTrue();
    assertThat(g.hasGlobal("REPLICATION CLIENT", "BINLOG MONITOR")).isTrue();
    assertThat(g.hasGlobal("RELOAD")).isTrue();
    assertThat(g.hasGlobal("SUPER")).isFalse();
    assertThat(g.canSelect("shop", "orders")).isTrue();
    assertThat(g.roles()).isEmpty();
  }

  @Test
  void mysqlEightGrantsDatabaseAndTableLevelSelect() {
    MySqlGrants g =
        MySqlGrants.parse(
            List.of(
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `cdc`@`%`",
                "GRANT SELECT ON `shop`.* TO `cdc`@`%`",
                "GRANT SELECT, INSERT ON `crm`.`customers` TO `cdc`@`%`",
                "GRANT INSERT ON `crm`.`orders` TO `cdc`@`%`",
                "GRANT SELECT (`id`, `name`) ON `crm`.`secrets` TO `cdc`@`%`",
                "GRANT SELECT ON `log\\_%`.* TO `cdc`@`%`",
                "GRANT EXECUTE ON PROCEDURE `shop`.`p` TO `cdc`@`%`"));
    assertThat(g.hasGlobal("REPLICATION SLAVE")).isTrue();
    assertThat(g.hasGlobal("REPLICATION CLIENT", "BINLOG MONITOR")).isTrue();
    assertThat(g.hasGlobal("SELECT")).isFalse();
    assertThat(g.canSelect("shop", "orders")).isTrue();
    assertThat(g.canSelect("crm", "customers")).isTrue();
    assertThat(g.canSelect("crm", "orders")).as("INSERT only").isFalse();
    assertThat(g.canSelect("crm", "secrets")).as("column privileges only").isFalse();
    assertThat(g.canSelect("log_2024", "events")).isTrue();
    assertThat(g.canSelect("logx2024", "events")).as("escaped _ is literal").isFalse();
    assertThat(g.canSelect("other", "t")).isFalse();
  }

  @Test
  void allPrivilegesImplyEverythingAndRolesAreListed() {
    MySqlGrants root =
        MySqlGrants.parse(
            List.of(
                "GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION",
                "GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION"));
    assertThat(root.hasGlobal("REPLICATION SLAVE")).isTrue();
    assertThat(root.canSelect("any", "table")).isTrue();

    MySqlGrants withRole =
        MySqlGrants.parse(List.of("GRANT USAGE ON *.* TO `app`@`%`", "GRANT `cdc_role` TO `app`@`%`"));
    assertThat(withRole.roles()).containsExactly("`cdc_role`");
    assertThat(withRole.hasGlobal("REPLICATION SLAVE")).isFalse();
    assertThat(withRole.canSelect("shop", "orders")).isFalse();
  }

  @Test
  void replicaSynonymAndAllWithoutPrivileges() {
    MySqlGrants g = MySqlGrants.parse(List.of("GRANT REPLICATION REPLICA ON *.* TO `u`@`%`", "GRANT ALL ON `shop`.* TO `u`@`%`"));
    assertThat(g.hasGlobal("REPLICATION SLAVE")).isTrue();
    assertThat(g.canSelect("shop", "x")).isTrue();
    assertThat(MySqlGrants.likePattern("a%b_c").matcher("aXYZbQc").matches()).isTrue();
  }
}
