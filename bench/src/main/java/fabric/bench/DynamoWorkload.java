package fabric.bench;

import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.BatchWriteItemResponse;
import fabric.dynamodb.v1.Item;
import fabric.dynamodb.v1.QueryResponse;
import fabric.dynamodb.v1.WriteRequestList;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The phases of the DynamoDB benchmark, on one table (key {@code pk} S + {@code sk} N):
 *
 * <ul>
 *   <li>{@code put}: each thread puts items of {@code itemSize} bytes under a random one of
 *       {@code partitionKeys} partition keys ("u" + number) and a random sort key;
 *   <li>{@code get} / {@code get-eventual}: strongly / eventually consistent GetItem of a
 *       random key that a put of this run wrote (so a missing item is an error);
 *   <li>{@code query}: Query {@code pk = :p} with Limit {@code pageSize} on one of
 *       {@code queryPartitions} partitions ("q" + number) loaded beforehand (BatchWriteItem)
 *       with more than a page each, so every Query returns a full page.
 * </ul>
 *
 * <p>Counting, as in the SQS benchmark: an op is measured when it <em>completes</em> inside
 * the measured window, and rates are per window second. Item size is DynamoDB's: the UTF-8
 * lengths of the attribute names and string values plus the size of the number, so the
 * {@code data} attribute is sized per item to make the total exact.
 */
final class DynamoWorkload {
  /** A Query that returned fewer items than its Limit although the partition holds more. */
  static final String SHORT_PAGE = "SHORT_PAGE";
  /** A GetItem that found nothing under a key this run wrote. */
  static final String MISSING = "MISSING";
  /** A GetItem or Query that returned an item of the wrong size or shape. */
  static final String BAD_ITEM = "BAD_ITEM";
  /** Items beyond a page in each query partition: a Query of Limit n always has n to return. */
  static final int QUERY_EXTRA = 10;
  /** AWS's maximum number of requests in one BatchWriteItem. */
  static final int BATCH_WRITE_MAX = 25;
  /** The smallest --item-size: room for the key attributes and their names. */
  static final int MIN_ITEM_SIZE = 64;
  /** Items written before a get phase when no put of this run wrote any. */
  static final int GET_SEED_ITEMS = 1000;

  /** The items a phase needs could not be written (not a failed call: those throw theirs). */
  static final class LoadFailed extends RuntimeException {
    LoadFailed(String message) {
      super(message);
    }
  }

  enum Phase {
    PUT("put"), GET("get"), GET_EVENTUAL("get-eventual"), QUERY("query");

    final String label;

    Phase(String label) {
      this.label = label;
    }

