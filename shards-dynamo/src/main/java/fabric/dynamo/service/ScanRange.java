package fabric.dynamo.service;

import fabric.dynamo.model.DynamoErrors;
import java.math.BigInteger;

/**
 * The partition-key tokens a Scan covers: all of them, or segment {@code segment} of
 * {@code totalSegments} equal slices (a parallel scan), as DynamoDB splits a table's key
 * space among parallel scanners.
 */
record ScanRange(long fromToken, long toToken) {
  static final int MAX_SEGMENTS = 1_000_000;
  private static final BigInteger SPACE = BigInteger.ONE.shiftLeft(64);

  static ScanRange of(Integer segment, Integer totalSegments) {
    if (segment == null && totalSegments == null) {
      return new ScanRange(Long.MIN_VALUE, Long.MAX_VALUE);
    }
    if (segment == null || totalSegments == null) {
      throw DynamoErrors.validation("The TotalSegments parameter is required but was not "
          + "present in the request when Segment parameter is present");
    }
    if (totalSegments < 1 || totalSegments > MAX_SEGMENTS) {
      throw DynamoErrors.validation("1 validation error detected: Value '" + totalSegments
          + "' at 'totalSegments' failed to satisfy constraint: Member must have value less "
          + "than or equal to " + MAX_SEGMENTS + " and greater than or equal to 1");
    }
    if (segment < 0 || segment >= totalSegments) {
      throw DynamoErrors.validation("The Segment parameter is zero-based and must be less "
          + "than parameter TotalSegments: Segment: " + segment + " is not less than "
          + "TotalSegments: " + totalSegments);
    }
    BigInteger min = BigInteger.valueOf(Long.MIN_VALUE);
    long from = min.add(SPACE.multiply(BigInteger.valueOf(segment))
        .divide(BigInteger.valueOf(totalSegments))).longValueExact();
    long to = min.add(SPACE.multiply(BigInteger.valueOf(segment + 1L))
        .divide(BigInteger.valueOf(totalSegments))).subtract(BigInteger.ONE).longValueExact();
    return new ScanRange(from, to);
  }

  boolean contains(long token) {
    return token >= fromToken && token <= toToken;
  }
}
