package io.tributary.schema.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject in the schema registry.
 *
 * @param subject the subject, for example {@code shop.public.orders-value}
 * @param version the subject's version number, from 1
 * @param id the registry-wide schema id (the id written into the wire format)
 * @param schema the parsed Avro schema, never null
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
  /** @throws NullPointerException if subject or schema is null */
  public RegisteredSchema {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
  }
}
