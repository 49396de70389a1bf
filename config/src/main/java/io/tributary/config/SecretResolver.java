package io.tributary.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves secret references inside pipeline YAML values, so that secrets stay out of the file.
 *
 * <p>Two forms are recognised anywhere inside a scalar value, any number of times:
 *
 * <ul>
 *   <li>{@code ${env:NAME}}: the value of environment variable {@code NAME};
 *   <li>{@code ${file:PATH}}: the content of a UTF-8 file, without trailing line breaks (CR and LF); a relative
 *       {@code PATH} is resolved against a base directory (the pipeline file's directory when parsing a file).
 * </ul>
 *
 * <p>Any other {@code ${kind:...}} form is an error. {@code ${database}}-style routing variables (no colon) are left
 * alone for {@link Templates}. Error messages name the reference, never a resolved value. There is no escape for a
 * literal {@code ${env:}}.
 */
public final class SecretResolver {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_-]*):([^}]*)}");

  private final Function<String, String> env;

  /**
   * @param env looks up an environment variable by name, returning null when it is not set; {@code System::getenv}
   *     in production, a map in tests
   */
  public SecretResolver(Function<String, String> env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  /** A resolver reading the process environment ({@link System#getenv(String)}). */
  public static SecretResolver fromSystem() {
    return new SecretResolver(System::getenv);
  }

  /** A resolver whose environment is exactly {@code env} (for tests). */
  public static SecretResolver withEnv(Map<String, String> env) {
    Map<String, String> copy = Map.copyOf(env);
    return new SecretResolver(copy::get);
  }

  /** Whether {@code value} contains at least one {@code ${kind:...}} reference; false for null. */
  public static boolean hasReference(String value) {
    return value != null && REFERENCE.matcher(value).find();
  }

  /** {@code value} with every {@code ${kind:...}} reference removed (for checks that must not see secrets). */
  public static String withoutReferences(String value) {
    return REFERENCE.matcher(value).replaceAll("");
  }

  /**
   * Replaces every reference in {@code value}; text around references is kept.
   *
   * @param value a raw YAML scalar, not null
   * @param baseDir directory against which relative {@code ${file:...}} paths resolve
   * @return the value with references replaced; {@code value} itself when it holds none
   * @throws IllegalArgumentException for the first reference that cannot be resolved (variable not set, file
   *     missing, unreadable, not UTF-8, or an unknown kind); the message names the reference and never a value
   */
  public String resolve(String value, Path baseDir) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String kind = m.group(1);
      String arg = m.group(2).trim();
      String replacement;
      switch (kind) {
        case "env":
          replacement = envValue(m.group(), arg);
          break;
        case "file":
          replacement = fileValue(m.group(), arg, baseDir);
          break;
        default:
          throw new IllegalArgumentException(
              "unknown reference " + m.group() + "; use ${env:NAME} or ${file:PATH}");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private String envValue(String reference, String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException(reference + " names no environment variable; write ${env:NAME}");
    }
    String v = env.apply(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "environment variable " + name + " referenced by " + reference + " is not set");
    }
    return v;
  }

  private static String fileValue(String reference, String pathText, Path baseDir) {
    if (pathText.isEmpty()) {
      throw new IllegalArgumentException(reference + " names no file; write ${file:PATH}");
    }
    Path path;
    try {
      path = Path.of(pathText);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("file path in " + reference + " is not a valid path");
    }
    if (!path.isAbsolute() && baseDir != null) {
      path = baseDir.resolve(path);
    }
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException("file " + path + " referenced by " + reference + " is a directory");
    }
    try {
      return stripTrailingLineBreaks(Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("file " + path + " referenced by " + reference + " does not exist");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("file " + path + " referenced by " + reference + " is not readable");
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("file " + path + " referenced by " + reference + " is not UTF-8 text");
    } catch (IOException e) {
      // The exception's own message can echo bytes read; name only its type.
      throw new IllegalArgumentException(
          "file " + path + " referenced by " + reference + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static String stripTrailingLineBreaks(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }
}
