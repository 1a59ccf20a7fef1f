package fabric.drills.check;

/**
 * DynamoDB transactions broke their promise: an atomic read (TransactGetItems) whose accounts
 * do not sum to what transfers keep constant ({@link #TORN_READ}), a balance below zero
 * although every debit is conditional on {@code balance >= amount} ({@link
 * #NEGATIVE_BALANCE}), the final atomic read's sum not the initial one ({@link #FINAL_SUM}),
 * or a ledger item read back with another value than the acknowledged put wrote ({@link
 * #WRONG_VALUE}). (A ledger item that is gone is a {@link LostWrite}.)
 *
 * @param key the table
 * @param atNanos when the offending read completed
 */
public record DynamoViolation(String key, String kind, long atNanos, String message)
    implements Violation {
  public static final String TORN_READ = "torn_read";
  public static final String NEGATIVE_BALANCE = "negative_balance";
  public static final String FINAL_SUM = "final_sum";
  public static final String WRONG_VALUE = "wrong_value";
}
