package io.tributary.config;

import io.tributary.config.spi.Factory;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.schema.CompatibilityLevel;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Parses and validates a pipeline YAML document into a {@link PipelineDefinition}.
 *
 * <p>The document is read with SnakeYAML's node API ({@code compose}), so every key keeps its 1-based line. Every
 * problem found is collected before failing: one {@link PipelineValidationException} carries them all, sorted by
 * line (problems without a line last). A YAML syntax error stops parsing with one problem at SnakeYAML's mark.
 *
 * <p>Layout: top-level keys {@code pipeline} (required), {@code source} (required), {@code schema}, {@code sinks}
 * (required, a non-empty list) and {@code errors}. The pipeline, schema and errors blocks are validated against
 * {@link PipelineOptions}; the source and each sink against the options declared by the {@link Factory} whose
 * identifier is their {@code type}, looked up in a {@link FactoryRegistry}. Inside a block, nested mappings flatten
 * to dotted keys ({@code properties: {acks: all}} is {@code properties.acks}) and sequences of scalars become
 * comma-joined strings ({@code tables: [a, b]} is {@code a,b}); a list element may therefore not contain a comma.
 * A key with an empty or {@code null} value counts as absent.
 *
 * <p>Secrets: {@code ${env:NAME}} and {@code ${file:PATH}} references in any value are resolved by a
 * {@link SecretResolver}; relative file paths resolve against the pipeline file's directory (the working directory
 * for {@link #parse(String)}). A reference that cannot be resolved is a problem naming the key and the reference.
 * A non-empty value of a {@link Options#isSecretKey secret key} written as plain text is a <em>warning</em>,
 * returned in {@link ParseResult#warnings()} by the {@code parseWithWarnings} methods and logged at WARN by the
 * {@code parse} methods. No message or log line contains the value of a secret key or of a resolved reference.
 *
 * <p>In source and sink values, {@code ${...}} without a colon must be a routing variable of {@link Templates}
 * ({@code ${database}}, {@code ${schema}}, {@code ${table}}); any other name is a problem.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PipelineParser {
  /** The known top-level keys, in the order the documentation lists them. */
  public static final List<String> TOP_LEVEL_KEYS = List.of("pipeline", "source", "schema", "sinks", "errors");

  /** The path of problems about the document as a whole (syntax errors, unreadable file). */
  public static final String DOCUMENT_PATH = "<yaml>";

  private static final Logger LOG = LoggerFactory.getLogger(PipelineParser.class);
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}:]*)}");
  private static final int MAX_DEPTH = 16;

  private final FactoryRegistry factories;
  private final SecretResolver secrets;

  /** A parser with the factories found by {@link FactoryRegistry#load()} and the process environment. */
  public PipelineParser() {
    this(FactoryRegistry.load(), SecretResolver.fromSystem());
  }

  /**
   * @param factories where {@code type} values are looked up
   * @param secrets resolves {@code ${env:...}} and {@code ${file:...}} references
   */
  public PipelineParser(FactoryRegistry factories, SecretResolver secrets) {
    this.factories = Objects.requireNonNull(factories, "factories");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
  }

  /**
   * Parses a pipeline file; warnings are logged at WARN.
   *
   * @throws PipelineValidationException with every problem found, or when the file cannot be read
   */
  public PipelineDefinition parse(Path file) {
    return logged(parseWithWarnings(file));
  }

  /**
   * Parses a pipeline document given as text ({@link PipelineDefinition#file()} is null); warnings are logged at
   * WARN.
   *
   * @throws PipelineValidationException with every problem found
   */
  public PipelineDefinition parse(String yaml) {
    return logged(parseWithWarnings(yaml));
  }

  /**
   * Parses a pipeline file and returns the definition with its warnings.
   *
   * @throws PipelineValidationException with every problem found, or when the file cannot be read
   */
  public ParseResult parseWithWarnings(Path file) {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new PipelineValidationException(
          name, List.of(new ConfigProblem(DOCUMENT_PATH, 0, "The pipeline file " + name + " does not exist")));
    } catch (IOException e) {
      throw new PipelineValidationException(
          name,
          List.of(
              new ConfigProblem(
                  DOCUMENT_PATH,
                  0,
                  "The pipeline file " + name + " cannot be read (" + e.getClass().getSimpleName() + ")")));
    }
    Path dir = file.toAbsolutePath().getParent();
    return new Run(text, name, dir).parse();
  }

  /**
   * Parses a pipeline document given as text and returns the definition with its warnings. Relative
   * {@code ${file:...}} paths resolve against the working directory.
   *
   * @throws PipelineValidationException with every problem found
   */
  public ParseResult parseWithWarnings(String yaml) {
    return new Run(yaml, null, Path.of("").toAbsolutePath()).parse();
  }

  private static PipelineDefinition logged(ParseResult result) {
    for (ConfigProblem w : result.warnings()) {
      LOG.warn("{}: {}", result.definition().file() == null ? "pipeline" : result.definition().file(), w);
    }
    return result.definition();
  }

  /** One key-value block after flattening: raw values (secrets resolved) with their lines. */
  private static final class Block {
    final String path;
    final int line;
    final LinkedHashMap<String, String> values = new LinkedHashMap<>();
    final LinkedHashMap<String, Integer> lines = new LinkedHashMap<>();
    final Map<String, Integer> seen = new HashMap<>();
    final Set<String> unresolved = new HashSet<>();
    /** Key -> original text, for values that held a reference. */
    final Map<String, String> references = new HashMap<>();

    Block(String path, int line) {
      this.path = path;
      this.line = line;
    }

    Options options() {
      return new Options(path, values, lines);
    }

    Options optionsWithout(String key) {
      Map<String, String> v = new LinkedHashMap<>(values);
      Map<String, Integer> l = new LinkedHashMap<>(lines);
      v.remove(key);
      l.remove(key);
      return new Options(path, v, l);
    }

    int lineOf(String key) {
      return lines.getOrDefault(key, line);
    }
  }

  /** The state of one parse. */
  private final class Run {
    private final String text;
    private final String file;
    private final Path baseDir;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    Run(String text, String file, Path baseDir) {
      this.text = text;
      this.file = file;
      this.baseDir = baseDir;
    }

    ParseResult parse() {
      Node root = compose();
      if (root == null || isNull(root)) {
        fail(
            new ConfigProblem(
                DOCUMENT_PATH, 0, "The pipeline definition is empty; expected the top-level keys " + topLevelKeys()));
      }
      if (!(root instanceof MappingNode)) {
        fail(
            new ConfigProblem(
                DOCUMENT_PATH,
                line(root),
                "The pipeline definition must be a mapping with the top-level keys "
                    + topLevelKeys()
                    + "; got "
                    + kind(root)));
      }
      Map<String, NodeTuple> top = new LinkedHashMap<>();
      for (NodeTuple t : ((MappingNode) root).getValue()) {
        Node keyNode = t.getKeyNode();
        if (!(keyNode instanceof ScalarNode)) {
          problem(DOCUMENT_PATH, line(keyNode), "Top-level keys must be plain strings; got " + kind(keyNode));
          continue;
        }
        String key = ((ScalarNode) keyNode).getValue();
        if (!TOP_LEVEL_KEYS.contains(key)) {
          problem(key, line(keyNode), "Unknown top-level key '" + key + "'; known keys: " + topLevelKeys());
        } else if (top.containsKey(key)) {
          problem(
              key,
              line(keyNode),
              "Duplicate top-level key '" + key + "' (first given on line " + line(top.get(key).getKeyNode()) + ")");
        } else {
          top.put(key, t);
        }
      }

      PipelineSettings pipeline = pipelineBlock(top.get("pipeline"));
      SourceDefinition source = sourceBlock(top.get("source"));
      SchemaSettings schema = schemaBlock(top.get("schema"));
      List<SinkDefinition> sinks = sinksBlock(top.get("sinks"));
      ErrorSettings errors = errorsBlock(top.get("errors"), sinks);

      if (!problems.isEmpty()) {
        fail(null);
      }
      warnings.sort(BY_LINE);
      PipelineDefinition definition = new PipelineDefinition(pipeline, source, schema, sinks, errors, file);
      LOG.debug(
          "Parsed pipeline {} ({} source, {} sink(s), {} warning(s))",
          pipeline.name(),
          source.type(),
          sinks.size(),
          warnings.size());
      return new ParseResult(definition, warnings);
    }

    // ---- blocks ----

    private PipelineSettings pipelineBlock(NodeTuple tuple) {
      if (tuple == null) {
        problem("pipeline", 0, "Missing required block 'pipeline' (at least its name)");
        return null;
      }
      Block b = flatten("pipeline", tuple);
      if (b == null) {
        return null;
      }
      if (!check(
          "in block 'pipeline'", PipelineOptions.PIPELINE_REQUIRED, PipelineOptions.PIPELINE_OPTIONAL, Set.of(), b)) {
        return null;
      }
      Options o = b.options();
      return new PipelineSettings(
          o.get(PipelineOptions.NAME),
          o.get(PipelineOptions.OWNER),
          o.get(PipelineOptions.PARALLELISM),
          o.get(PipelineOptions.CHECKPOINT_INTERVAL),
          o.get(PipelineOptions.DELIVERY_GUARANTEE),
          o.get(PipelineOptions.STATE_DIR),
          o.get(PipelineOptions.SCHEMA_CHANGE_BEHAVIOR),
          o.get(PipelineOptions.TABLE_DISCOVERY_INTERVAL));
    }

    private SourceDefinition sourceBlock(NodeTuple tuple) {
      if (tuple == null) {
        problem(
            "source",
            0,
            "Missing required block 'source' with a 'type'; known source types: "
                + known(factories.sourceIdentifiers()));
        return null;
      }
      Block b = flatten("source", tuple);
      if (b == null) {
        return null;
      }
      checkVariables(b);
      Optional<? extends Factory> factory =
          factoryFor(b, "source", factories.sourceIdentifiers(), factories::source);
      if (factory.isEmpty() || !checkFactory(factory.get(), "source", b)) {
        return null;
      }
      return new SourceDefinition(b.values.get("type"), b.optionsWithout("type"));
    }

    private SchemaSettings schemaBlock(NodeTuple tuple) {
      Block b = tuple == null ? new Block("schema", 0) : flatten("schema", tuple);
      if (b == null
          || !check("in block 'schema'", Set.of(), PipelineOptions.SCHEMA_OPTIONAL, Set.of(), b)) {
        return null;
      }
      Options o = b.options();
      CompatibilityLevel level = o.get(PipelineOptions.COMPATIBILITY);
      return new SchemaSettings(
          o.get(PipelineOptions.REGISTRY_URL), level, o.get(PipelineOptions.SUBJECT_NAMING));
    }

    private List<SinkDefinition> sinksBlock(NodeTuple tuple) {
      String ids = known(factories.sinkIdentifiers());
      if (tuple == null) {
        problem("sinks", 0, "Missing required block 'sinks': a list of at least one sink; known sink types: " + ids);
        return null;
      }
      Node value = tuple.getValueNode();
      int line = line(tuple.getKeyNode());
      if (isNull(value) || (value instanceof SequenceNode && ((SequenceNode) value).getValue().isEmpty())) {
        problem("sinks", line, "At least one sink is required; the list is empty (known sink types: " + ids + ")");
        return null;
      }
      if (!(value instanceof SequenceNode)) {
        problem(
            "sinks",
            line,
            "'sinks' must be a list, each entry starting with '- type: <sink type>'; got " + kind(value));
        return null;
      }
      List<SinkDefinition> sinks = new ArrayList<>();
      List<Node> items = ((SequenceNode) value).getValue();
      boolean ok = true;
      for (int i = 0; i < items.size(); i++) {
        String path = "sinks[" + i + "]";
        Node item = items.get(i);
        if (!(item instanceof MappingNode)) {
          problem(path, line(item), "Each sink must be a mapping of options with a 'type'; got " + kind(item));
          ok = false;
          continue;
        }
        Block b = new Block(path, line(item));
        walk(b, (MappingNode) item, "", 0);
        checkVariables(b);
        Optional<? extends Factory> factory = factoryFor(b, "sink", factories.sinkIdentifiers(), factories::sink);
        if (factory.isEmpty() || !checkFactory(factory.get(), "sink", b)) {
          ok = false;
          continue;
        }
        sinks.add(new SinkDefinition(i, b.values.get("type"), b.options()));
      }
      return ok ? sinks : null;
    }

    private ErrorSettings errorsBlock(NodeTuple tuple, List<SinkDefinition> sinks) {
      Block b = tuple == null ? new Block("errors", 0) : flatten("errors", tuple);
      if (b == null) {
        return null;
      }
      boolean ok = check("in block 'errors'", Set.of(), PipelineOptions.ERRORS_OPTIONAL, Set.of(), b);
      String modeKey = PipelineOptions.ERROR_MODE.key();
      String topicKey = PipelineOptions.DLQ_TOPIC.key();
      String serversKey = PipelineOptions.DLQ_BOOTSTRAP_SERVERS.key();
      ErrorMode mode;
      try {
        mode = b.unresolved.contains(modeKey) ? null : b.options().get(PipelineOptions.ERROR_MODE);
      } catch (PipelineValidationException e) {
        mode = null; // already reported by check()
      }
      if (mode == ErrorMode.DLQ && !b.values.containsKey(topicKey)) {
        problem(
            "errors." + topicKey,
            b.lineOf(modeKey),
            "Missing required option '" + topicKey + "': mode is dlq, so a dead-letter topic is needed");
        ok = false;
      }
      String servers = null;
      if (mode == ErrorMode.DLQ) {
        boolean given = b.values.containsKey(serversKey) || b.unresolved.contains(serversKey);
        servers = given ? b.values.get(serversKey) : firstKafkaServers(sinks);
        // sinks == null: the sinks block has problems of its own, so whether a kafka sink exists is unknown
        if (!given && servers == null && sinks != null) {
          problem(
              "errors." + serversKey,
              b.lineOf(modeKey),
              "Missing required option '"
                  + serversKey
                  + "': mode is dlq and no sink of type '"
                  + PipelineOptions.KAFKA_SINK_TYPE
                  + "' gives a bootstrap.servers, so the Kafka cluster of the dead-letter topic is needed");
          ok = false;
        }
      }
      if (mode != null && mode != ErrorMode.DLQ) {
        for (String key : List.of(topicKey, serversKey)) {
          if (b.values.containsKey(key) || b.unresolved.contains(key)) {
            problem(
                "errors." + key,
                b.lineOf(key),
                "Option '"
                    + key
                    + "' is only used when mode is dlq, but mode is "
                    + mode.name().toLowerCase(java.util.Locale.ROOT)
                    + "; set mode: dlq or remove "
                    + key);
            ok = false;
          }
        }
      }
      if (!ok || mode == null) {
        return null;
      }
      return mode == ErrorMode.DLQ
          ? new ErrorSettings(mode, b.values.get(topicKey), servers)
          : new ErrorSettings(mode, null);
    }

    /** The {@code bootstrap.servers} of the first sink of type kafka that sets it, or null (also for null sinks). */
    private String firstKafkaServers(List<SinkDefinition> sinks) {
      if (sinks == null) {
        return null;
      }
      for (SinkDefinition sink : sinks) {
        if (PipelineOptions.KAFKA_SINK_TYPE.equals(sink.type())) {
          String servers = sink.options().getString("bootstrap.servers");
          if (servers != null && !servers.isBlank()) {
            return servers;
          }
        }
      }
      return null;
    }

    // ---- validation helpers ----

    private boolean check(
        String subject, Set<ConfigOption<?>> required, Set<ConfigOption<?>> optional, Set<String> prefixes, Block b) {
      List<ConfigProblem> found =
          OptionsValidator.validate(
              subject, required, optional, prefixes, b.options(), b.line, b.unresolved, b.references);
      problems.addAll(found);
      return found.isEmpty() && b.unresolved.isEmpty();
    }

    private boolean checkFactory(Factory factory, String kind, Block b) {
      return check(
          "for " + kind + " type '" + factory.identifier() + "'",
          factory.requiredOptions(),
          factory.optionalOptions(),
          factory.passThroughPrefixes(),
          b);
    }

    private Optional<? extends Factory> factoryFor(
        Block b, String kind, List<String> ids, java.util.function.Function<String, Optional<? extends Factory>> lookup) {
      String type = b.values.get("type");
      if (type == null) {
        if (!b.unresolved.contains("type")) {
          problem(
              b.path + ".type",
              b.line,
              "Missing required option 'type'; known " + kind + " types: " + known(ids));
        }
        return Optional.empty();
      }
      Optional<? extends Factory> factory = lookup.apply(type);
      if (factory.isEmpty()) {
        String shown = b.references.containsKey("type") ? b.references.get("type") : "'" + type + "'";
        problem(
            b.path + ".type",
            b.lineOf("type"),
            "Unknown " + kind + " type " + shown + "; known types: " + known(ids));
      }
      return factory;
    }

    /** Reports {@code ${name}} variables (no colon) that are not routing variables. */
    private void checkVariables(Block b) {
      for (Map.Entry<String, String> e : b.values.entrySet()) {
        String key = e.getKey();
        if (Options.isSecretKey(key)) {
          continue;
        }
        String original = b.references.getOrDefault(key, e.getValue());
        Matcher m = VARIABLE.matcher(SecretResolver.withoutReferences(original));
        while (m.find()) {
          if (!Templates.VARIABLES.contains(m.group(1))) {
            problem(
                b.path + "." + key,
                b.lineOf(key),
                "Unknown variable "
                    + m.group()
                    + " in option '"
                    + key
                    + "'; routing templates use ${database}, ${schema} or ${table}, secrets ${env:NAME} or"
                    + " ${file:PATH}");
            break;
          }
        }
      }
    }

    // ---- flattening ----

    private Block flatten(String path, NodeTuple tuple) {
      Node value = tuple.getValueNode();
      Block b = new Block(path, line(tuple.getKeyNode()));
      if (isNull(value)) {
        return b;
      }
      if (!(value instanceof MappingNode)) {
        problem(path, b.line, "'" + path + "' must be a mapping of options; got " + kind(value));
        return null;
      }
      walk(b, (MappingNode) value, "", 0);
      return b;
    }

    private void walk(Block b, MappingNode mapping, String prefix, int depth) {
      for (NodeTuple t : mapping.getValue()) {
        Node keyNode = t.getKeyNode();
        int keyLine = line(keyNode);
        if (!(keyNode instanceof ScalarNode)) {
          problem(b.path + "." + prefix, keyLine, "Keys must be plain strings; got " + kind(keyNode));
          continue;
        }
        if (Tag.MERGE.equals(keyNode.getTag())) {
          problem(
              b.path + "." + prefix + "<<",
              keyLine,
              "YAML merge keys (<<) are not supported; write the keys out");
          continue;
        }
        String key = prefix + ((ScalarNode) keyNode).getValue();
        String path = b.path + "." + key;
        Node value = t.getValueNode();
        if (value instanceof MappingNode) {
          if (depth >= MAX_DEPTH) {
            problem(path, keyLine, "Options nest deeper than " + MAX_DEPTH + " levels");
            continue;
          }
          walk(b, (MappingNode) value, key + ".", depth + 1);
          continue;
        }
        Integer first = b.seen.putIfAbsent(key, keyLine);
        if (first != null) {
          problem(path, keyLine, "Duplicate key '" + key + "' (first given on line " + first + ")");
          continue;
        }
        String raw;
        if (value instanceof SequenceNode) {
          raw = join(path, key, (SequenceNode) value);
          if (raw == null) {
            continue;
          }
        } else if (isNull(value)) {
          continue; // an empty value counts as absent
        } else {
          raw = ((ScalarNode) value).getValue();
        }
        put(b, key, raw, keyLine);
      }
    }

    /** Joins a sequence of scalars with commas, or reports a problem and returns null. */
    private String join(String path, String key, SequenceNode seq) {
      List<String> parts = new ArrayList<>();
      List<Node> items = seq.getValue();
      boolean ok = true;
      for (int j = 0; j < items.size(); j++) {
        Node item = items.get(j);
        if (!(item instanceof ScalarNode)) {
          problem(path + "[" + j + "]", line(item), "List elements must be plain values; got " + kind(item));
          ok = false;
        } else if (!isNull(item)) {
          String v = ((ScalarNode) item).getValue();
          if (v.indexOf(',') >= 0) {
            problem(
                path + "[" + j + "]",
                line(item),
                "List elements may not contain ',' (the list is passed on comma-separated)");
            ok = false;
          }
          parts.add(v);
        }
      }
      return ok ? String.join(",", parts) : null;
    }

    private void put(Block b, String key, String raw, int keyLine) {
      String path = b.path + "." + key;
      String value = raw;
      if (SecretResolver.hasReference(raw)) {
        b.references.put(key, raw);
        try {
          value = secrets.resolve(raw, baseDir);
        } catch (IllegalArgumentException e) {
          problem(path, keyLine, "Cannot resolve the secret reference of '" + key + "': " + e.getMessage());
          b.unresolved.add(key);
        }
      } else if (Options.isSecretKey(key) && !raw.isEmpty()) {
        warnings.add(
            new ConfigProblem(
                path,
                keyLine,
                "Secret written as plain text in the pipeline file; reference it as ${env:NAME} or ${file:PATH}"));
      }
      b.values.put(key, value);
      b.lines.put(key, keyLine);
    }

    // ---- YAML ----

    private Node compose() {
      LoaderOptions options = new LoaderOptions();
      options.setAllowRecursiveKeys(false);
      options.setMaxAliasesForCollections(50);
      try {
        return new Yaml(options).compose(new StringReader(text));
      } catch (MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        StringBuilder msg = new StringBuilder("YAML syntax error: ");
        msg.append(e.getProblem() != null ? e.getProblem() : e.getClass().getSimpleName());
        if (e.getContext() != null) {
          msg.append(" (").append(e.getContext());
          if (e.getContextMark() != null && e.getContextMark() != mark) {
            msg.append(" that starts on line ").append(e.getContextMark().getLine() + 1);
          }
          msg.append(')');
        }
        fail(new ConfigProblem(DOCUMENT_PATH, mark == null ? 0 : mark.getLine() + 1, msg.toString()));
      } catch (ReaderException e) {
        fail(
            new ConfigProblem(
                DOCUMENT_PATH,
                lineAt(e.getPosition()),
                "YAML syntax error: special character 0x"
                    + Integer.toHexString(e.getCodePoint())
                    + " is not allowed"));
      } catch (YAMLException e) {
        fail(new ConfigProblem(DOCUMENT_PATH, 0, "YAML error: " + e.getMessage()));
      }
      return null; // unreachable
    }

    private int lineAt(int position) {
      int line = 1;
      for (int i = 0; i < Math.min(position, text.length()); i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      return line;
    }

    // ---- problems ----

    private void problem(String path, int line, String message) {
      problems.add(new ConfigProblem(path, line, message));
    }

    /** Throws with every problem so far, plus {@code last} when not null. */
    private void fail(ConfigProblem last) {
      if (last != null) {
        problems.add(last);
      }
      problems.sort(BY_LINE);
      throw new PipelineValidationException(file, problems);
    }
  }

  private static final Comparator<ConfigProblem> BY_LINE =
      Comparator.comparingInt(p -> p.line() == 0 ? Integer.MAX_VALUE : p.line());

  private static String topLevelKeys() {
    return String.join(", ", TOP_LEVEL_KEYS);
  }

  private static String known(List<String> ids) {
    return ids.isEmpty() ? "(none registered)" : String.join(", ", ids);
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  private static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "a single value";
  }
}
