package fabric.dynamo.model;

import fabric.core.error.ServiceException;
import java.util.List;
import java.util.Optional;

/**
 * The items a DynamoDB error carries besides its code and message: the current item of a
 * ConditionalCheckFailedException whose request asked ReturnValuesOnConditionCheckFailure
 * ALL_OLD, the cancellation reasons of a TransactionCanceledException (each with its item
 * when asked). It rides as the cause of the {@link ServiceException} from the service to the
 * protocol adapter (in one JVM: the partitions answer them as replies, not errors), which
 * puts it where a client reads it (gRPC: the status details).
 */
public final class ErrorItems extends RuntimeException {
  /** One TransactItem's outcome: {@code code} "None" for one that was fine. */
  public record Reason(String code, String message, Item item) {}

  private final transient Item item;
  private final transient List<Reason> reasons;

  private ErrorItems(Item item, List<Reason> reasons) {
    super("items of a DynamoDB error", null, false, false);
    this.item = item;
    this.reasons = List.copyOf(reasons);
  }

  /** The ConditionalCheckFailedException, with {@code item} (the current one, if any). */
  public static ServiceException conditionalCheckFailed(Item item) {
    return new ServiceException(DynamoErrors.ConditionalCheckFailedException.withMessage(
        "The conditional request failed"), item == null ? null
        : new ErrorItems(item, List.of()));
  }

  /** The TransactionCanceledException with its reasons, one per TransactItem in order. */
  public static ServiceException transactionCanceled(List<Reason> reasons) {
    return new ServiceException(DynamoErrors.TransactionCanceledException.withMessage(
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
            + reasons.stream().map(Reason::code).toList()), new ErrorItems(null, reasons));
  }

  public static Optional<ErrorItems> of(ServiceException e) {
    return e.getCause() instanceof ErrorItems items ? Optional.of(items) : Optional.empty();
  }

  /** The ConditionalCheckFailedException's item; null for a transaction's error. */
  public Item item() {
    return item;
  }

  /** A TransactionCanceledException's reasons; empty otherwise. */
  public List<Reason> reasons() {
    return reasons;
  }
}
