package fabric.kinesis.service;

import fabric.core.error.ServiceException;
import fabric.core.index.NameIndexDefinition;
import fabric.kinesis.model.KinesisErrors;
import fabric.kinesis.stream.StreamCommand;
import fabric.kinesis.stream.StreamState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The account's shard quota (AWS: open shards per account per region, 500 in the large
 * regions; {@code fabric.kinesis.max-open-shards}): the open shards of every stream the
 * account's name index lists in this region, summed (DescribeLimits), and the check that
 * CreateStream, SplitShard and UpdateShardCount make before they add shards.
 *
 * <p>The check is check-then-act, not a reservation: requests of one account that run at the
 * same time each count the streams before the others' shards exist, so together they can
 * pass the quota by at most the shards those concurrent requests add (a split adds 1, a
 * scale-up at most the stream's open count, a create at most the quota). Making it exact
 * needs an account-level entity that every change of an open count goes through; the quota
 * guards against runaway use, not a billing boundary, so the bound is accepted for now. A
 * stream created before its name is registered in the index is not counted either (the
 * same window).
 */
final class AccountShards {
  /** Stream names read per page of the account's name index. */
  static final int NAMES_PAGE = 1_000;

  private AccountShards() {}

  /** What the account's streams in this region use. */
  record Usage(int openShards, int onDemandStreams) {}

  static CompletionStage<Usage> usage(KinesisService kinesis, String account) {
    return count(kinesis, account, null, new Usage(0, 0));
  }

  /**
   * Completes when {@code adding} more open shards keep the account within the quota, else
   * fails with LimitExceededException naming what was asked.
   */
  static CompletionStage<Usage> reserve(KinesisService kinesis, String account, int adding,
      String request) {
    int limit = kinesis.settings().maxOpenShards();
    if (adding > limit) { // past it whatever the account has: no need to count
      return CompletableFuture.failedFuture(KinesisErrors.LimitExceededException.exception(
          "This request would exceed the shard limit for the account " + account + ": "
          + request + " asks for " + adding + " open shards, the limit is " + limit + "."));
    }
    return usage(kinesis, account).thenApply(u -> {
      if ((long) u.openShards() + adding > limit) {
        throw exceeded(account, request, adding, u.openShards(), limit);
      }
      return u;
    });
  }

  private static ServiceException exceeded(String account, String request, int adding,
      int open, int limit) {
    return KinesisErrors.LimitExceededException.exception("This request would exceed the "
        + "shard limit for the account " + account + ": " + request + " adds " + adding
        + " open shards to the account's " + open + ", the limit is " + limit + ".");
  }

  /** Adds the streams after {@code after} in the account's name index to {@code sum}. */
  private static CompletionStage<Usage> count(KinesisService kinesis, String account,
      String after, Usage sum) {
    return kinesis.entities().ask(KinesisService.STREAM_NAMES.typeKey(),
        account + "/" + kinesis.region(),
        r -> new NameIndexDefinition.ListNames("", after, NAMES_PAGE, r),
        NameIndexDefinition.Names.class).thenCompose(page -> {
          CompletableFuture<?>[] described = page.names().stream()
              .map(n -> kinesis.ask(new StreamId(kinesis.region(), account, n),
                  StreamCommand.Describe::new).toCompletableFuture()
                  .exceptionally(AccountShards::deletedMeanwhile))
              .toArray(CompletableFuture[]::new);
          return CompletableFuture.allOf(described).thenCompose(v -> {
            int open = sum.openShards();
            int onDemand = sum.onDemandStreams();
            for (CompletableFuture<?> f : described) {
              StreamState s = (StreamState) f.join();
              if (s != null && s.exists()) {
                open += (int) s.openShardCount();
                onDemand += "ON_DEMAND".equals(s.mode()) ? 1 : 0;
              }
            }
            Usage next = new Usage(open, onDemand);
            return page.more() && !page.names().isEmpty()
                ? count(kinesis, account, page.names().get(page.names().size() - 1), next)
                : CompletableFuture.completedFuture(next);
          });
        });
  }

  /** A listed stream deleted before it was read counts nothing; any other failure fails the
   *  count (a stream that cannot be read is not known to be within the quota). */
  private static StreamState deletedMeanwhile(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof ServiceException se
        && se.error().code().equals(KinesisErrors.ResourceNotFoundException.awsCode())) {
      return null;
    }
    throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
  }
}
