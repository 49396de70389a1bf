package io.tributary.schema.registry;

/**
 * A failed call to the schema registry (unchecked). Carries the HTTP status and the Confluent error code of the
 * registry's answer (Confluent Schema Registry API reference, "Errors"): {@value #SUBJECT_NOT_FOUND} subject not
 * found, {@value #VERSION_NOT_FOUND} version not found, {@value #SCHEMA_NOT_FOUND} schema not found, HTTP 409 /
 * {@value #INCOMPATIBLE_SCHEMA} incompatible schema, {@value #INVALID_SCHEMA} invalid schema. The message names
 * the subject (where there is one) and the URL.
 */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Confluent error code: subject not found. */
  public static final int SUBJECT_NOT_FOUND = 40401;
  /** Confluent error code: version not found. */
  public static final int VERSION_NOT_FOUND = 40402;
  /** Confluent error code: schema not found. */
  public static final int SCHEMA_NOT_FOUND = 40403;
  /** Confluent error code: incompatible schema (HTTP 409). */
  public static final int INCOMPATIBLE_SCHEMA = 40901;
  /** Confluent error code: invalid schema (HTTP 422). */
  public static final int INVALID_SCHEMA = 42201;

  private final int httpStatus;
  private final int errorCode;
  private final String subject;
  private final String url;

  /**
   * @param message full message (already naming subject and URL)
   * @param httpStatus the HTTP status, or -1 when no answer came (I/O failure)
   * @param errorCode the Confluent error code of the answer, or -1 when it had none
   * @param subject the subject of the call, or null
   * @param url the URL called, never null
   * @param cause the cause, or null
   */
  public SchemaRegistryException(
      String message, int httpStatus, int errorCode, String subject, String url, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.subject = subject;
    this.url = url;
  }

  /** The HTTP status of the registry's answer, or -1 when the call got no answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The Confluent error code ({@code error_code} of the answer body), or -1 when there was none. */
  public int errorCode() {
    return errorCode;
  }

  /** The subject of the failed call, or null. */
  public String subject() {
    return subject;
  }

  /** The URL of the failed call. */
  public String url() {
    return url;
  }

  /** Whether the registry rejected a schema as incompatible (HTTP 409 or error code 40901). */
  public boolean isIncompatible() {
    return httpStatus == 409 || errorCode == INCOMPATIBLE_SCHEMA;
  }

  /** Whether the registry rejected a schema as invalid (error code 42201, or 42201-like HTTP 422). */
  public boolean isInvalidSchema() {
    return errorCode == INVALID_SCHEMA || httpStatus == 422;
  }

  /** Whether the answer was HTTP 404 (subject, version or schema not found). */
  public boolean isNotFound() {
    return httpStatus == 404;
  }

  /** Whether retrying may help: no answer (I/O failure) or an HTTP 5xx status. */
  public boolean isRetriable() {
    return httpStatus == -1 || httpStatus >= 500;
  }
}
