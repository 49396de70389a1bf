package io.tributary.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The few calls of Flink's REST API (1.20) the cluster tests make, over {@code java.net.http}: jar upload and run,
 * job status and exceptions, stop-with-savepoint. Responses are JSON trees; any status other than 2xx becomes a
 * {@link FlinkRestException} carrying Flink's {@code errors} text (which, for {@code /jars/{id}/run}, holds the
 * stack trace of the program's {@code main}).
 */
final class FlinkRestClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  /** @param base {@code http://host:port} of the JobManager's REST endpoint */
  FlinkRestClient(URI base) {
    this.base = base;
  }

  /**
   * GET a path.
   *
   * @param path for example {@code /overview}
   * @return the JSON answer
   * @throws FlinkRestException on a non-2xx status
   * @throws IOException if the endpoint cannot be reached
   */
  JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET(), path);
  }

  /**
   * Uploads a job jar ({@code POST /jars/upload}, multipart field {@code jarfile}).
   *
   * @param jar the jar file
   * @return the jar id used by {@link #runJar} (the file name Flink stored it under)
   * @throws FlinkRestException on a non-2xx status
   */
  String uploadJar(Path jar) throws IOException, InterruptedException {
    String boundary = "tributary-" + UUID.randomUUID();
    String head = "--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
        + "Content-Type: application/x-java-archive\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
        HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
        HttpRequest.BodyPublishers.ofFile(jar),
        HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8));
    JsonNode answer = send(HttpRequest.newBuilder(base.resolve("/jars/upload"))
        .timeout(Duration.ofMinutes(2))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(body), "/jars/upload");
    String stored = answer.path("filename").asText();
    if (!"success".equals(answer.path("status").asText()) || stored.isEmpty()) {
      throw new FlinkRestException("/jars/upload", 200, answer.toString());
    }
    return Path.of(stored).getFileName().toString();
  }

  /**
   * Runs an uploaded jar's main class on the JobManager ({@code POST /jars/{id}/run}).
   *
   * @param jarId from {@link #uploadJar}
   * @param programArgs the program arguments, unsplit
   * @return the id of the job the program submitted
   * @throws FlinkRestException on a non-2xx status (the program failed; the message holds its stack trace)
   */
  String runJar(String jarId, List<String> programArgs) throws IOException, InterruptedException {
    ObjectNode request = JSON.createObjectNode();
    request.putArray("programArgsList").addAll(programArgs.stream().map(JSON.getNodeFactory()::textNode).toList());
    String path = "/jars/" + jarId + "/run";
    JsonNode answer = send(post(path, request, Duration.ofMinutes(3)), path);
    return answer.path("jobid").asText();
  }

  /**
   * @return {@code GET /jobs/{id}}: {@code state}, {@code vertices[].status}, ...
   */
  JsonNode job(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId);
  }

  /**
   * The job's most recent failure, if any ({@code GET /jobs/{id}/exceptions}): the stack trace of the newest entry
   * of the exception history, else the root exception.
   *
   * @return the stack trace, or null when the job has not failed
   */
  String latestException(String jobId) throws IOException, InterruptedException {
    JsonNode answer = get("/jobs/" + jobId + "/exceptions");
    JsonNode entries = answer.path("exceptionHistory").path("entries");
    if (entries.isArray() && !entries.isEmpty()) {
      JsonNode newest = entries.get(0);
      return newest.path("taskName").asText("(job)") + " on " + newest.path("location").asText("?") + ": "
          + newest.path("stacktrace").asText();
    }
    JsonNode root = answer.path("root-exception");
    return root.isMissingNode() || root.isNull() || root.asText().isEmpty() ? null : root.asText();
  }

  /**
   * Triggers stop-with-savepoint ({@code POST /jobs/{id}/stop}, no drain).
   *
   * @param targetDirectory a file URI, or null for the cluster's default savepoint directory
   * @return the trigger id to poll with {@link #savepointStatus}
   */
  String stopWithSavepoint(String jobId, String targetDirectory) throws IOException, InterruptedException {
    ObjectNode request = JSON.createObjectNode();
    request.put("drain", false);
    if (targetDirectory != null) {
      request.put("targetDirectory", targetDirectory);
    }
    String path = "/jobs/" + jobId + "/stop";
    return send(post(path, request, Duration.ofSeconds(30)), path).path("request-id").asText();
  }

  /**
   * @return {@code GET /jobs/{id}/savepoints/{triggerId}}: {@code status.id} IN_PROGRESS or COMPLETED, then
   *     {@code operation.location} or {@code operation.failure-cause}
   */
  JsonNode savepointStatus(String jobId, String triggerId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/savepoints/" + triggerId);
  }

  private HttpRequest.Builder post(String path, JsonNode body, Duration timeout) throws IOException {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
  }

  private JsonNode send(HttpRequest.Builder request, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new FlinkRestException(path, response.statusCode(), errors(response.body()));
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable answer from " + path + ": " + response.body(), e);
    }
  }

  private static String errors(String body) {
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      if (errors.isArray()) {
        StringBuilder text = new StringBuilder();
        errors.forEach(e -> text.append(e.asText()).append('\n'));
        return text.toString();
      }
    } catch (IOException e) {
      // not JSON: return it as is
    }
    return body;
  }

  /** A REST call answered with a non-2xx status. */
  static final class FlinkRestException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    FlinkRestException(String path, int status, String errors) {
      super(path + " answered HTTP " + status + ": " + errors);
      this.status = status;
    }

    /** @return the HTTP status */
    int status() {
      return status;
    }
  }
}
