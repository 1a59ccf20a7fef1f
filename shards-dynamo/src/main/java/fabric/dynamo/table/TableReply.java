package fabric.dynamo.table;

import fabric.core.entity.Reply;
import fabric.core.serialization.CborSerializable;

/** What a table entity answers (besides {@link fabric.core.entity.Rejected}). */
public sealed interface TableReply extends Reply, CborSerializable {
  /** The table as DescribeTable shows it (the service adds counts and ARNs). */
  record Description(TableState table) implements TableReply {}
}
