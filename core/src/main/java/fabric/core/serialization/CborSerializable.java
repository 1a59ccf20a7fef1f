package fabric.core.serialization;

/**
 * Marker for every command, event, reply and state that crosses the network or goes into
 * the journal: bound to Pekko's Jackson CBOR serializer in core's reference.conf. Records
 * only; adding a field is a compatible change (old events read the new field as null).
 */
public interface CborSerializable {}
