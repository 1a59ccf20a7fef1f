package fabric.dynamo.partition;

import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects a Query or Scan page as DynamoDB counts it: Limit counts items read, the page
 * ends at about {@code maxBytes} read (its 1 MB), and the filter decides which of the items
 * read are returned (projected). Partitions and global indexes both build their pages here.
 */
public final class PageBuilder {
  private final RequestExpressions.Parsed parsed;
  private final int limit;
  private final int maxBytes;
  private final List<Item> items = new ArrayList<>();
  private int scanned;
  private long bytes;

  public PageBuilder(RequestExpressions.Parsed parsed, int limit, int maxBytes) {
    this.parsed = parsed;
    this.limit = limit;
    this.maxBytes = maxBytes;
  }

  /** Adds one item read; true when the page is full (its key is then the last one). */
  public boolean add(Item item) {
    scanned++;
    bytes += item.sizeBytes();
    if (parsed.filter() == null || parsed.filter().test(item)) {
      items.add(parsed.projection() == null ? item : parsed.projection().apply(item));
    }
    return scanned >= limit || bytes >= maxBytes;
  }

  /** @param lastKey the key a next page starts after, null on the last page */
  public PartitionReply.Page done(Map<String, AttributeValue> lastKey) {
    return new PartitionReply.Page(items, scanned, bytes, lastKey);
  }
}
