package fabric.storage.bucket;

import fabric.core.entity.Reply;
import java.util.List;

/** One page of ListObjectsV2: keys and common prefixes in UTF-8 binary order. */
public record ListPage(
    List<ObjectEntry> contents,
    List<String> commonPrefixes,
    boolean truncated,
    String nextContinuationToken) implements Reply {}
