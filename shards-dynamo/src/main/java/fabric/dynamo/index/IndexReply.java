package fabric.dynamo.index;

import fabric.core.entity.Reply;
import fabric.core.serialization.CborSerializable;
import java.util.Map;

/** What an index entity answers (besides {@link fabric.core.entity.Rejected}). */
public sealed interface IndexReply extends Reply, CborSerializable {
  record Done() implements IndexReply {}

  /** DescribeTable's view: status null = not initialized (or dropped). */
  record Status(String status, int itemCount, long sizeBytes, Map<String, Long> cursors)
      implements IndexReply {}
}
