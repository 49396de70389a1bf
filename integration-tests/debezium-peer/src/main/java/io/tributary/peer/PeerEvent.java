package io.tributary.peer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the peer's stdout protocol: a flat JSON object with an {@code "event"} name and further fields whose
 * values are strings, whole numbers (Long), decimals (Double), booleans or null; nested objects and arrays are not
 * part of the protocol. Needs only the JDK, so the parent side ({@link DebeziumPeerProcess}) can parse what the child
 * ({@link DebeziumPeer}) prints with the same class.
 *
 * <p>Events, in order: {@code started} (fields {@code pid}, {@code topic}, {@code slot}, {@code format}), {@code
 * streaming} (the connector's replication stream is connected; {@code ms}), {@code snapshot-complete} ({@code records}:
 * snapshot rows acked by Kafka; {@code ms}: milliseconds from engine start to the ack of the last snapshot record;
 * {@code skipped}: true when no snapshot ran; {@code firstRecordMs}: engine start to the first batch; and the writer's
 * timings so far: {@code batches}, {@code convertMs}, {@code sendMs}, {@code flushMs}, {@code commitMs}), {@code
 * progress} every {@code progress.interval.ms} ({@code records}: records handed to the producer, tombstones included,
 * {@code acked}: records acked by Kafka and marked processed, {@code snapshotRecords}, {@code ms} since engine start), {@code failed} ({@code
 * message}) and finally a last {@code progress} and {@code stopped} ({@code records}, {@code acked}, {@code ms} and the
 * writer's timings).
 */
public final class PeerEvent {
  /** Name of the field holding the event name. */
  public static final String EVENT = "event";

  private final String name;
  private final Map<String, Object> fields;

  private PeerEvent(String name, Map<String, Object> fields) {
    this.name = name;
    this.fields = Collections.unmodifiableMap(fields);
  }

  /**
   * Creates an event.
   *
   * @param name the event name, not null
   * @param fields further fields in print order (String, Long/Integer, Double, Boolean or null values); the key {@value
   *     #EVENT} is reserved
   * @return the event
   * @throws IllegalArgumentException if a value has another type or a key is {@value #EVENT}
   */
  public static PeerEvent of(String name, Map<String, ?> fields) {
    Objects.requireNonNull(name, "name");
    Map<String, Object> copy = new LinkedHashMap<>();
    copy.put(EVENT, name);
    fields.forEach((k, v) -> {
      if (EVENT.equals(k)) {
        throw new IllegalArgumentException("the field name '" + EVENT + "' is reserved");
      }
      copy.put(k, normalize(k, v));
    });
    return new PeerEvent(name, copy);
  }

  /**
   * Creates an event from alternating field names and values.
   *
   * @param name the event name
   * @param keysAndValues {@code key1, value1, key2, value2, ...}
   * @return the event
   * @throws IllegalArgumentException on an odd number of arguments, a non-String key or an unsupported value type
   */
  public static PeerEvent of(String name, Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must come in pairs");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (!(keysAndValues[i] instanceof String key)) {
        throw new IllegalArgumentException("field name " + keysAndValues[i] + " is not a String");
      }
      m.put(key, keysAndValues[i + 1]);
    }
    return of(name, m);
  }

  private static Object normalize(String key, Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    throw new IllegalArgumentException(
        "field " + key + ": " + v.getClass().getName() + " is not a protocol value (String, number, boolean, null)");
  }

  /** @return the event name, never null */
  public String name() {
    return name;
  }

  /** @return every field including {@value #EVENT}, in print order; unmodifiable */
  public Map<String, Object> fields() {
    return fields;
  }

  /**
   * @param key a field name
   * @return the field's value, or empty when the field is absent or null
   */
  public Optional<Object> get(String key) {
    return Optional.ofNullable(fields.get(key));
  }

  /**
   * @param key a field name
   * @return the field as a long
   * @throws IllegalStateException if the field is absent or not a whole number
   */
  public long getLong(String key) {
    Object v = fields.get(key);
    if (v instanceof Long l) {
      return l;
    }
    throw new IllegalStateException("event " + name + " has no whole-number field '" + key + "': " + toJson());
  }

  /**
   * @param key a field name
   * @param fallback returned when the field is absent or not a whole number
   * @return the field as a long, or {@code fallback}
   */
  public long getLong(String key, long fallback) {
    return fields.get(key) instanceof Long l ? l : fallback;
  }

  /**
   * @param key a field name
   * @return the field as a string (numbers and booleans in their JSON form), or null when absent or null
   */
  public String getString(String key) {
    Object v = fields.get(key);
    return v == null ? null : v.toString();
  }

  /** @return this event as one line of JSON (no line break) */
  public String toJson() {
    StringBuilder b = new StringBuilder(64).append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      quote(b, e.getKey());
      b.append(':');
      Object v = e.getValue();
      if (v == null) {
        b.append("null");
      } else if (v instanceof String s) {
        quote(b, s);
      } else if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
        b.append("null");
      } else {
        b.append(v);
      }
    }
    return b.append('}').toString();
  }

  @Override
  public String toString() {
    return toJson();
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /**
   * Parses one protocol line.
   *
   * @param line a flat JSON object with a string field {@value #EVENT}
   * @return the event
   * @throws IllegalArgumentException if the line is not such an object (nested values included); the message quotes
   *     the line
   */
  public static PeerEvent parse(String line) {
    Parser p = new Parser(line);
    Map<String, Object> m = p.object();
    if (!(m.get(EVENT) instanceof String name)) {
      throw new IllegalArgumentException("not a peer event (no string field '" + EVENT + "'): " + line);
    }
    return new PeerEvent(name, m);
  }

  /** A strict parser for flat JSON objects. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Map<String, Object> object() {
      Map<String, Object> m = new LinkedHashMap<>();
      skipWs();
      expect('{');
      skipWs();
      if (peek() == '}') {
        i++;
      } else {
        while (true) {
          skipWs();
          String key = string();
          skipWs();
          expect(':');
          skipWs();
          m.put(key, value());
          skipWs();
          char c = next();
          if (c == '}') {
            break;
          }
          if (c != ',') {
            throw fail("',' or '}' expected");
          }
        }
      }
      skipWs();
      if (i != s.length()) {
        throw fail("end of line expected");
      }
      return m;
    }

    private Object value() {
      char c = peek();
      if (c == '"') {
        return string();
      }
      if (s.startsWith("true", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("false", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      if (s.startsWith("null", i)) {
        i += 4;
        return null;
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
          i++;
        }
        String num = s.substring(start, i);
        try {
          if (num.indexOf('.') < 0 && num.indexOf('e') < 0 && num.indexOf('E') < 0) {
            return Long.parseLong(num);
          }
          return Double.parseDouble(num);
        } catch (NumberFormatException e) {
          throw fail("bad number " + num);
        }
      }
      throw fail("a string, number, boolean or null expected");
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw fail("bad \\u escape");
            }
            try {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException ex) {
              throw fail("bad \\u escape");
            }
            i += 4;
          }
          default -> throw fail("bad escape \\" + e);
        }
      }
    }

    private void skipWs() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw fail("unexpected end");
      }
      return s.charAt(i);
    }

    private char next() {
      char c = peek();
      i++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        i--;
        throw fail("'" + c + "' expected");
      }
    }

    private IllegalArgumentException fail(String what) {
      return new IllegalArgumentException("not a peer event (" + what + " at column " + (i + 1) + "): " + s);
    }
  }
}
