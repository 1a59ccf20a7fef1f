package fabric.dynamo.partition;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;

/**
 * A partition's write capacity as DynamoDB meters it: one WCU per started KB of the larger
 * of the old and new item, and, for a PROVISIONED table, a token bucket refilled at the
 * partition's share of the table's WCU per second holding up to 300 s of unused capacity
 * (DynamoDB's burst). Event-sourced like the items (each write event carries its units), so
 * a new leader throttles exactly as the old one would have.
 *
 * @param perSecond 0 = on demand (never throttled)
 */
public record WriteCapacity(double perSecond, double tokens, long atMillis)
    implements CborSerializable {
  public static final int BURST_SECONDS = 300;
  public static final WriteCapacity ON_DEMAND = new WriteCapacity(0, 0, 0);

  public static WriteCapacity provisioned(double perSecond, long nowMillis) {
    return new WriteCapacity(perSecond, perSecond * BURST_SECONDS, nowMillis);
  }

  /** WCUs of a write: the larger item, 1 KB per unit, at least 1. */
  public static double units(Item old, Item written) {
    int size = Math.max(old == null ? 0 : old.sizeBytes(),
        written == null ? 0 : written.sizeBytes());
    return Math.max(1, Math.ceil(size / 1024.0));
  }

  private double tokensAt(long nowMillis) {
    double refill = Math.max(0, nowMillis - atMillis) / 1000.0 * perSecond;
    return Math.min(perSecond * BURST_SECONDS, tokens + refill);
  }

  /** Refuses a write the bucket cannot pay for, with DynamoDB's exception. */
  public void check(double units, long nowMillis) {
    if (perSecond > 0 && tokensAt(nowMillis) < units) {
      throw DynamoErrors.ProvisionedThroughputExceededException.exception("The level of "
          + "configured provisioned throughput for the table was exceeded. Consider "
          + "increasing your provisioning level with the UpdateTable API.");
    }
  }

  public WriteCapacity consume(double units, long atMillisOfWrite) {
    if (perSecond == 0) {
      return this;
    }
    long at = Math.max(atMillis, atMillisOfWrite);
    return new WriteCapacity(perSecond, tokensAt(at) - units, at);
  }
}