    static Phase of(String label) {
      for (Phase p : values()) {
        if (p.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
      throw new IllegalArgumentException("unknown phase '" + label + "' (one of: put, get, "
          + "get-eventual, query)");
    }
  }

  private final List<DynamoOps> targets;
  private final String table;
  private final int itemSize;
  private final String filler;
  private final int partitionKeys;
  private final int queryPartitions;
  private final int pageSize;
  private final Duration warmup;
  private final Duration duration;
  private final String partitionFormat;
  private final String queryFormat;
  /** Keys (see {@link #encode}) that a put of this run acknowledged; grows after put phases. */
  private long[] known = new long[0];
  private boolean queryLoaded;

  /**
   * @param targets one {@link DynamoOps} per target; thread i talks to target i mod n
   * @param filler random ASCII, at least {@code itemSize} long; values are slices of it
   */
  DynamoWorkload(List<DynamoOps> targets, String table, int itemSize, String filler,
      int partitionKeys, int queryPartitions, int pageSize, Duration warmup,
      Duration duration) {
    if (itemSize < MIN_ITEM_SIZE || itemSize > filler.length()) {
      throw new IllegalArgumentException("item size " + itemSize + " outside "
          + MIN_ITEM_SIZE + ".." + filler.length());
    }
    this.targets = targets;
    this.table = table;
    this.itemSize = itemSize;
    this.filler = filler;
    this.partitionKeys = partitionKeys;
    this.queryPartitions = queryPartitions;
    this.pageSize = pageSize;
    this.warmup = warmup;
    this.duration = duration;
    // Fixed-width partition keys: every item of a kind has the same key bytes.
    this.partitionFormat = "u%0" + digits(partitionKeys - 1) + "d";
    this.queryFormat = "q%0" + digits(queryPartitions - 1) + "d";
  }

  private static int digits(int n) {
    return Integer.toString(Math.max(n, 0)).length();
  }

  String partitionKey(int i) {
    return String.format(Locale.ROOT, partitionFormat, i);
  }

  String queryPartitionKey(int i) {
    return String.format(Locale.ROOT, queryFormat, i);
  }

  /**
   * DynamoDB's size of a number: about 1 byte per two significant digits, plus 1 (leading
   * and trailing zeroes do not count).
   */
  static int numberSize(long n) {
    String digits = Long.toString(Math.abs(n));
    int start = 0;
    int end = digits.length();
    while (start < end - 1 && digits.charAt(start) == '0') {
      start++;
    }
    while (end > start + 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    return (end - start + 1) / 2 + 1;
  }

  /** The length of the {@code data} value that makes the item exactly {@code itemSize}. */
  int dataLength(String pk, long sk) {
    int overhead = DynamoOps.PK.length() + pk.getBytes(StandardCharsets.UTF_8).length
        + DynamoOps.SK.length() + numberSize(sk) + DynamoOps.DATA.length();
    return itemSize - overhead;
  }

  private static long encode(int partition, long sk) {
    return ((long) partition << 31) | sk;
  }

  /** Number of keys known to hold an item (with repeats: a key put twice counts twice). */
  int knownKeys() {
    return known.length;
  }

  /** Runs one phase with {@code threads} client threads; one row. */
  ResultRow run(Phase phase, int threads) throws InterruptedException {
    if ((phase == Phase.GET || phase == Phase.GET_EVENTUAL) && known.length == 0) {
      seedKnown();
    }
    if (phase == Phase.QUERY && !queryLoaded) {
      loadQueryPartitions();
    }
    List<Worker> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(new Worker(targets.get(t % targets.size()), phase,
          new SplittableRandom(1_000_003L * threads + 31L * t + phase.ordinal())));
    }
    Workload.runTogether(workers, warmup, duration,
        t -> "bench-dynamodb-" + phase.label + "-x" + threads + "-t" + t);
    OpStats stats = new OpStats();
    int written = 0;
    for (Worker w : workers) {
      stats.add(w.stats);
      written += w.writtenCount;
    }
    if (phase == Phase.PUT && written > 0) {
      long[] grown = Arrays.copyOf(known, known.length + written);
      int at = known.length;
      for (Worker w : workers) {
        System.arraycopy(w.written, 0, grown, at, w.writtenCount);
        at += w.writtenCount;
      }
      known = grown;
    }
    return ResultRow.ofItems(phase.label, itemSize, threads, duration.toNanos() / 1e9, stats);
  }

  /** The query partitions, each with a page and {@link #QUERY_EXTRA} items more. */
  private void loadQueryPartitions() throws InterruptedException {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int p = 0; p < queryPartitions; p++) {
      String pk = queryPartitionKey(p);
      for (int sk = 0; sk < pageSize + QUERY_EXTRA; sk++) {
        items.add(DynamoOps.item(pk, sk, data(random, pk, sk)));
      }
    }
    load(items);
    queryLoaded = true;
  }

  /** Items for the get phases when no put phase wrote any (e.g. --phases get). */
  private void seedKnown() throws InterruptedException {
    int n = Math.min(GET_SEED_ITEMS, partitionKeys * 10);
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    long[] keys = new long[n];
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < n; i++) {
      int partition = i % partitionKeys;
      long sk = i;
      String pk = partitionKey(partition);
      items.add(DynamoOps.item(pk, sk, data(random, pk, sk)));
      keys[i] = encode(partition, sk);
    }
    load(items);
    known = keys;
  }

  /**
   * Writes the items with BatchWriteItem (25 at a time, from the first target), retrying what
   * comes back unprocessed with a growing pause. A failed call fails the load: the caller
   * reports its status.
   */
  void load(List<Map<String, AttributeValue>> items) throws InterruptedException {
    DynamoOps ops = targets.get(0);
    for (int from = 0; from < items.size(); from += BATCH_WRITE_MAX) {
      BatchWriteItemResponse r = ops.batchPut(table,
          items.subList(from, Math.min(items.size(), from + BATCH_WRITE_MAX)));
      for (int attempt = 0; !r.getUnprocessedItemsMap().isEmpty(); attempt++) {
        WriteRequestList left = r.getUnprocessedItemsMap().get(table);
        if (left == null || left.getRequestsCount() == 0) {
          break;
        }
        if (attempt == 10) {
          throw new LoadFailed("BatchWriteItem left " + left.getRequestsCount()
              + " items unprocessed after " + attempt + " retries");
        }
        Thread.sleep(Math.min(1000, 10L << attempt));
        r = ops.batchWrite(table, left);
      }
    }
  }

