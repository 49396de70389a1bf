package io.tributary.runtime.check;

import io.tributary.config.SinkDefinition;
import io.tributary.config.Templates;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import io.tributary.spark.HudiSparkReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code hudi} sink as the check reads it: a snapshot query of each table (the sink's {@code path} template) with
 * Spark 3.5 and the Hudi Spark bundle, as a lakehouse user would run it, all tables of one call in one child JVM
 * ({@link HudiSparkReader}; about 15 s per call on 2 cores). Only tables on the local file system ({@code file:} URIs
 * or plain paths) can be read.
 */
public final class HudiCheckSink implements CheckSink {
  private final String name;
  private final String pathTemplate;

  /**
   * @param sink a sink of type {@code hudi}
   * @throws CheckException if its path is not on the local file system
   */
  public HudiCheckSink(SinkDefinition sink) throws CheckException {
    this.name = sink.type() + "-" + sink.index();
    this.pathTemplate = sink.options().getString("path");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):").matcher(pathTemplate);
    String scheme = m.find() ? m.group(1) : null;
    if (scheme != null && !scheme.equalsIgnoreCase("file")) {
      throw new CheckException("sink " + name + ": verify reads Hudi tables on the local file system only, not "
          + scheme + ": paths");
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The base path of a table's Hudi table. */
  public Path path(TableId table) {
    return toPath(Templates.render(pathTemplate, table));
  }

  static Path toPath(String uriOrPath) {
    return uriOrPath.startsWith("file:") ? Path.of(URI.create(uriOrPath)) : Path.of(uriOrPath);
  }

  @Override
  public Map<TableId, TableRows> read(List<TableSchema> tables, Map<TableId, Set<String>> onlyKeys)
      throws CheckException {
    List<Path> paths = new ArrayList<>();
    for (TableSchema t : tables) {
      paths.add(path(t.tableId()));
    }
    Map<Path, List<Map<String, Object>>> lake;
    try {
      lake = HudiSparkReader.readAll(paths, Map.of());
    } catch (RuntimeException e) {
      throw new CheckException("sink " + name + ": cannot read the Hudi tables " + paths + " with Spark: "
          + e.getMessage(), e);
    }
    Map<TableId, TableRows> out = new LinkedHashMap<>();
    for (TableSchema t : tables) {
      TableRows rows = new TableRows(t, name, onlyKeys == null ? null : onlyKeys.get(t.tableId()));
      for (Map<String, Object> row : lake.getOrDefault(path(t.tableId()), List.of())) {
        rows.put(row);
      }
      out.put(t.tableId(), rows);
    }
    return out;
  }
}
