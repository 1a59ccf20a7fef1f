package fabric.kinesis.stream;

import fabric.core.serialization.CborSerializable;

/** An enhanced fan-out consumer of a stream. @param status CREATING, ACTIVE or DELETING */
public record Consumer(String name, String arn, String status, long createdMillis)
    implements CborSerializable {}
