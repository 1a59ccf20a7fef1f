package fabric.dynamo.stream;

import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import java.util.Map;

/**
 * One DynamoDB Streams record: a change of one item, in the order of its partition's
 * journal.
 *
 * @param eventName INSERT, MODIFY or REMOVE
 * @param newImage null unless the view type includes it (NEW_IMAGE, NEW_AND_OLD_IMAGES)
 * @param oldImage null unless the view type includes it (OLD_IMAGE, NEW_AND_OLD_IMAGES)
 * @param sequenceNumber the journal sequence number, as DynamoDB's decimal string
 * @param byService true for a TTL deletion (user identity: the DynamoDB service)
 */
public record StreamRecord(String eventId, String eventName, Map<String, AttributeValue> keys,
    Item newImage, Item oldImage, String sequenceNumber, long sizeBytes,
    long approximateCreationMillis, String streamViewType, boolean byService) {}
