package io.tributary.sink.kafka;

import io.tributary.config.Stage;
import io.tributary.schema.TableId;

/**
 * A change that could not be turned into Kafka records (stage {@link Stage#SERIALIZE}): a value that does not fit
 * its Avro type, or a table the sink was not prepared for. The message names the stage, sink, topic, table and
 * column.
 */
public class ChangeSerializationException extends KafkaSinkException {
  private static final long serialVersionUID = 1L;
  private final TableId tableId;

  /**
   * @param tableId the change's table
   * @param message where and why
   * @param cause the conversion error, or null
   */
  public ChangeSerializationException(TableId tableId, String message, Throwable cause) {
    super(message, cause);
    this.tableId = tableId;
  }

  /** The table of the change that failed. */
  public TableId tableId() {
    return tableId;
  }

  /** Always {@link Stage#SERIALIZE}. */
  public Stage stage() {
    return Stage.SERIALIZE;
  }
}
