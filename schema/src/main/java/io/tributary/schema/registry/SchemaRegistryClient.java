package io.tributary.schema.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.schema.CompatibilityLevel;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small client of the Confluent Schema Registry REST API (version 1, content type {@value #CONTENT_TYPE}; source:
 * Confluent Schema Registry "API Reference"), for Avro schemas. Works against Confluent's registry and against
 * Apicurio Registry's compatibility API ({@code http://host:port/apis/ccompat/v7}).
 *
 * <p>Caches schema id to schema and (subject, schema) to id, so repeated {@link #register}, {@link #lookup} and
 * {@link #getById} calls for the same schema make no request. Transient failures (I/O errors, HTTP 5xx) are
 * retried {@value #MAX_ATTEMPTS} times in all with a backoff of 100, 200 ms; other failures throw {@link
 * SchemaRegistryException} at once.
 *
 * <p>Thread-safe; share one instance per registry URL.
 */
public final class SchemaRegistryClient {
  /** The Confluent Schema Registry API media type. */
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  /** Default timeout for connecting and for each request. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** Attempts per call for transient failures. */
  public static final int MAX_ATTEMPTS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
  private static final long FIRST_BACKOFF_MS = 100;

  private final String baseUrl;
  private final Duration timeout;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final ConcurrentHashMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  /**
   * A client with {@link #DEFAULT_TIMEOUT}.
   *
   * @param baseUrl the API root, for example {@code http://127.0.0.1:8085/apis/ccompat/v7}; a trailing slash is
   *     ignored
   * @throws IllegalArgumentException if the URL is not an absolute http(s) URL
   */
  public SchemaRegistryClient(String baseUrl) {
    this(baseUrl, DEFAULT_TIMEOUT);
  }

  /**
   * A client with the given timeout.
   *
   * @param baseUrl the API root, for example {@code http://127.0.0.1:8085/apis/ccompat/v7}
   * @param timeout connect timeout and per-request timeout; null for {@link #DEFAULT_TIMEOUT}
   * @throws IllegalArgumentException if the URL is not an absolute http(s) URL or the timeout is not positive
   */
  public SchemaRegistryClient(String baseUrl, Duration timeout) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    String b = baseUrl.trim();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    URI uri;
    try {
      uri = URI.create(b);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("schema registry URL '" + baseUrl + "' is not a valid URL: " + e.getMessage());
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "schema registry URL '" + baseUrl + "' must be an absolute http:// or https:// URL");
    }
    this.timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (this.timeout.isZero() || this.timeout.isNegative()) {
      throw new IllegalArgumentException("schema registry timeout must be positive, got " + timeout);
    }
    this.baseUrl = b;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(this.timeout).build();
  }

  /** The API root this client calls, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /**
   * Registers a schema under a subject ({@code POST /subjects/{subject}/versions}, {@code schemaType} AVRO), or
   * returns the id of the identical schema already registered there. Cached per (subject, schema).
   *
   * @return the registry-wide schema id
   * @throws SchemaRegistryException on failure; {@link SchemaRegistryException#isIncompatible()} when the schema
   *     breaks the subject's compatibility level, {@link SchemaRegistryException#isInvalidSchema()} when the
   *     registry rejects it
   */
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    ObjectNode body = json.createObjectNode();
    body.put("schema", schema.toString());
    body.put("schemaType", "AVRO");
    Answer a = call("POST", "/subjects/" + segment(subject) + "/versions", body, subject);
    a.requireOk("register a schema under");
    int id = a.requireInt("id");
    idsBySubjectSchema.put(key, id);
    schemasById.putIfAbsent(id, schema);
    LOG.debug("Registered schema {} under subject {} as id {}", schema.getFullName(), subject, id);
    return id;
  }

  /**
   * Finds the id of a schema already registered under a subject ({@code POST /subjects/{subject}}).
   *
   * @return the id, or empty when the subject or the schema under it does not exist
   * @throws SchemaRegistryException on other failures
   */
  public Optional<Integer> lookup(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    ObjectNode body = json.createObjectNode();
    body.put("schema", schema.toString());
    body.put("schemaType", "AVRO");
    Answer a = call("POST", "/subjects/" + segment(subject), body, subject);
    if (a.status == 404) {
      return Optional.empty();
    }
    a.requireOk("look up a schema under");
    int id = a.requireInt("id");
    idsBySubjectSchema.put(key, id);
    schemasById.putIfAbsent(id, schema);
    return Optional.of(id);
  }

  /**
   * The schema with an id ({@code GET /schemas/ids/{id}}). Cached.
   *
   * @throws SchemaRegistryException if the id is unknown (HTTP 404, code 40403), the registry fails, or the
   *     answer is not a valid Avro schema
   */
  public Schema getById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    Answer a = call("GET", "/schemas/ids/" + id, null, null);
    a.requireOk("get schema id " + id + " of");
    Schema s = a.parseSchema("schema");
    Schema prev = schemasById.putIfAbsent(id, s);
    return prev != null ? prev : s;
  }

  /**
   * The latest version of a subject ({@code GET /subjects/{subject}/versions/latest}).
   *
   * @return the version, or empty when the subject does not exist (or has no versions)
   * @throws SchemaRegistryException on other failures
   */
  public Optional<RegisteredSchema> latest(String subject) {
    Answer a = call("GET", "/subjects/" + segment(subject) + "/versions/latest", null, subject);
    if (a.status == 404) {
      return Optional.empty();
    }
    a.requireOk("get the latest version of");
    int id = a.requireInt("id");
    Schema s = schemasById.computeIfAbsent(id, k -> a.parseSchema("schema"));
    String subj = a.body != null && a.body.hasNonNull("subject") ? a.body.get("subject").asText() : subject;
    return Optional.of(new RegisteredSchema(subj, a.requireInt("version"), id, s));
  }

  /**
   * Tests a schema against the subject's latest version under the subject's compatibility level ({@code POST
   * /compatibility/subjects/{subject}/versions/latest?verbose=true}). A subject that does not exist yet is
   * compatible.
   *
   * @throws SchemaRegistryException if the registry fails or rejects the schema as invalid
   */
  public CompatibilityCheck testCompatibility(String subject, Schema schema) {
    ObjectNode body = json.createObjectNode();
    body.put("schema", schema.toString());
    body.put("schemaType", "AVRO");
    Answer a =
        call("POST", "/compatibility/subjects/" + segment(subject) + "/versions/latest?verbose=true", body, subject);
    if (a.status == 404
        && (a.errorCode == SchemaRegistryException.SUBJECT_NOT_FOUND
            || a.errorCode == SchemaRegistryException.VERSION_NOT_FOUND || a.errorCode == -1)) {
      return new CompatibilityCheck(true, List.of());
    }
    a.requireOk("test compatibility against");
    JsonNode ok = a.body == null ? null : a.body.get("is_compatible");
    if (ok == null || !ok.isBoolean()) {
      throw a.error("test compatibility against", "the answer has no boolean is_compatible");
    }
    List<String> messages = new ArrayList<>();
    JsonNode m = a.body.get("messages");
    if (m != null && m.isArray()) {
      m.forEach(n -> messages.add(n.isTextual() ? n.asText() : n.toString()));
    }
    return new CompatibilityCheck(ok.asBoolean(), messages);
  }

  /**
   * The compatibility level set on a subject ({@code GET /config/{subject}}).
   *
   * <p>Confluent's registry answers 404 for a subject without a level of its own; Apicurio 3.0.9 answers 404 for
   * an unknown subject but {@code NONE} for an existing subject without its own level (whatever the global level
   * is), so on Apicurio "NONE" may mean "not set": set the level explicitly when it matters.
   *
   * @return the level, or empty when the registry answers 404 (no such subject, or no level of its own)
   * @throws SchemaRegistryException on other failures, or when the answer names no known level
   */
  public Optional<CompatibilityLevel> getCompatibility(String subject) {
    Answer a = call("GET", "/config/" + segment(subject), null, subject);
    if (a.status == 404) {
      return Optional.empty();
    }
    a.requireOk("get the compatibility level of");
    return Optional.of(a.level());
  }

  /**
   * The registry-wide default compatibility level ({@code GET /config}).
   *
   * @throws SchemaRegistryException on failure
   */
  public CompatibilityLevel getGlobalCompatibility() {
    Answer a = call("GET", "/config", null, null);
    a.requireOk("get the global compatibility level of");
    return a.level();
  }

  /**
   * Sets a subject's compatibility level ({@code PUT /config/{subject}}, body {@code {"compatibility": LEVEL}}).
   *
   * @throws SchemaRegistryException on failure
   * @throws NullPointerException if an argument is null
   */
  public void setCompatibility(String subject, CompatibilityLevel level) {
    Objects.requireNonNull(level, "level");
    ObjectNode body = json.createObjectNode();
    body.put("compatibility", level.name());
    Answer a = call("PUT", "/config/" + segment(subject), body, subject);
    a.requireOk("set compatibility level " + level + " on");
  }

  /**
   * All subjects ({@code GET /subjects}).
   *
   * @throws SchemaRegistryException on failure
   */
  public List<String> subjects() {
    Answer a = call("GET", "/subjects", null, null);
    a.requireOk("list the subjects of");
    if (a.body == null || !a.body.isArray()) {
      throw a.error("list the subjects of", "the answer is not a JSON array");
    }
    List<String> out = new ArrayList<>(a.body.size());
    a.body.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * Deletes a subject and all its versions, soft then permanently ({@code DELETE /subjects/{subject}}, then with
   * {@code ?permanent=true}); a subject that does not exist is ignored. Meant for tests and tooling. Clears this
   * client's (subject, schema) cache for the subject.
   *
   * @throws SchemaRegistryException on other failures
   */
  public void deleteSubject(String subject) {
    idsBySubjectSchema.keySet().removeIf(k -> k.subject.equals(subject));
    Answer soft = call("DELETE", "/subjects/" + segment(subject), null, subject);
    if (soft.status != 404) {
      soft.requireOk("delete");
    }
    Answer hard = call("DELETE", "/subjects/" + segment(subject) + "?permanent=true", null, subject);
    if (hard.status != 404) {
      hard.requireOk("permanently delete");
    }
  }

  @Override
  public String toString() {
    return "SchemaRegistryClient{" + baseUrl + "}";
  }

  // ---------------------------------------------------------------------------------------------------------

  private static String segment(String subject) {
    Objects.requireNonNull(subject, "subject");
    if (subject.isEmpty()) {
      throw new IllegalArgumentException("subject must not be empty");
    }
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Answer call(String method, String path, JsonNode body, String subject) {
    String url = baseUrl + path;
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", CONTENT_TYPE + ", application/json");
    if (body != null) {
      byte[] bytes;
      try {
        bytes = json.writeValueAsBytes(body);
      } catch (IOException e) {
        throw new IllegalStateException("cannot encode a request body", e);
      }
      rb.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
    } else {
      rb.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpRequest request = rb.build();
    long backoff = FIRST_BACKOFF_MS;
    for (int attempt = 1; ; attempt++) {
      Answer a;
      try {
        HttpResponse<byte[]> resp = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        a = new Answer(method, url, subject, resp.statusCode(), resp.body());
      } catch (IOException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new SchemaRegistryException(
              "schema registry call " + method + " " + url + about(subject) + " failed after " + attempt
                  + " attempts: " + e,
              -1, -1, subject, url, e);
        }
        LOG.warn("Schema registry call {} {} failed ({}), retrying in {} ms", method, url, e.toString(), backoff);
        sleep(backoff, method, url, subject);
        backoff *= 2;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(
            "interrupted during schema registry call " + method + " " + url + about(subject), -1, -1, subject, url, e);
      }
      if (a.status >= 500 && attempt < MAX_ATTEMPTS) {
        LOG.warn("Schema registry call {} {} answered HTTP {}, retrying in {} ms", method, url, a.status, backoff);
        sleep(backoff, method, url, subject);
        backoff *= 2;
        continue;
      }
      return a;
    }
  }

  private static void sleep(long ms, String method, String url, String subject) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(
          "interrupted during schema registry call " + method + " " + url + about(subject), -1, -1, subject, url, e);
    }
  }

  private static String about(String subject) {
    return subject == null ? "" : " (subject '" + subject + "')";
  }

  /** One HTTP answer, with the body parsed as JSON where possible. */
  private final class Answer {
    final String method;
    final String url;
    final String subject;
    final int status;
    final JsonNode body;
    final String raw;
    final int errorCode;

    Answer(String method, String url, String subject, int status, byte[] bytes) {
      this.method = method;
      this.url = url;
      this.subject = subject;
      this.status = status;
      this.raw = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
      JsonNode parsed = null;
      if (bytes != null && bytes.length > 0) {
        try {
          parsed = json.readTree(bytes);
        } catch (IOException e) {
          parsed = null;
        }
      }
      this.body = parsed;
      JsonNode code = parsed == null ? null : parsed.get("error_code");
      this.errorCode = code != null && code.canConvertToInt() ? code.asInt() : -1;
    }

    void requireOk(String action) {
      if (status < 200 || status >= 300) {
        String msg = body != null && body.hasNonNull("message") ? body.get("message").asText() : abbreviate(raw);
        throw error(action, "HTTP " + status + (errorCode != -1 ? " error_code " + errorCode : "") + ": " + msg);
      }
    }

    SchemaRegistryException error(String action, String detail) {
      String target = subject == null ? "the schema registry" : "subject '" + subject + "'";
      return new SchemaRegistryException(
          "cannot " + action + " " + target + " (" + method + " " + url + "): " + detail, status, errorCode, subject,
          url, null);
    }

    int requireInt(String field) {
      JsonNode n = body == null ? null : body.get(field);
      if (n == null || !n.canConvertToInt()) {
        throw error("read the answer about", "field '" + field + "' is missing or not an int in " + abbreviate(raw));
      }
      return n.asInt();
    }

    Schema parseSchema(String field) {
      JsonNode n = body == null ? null : body.get(field);
      if (n == null || !n.isTextual()) {
        throw error("read a schema from", "field '" + field + "' is missing or not a string in " + abbreviate(raw));
      }
      try {
        return new Schema.Parser().parse(n.asText());
      } catch (SchemaParseException e) {
        throw error("parse the Avro schema from", e.getMessage());
      }
    }

    CompatibilityLevel level() {
      JsonNode n = body == null ? null : body.get("compatibilityLevel");
      if (n == null) {
        n = body == null ? null : body.get("compatibility");
      }
      if (n == null || !n.isTextual()) {
        throw error("read the compatibility level of", "no compatibilityLevel in " + abbreviate(raw));
      }
      try {
        return CompatibilityLevel.valueOf(n.asText().trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw error("read the compatibility level of", "'" + n.asText() + "' is not a compatibility level");
      }
    }

    private String abbreviate(String s) {
      return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }
  }

  /** Cache key: a subject and a schema (Avro schema equality). */
  private record SubjectSchema(String subject, Schema schema) {
    SubjectSchema {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(schema, "schema");
    }
  }
}
