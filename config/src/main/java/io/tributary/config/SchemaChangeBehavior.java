package io.tributary.config;

/**
 * What a pipeline does when a captured table's columns change in the source (a DDL such as {@code ALTER TABLE ...
 * ADD COLUMN}); YAML {@code pipeline.schema.change.behavior}, named as in Flink CDC's pipeline definitions.
 */
public enum SchemaChangeBehavior {
  /**
   * Take the change in stride when the schema registry's compatibility level (and, for Hudi, Hudi's own schema
   * evolution rules) allow it: the new schema is registered as a new version, the first change after the DDL carries
   * its schema id, Hudi tables gain the column. A change they forbid stops the pipeline before the first record of
   * the new shape is written, naming table, column, DDL, subject and level. YAML {@code evolve} (the default).
   */
  EVOLVE,
  /** Any column change stops the pipeline before the first record of the new shape is written. YAML {@code fail}. */
  FAIL,
  /**
   * Records keep the schema the pipeline started with: added columns are dropped, dropped columns read as null; a
   * warning names the table and the DDL once. YAML {@code ignore}.
   */
  IGNORE
}
