package fabric.kinesis.stream;

import fabric.core.entity.Reply;
import fabric.core.serialization.CborSerializable;

/** What a stream entity answers (besides {@link fabric.core.entity.Rejected}). */
public sealed interface StreamReply extends Reply, CborSerializable {
  record Description(StreamState stream) implements StreamReply {}
}