  /** A {@code data} value for the key, from a random offset of the filler. */
  private String data(SplittableRandom random, String pk, long sk) {
    int length = dataLength(pk, sk);
    int offset = random.nextInt(filler.length() - length + 1);
    return filler.substring(offset, offset + length);
  }


  /** One client thread of one phase. Owns its stats and its written keys; no sharing. */
  private final class Worker implements Workload.Task {
    private final DynamoOps ops;
    private final Phase phase;
    private final SplittableRandom random;
    final OpStats stats = new OpStats();
    long[] written = new long[1024];
    int writtenCount;

    Worker(DynamoOps ops, Phase phase, SplittableRandom random) {
      this.ops = ops;
      this.phase = phase;
      this.random = random;
    }

    @Override
    public void run(Workload.Clock clock) throws InterruptedException {
      for (long start = System.nanoTime(); start - clock.end < 0; start = System.nanoTime()) {
        try {
          switch (phase) {
            case PUT -> put(clock, start);
            case GET -> get(clock, start, true);
            case GET_EVENTUAL -> get(clock, start, false);
            case QUERY -> query(clock, start);
          }
        } catch (StatusRuntimeException e) {
          if (clock.inWindow(System.nanoTime())) {
            stats.recordError(Bench.errorKey(e), Bench.why(e));
          }
          Workload.pauseAfterError();
        }
      }
    }

    private void put(Workload.Clock clock, long start) {
      int partition = random.nextInt(partitionKeys);
      long sk = random.nextInt(Integer.MAX_VALUE);
      String pk = partitionKey(partition);
      ops.put(table, DynamoOps.item(pk, sk, data(random, pk, sk)));
      long end = System.nanoTime();
      if (writtenCount == written.length) {
        written = Arrays.copyOf(written, written.length * 2);
      }
      written[writtenCount++] = encode(partition, sk);
      if (clock.inWindow(end)) {
        stats.recordSuccess(end - start, itemSize, 1);
      }
    }

    private void get(Workload.Clock clock, long start, boolean consistent) {
      long key = known[random.nextInt(known.length)];
      String pk = partitionKey((int) (key >>> 31));
      long sk = key & Integer.MAX_VALUE;
      Item item = ops.get(table, pk, sk, consistent);
      long end = System.nanoTime();
      if (!clock.inWindow(end)) {
        return;
      }
      if (item == null) {
        stats.recordError(MISSING, "no item at pk=" + pk + " sk=" + sk + ", which a put of "
            + "this run wrote");
      } else if (!wellFormed(item, pk, sk)) {
        stats.recordError(BAD_ITEM, "item at pk=" + pk + " sk=" + sk + ": " + shape(item));
      } else {
        stats.recordSuccess(end - start, itemSize, 1);
      }
    }

    private void query(Workload.Clock clock, long start) {
      String pk = queryPartitionKey(random.nextInt(queryPartitions));
      QueryResponse r = ops.query(table, pk, pageSize, false);
      long end = System.nanoTime();
      if (!clock.inWindow(end)) {
        return;
      }
      if (r.getItemsCount() != pageSize) {
        stats.recordError(SHORT_PAGE, "Query pk=" + pk + " Limit " + pageSize + " returned "
            + r.getItemsCount() + " items");
        return;
      }
      for (int i = 0; i < r.getItemsCount(); i++) {
        Item item = r.getItems(i);
        if (!wellFormed(item, pk, i)) {
          stats.recordError(BAD_ITEM, "Query pk=" + pk + " item " + i + ": " + shape(item));
          return;
        }
      }
      stats.recordSuccess(end - start, (long) pageSize * itemSize, pageSize);
    }
  }

  /** The item has the key asked for and a data value of the length that key was put with. */
  private boolean wellFormed(Item item, String pk, long sk) {
    Map<String, AttributeValue> a = item.getAttributesMap();
    AttributeValue p = a.get(DynamoOps.PK);
    AttributeValue s = a.get(DynamoOps.SK);
    AttributeValue d = a.get(DynamoOps.DATA);
    return p != null && p.getS().equals(pk) && s != null && s.getN().equals(Long.toString(sk))
        && d != null && d.getS().length() == dataLength(pk, sk);
  }

  private static String shape(Item item) {
    StringBuilder b = new StringBuilder();
    item.getAttributesMap().forEach((name, v) -> b.append(b.length() > 0 ? ", " : "")
        .append(name).append('=').append(v.hasS() ? "S(" + v.getS().length() + " chars)"
            : v.hasN() ? "N(" + v.getN() + ")" : v.getValueCase().name()));
    return b.length() == 0 ? "no attributes" : b.toString();
  }
}
