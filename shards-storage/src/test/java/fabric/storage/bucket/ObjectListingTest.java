package fabric.storage.bucket;

import static fabric.storage.bucket.TestObjects.index;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fabric.core.error.ServiceException;
import fabric.storage.S3Errors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ListObjectsV2 semantics over an index built directly, checked against a brute-force lister. */
class ObjectListingTest {
  private static final String MAX_CP = new String(Character.toChars(0x10FFFF));

  // ---------------------------------------------------------------- helpers

  private static ListQuery query(String prefix, String delimiter, String startAfter, int maxKeys) {
    return new ListQuery(prefix, delimiter, startAfter, "", maxKeys);
  }

  private static List<String> keys(ListPage page) {
    return page.contents().stream().map(ObjectEntry::key).toList();
  }

  /** Every page of a listing, following continuation tokens until the end. */
  private static List<ListPage> allPages(ObjectIndex index, String prefix, String delimiter,
      String startAfter, int maxKeys) {
    List<ListPage> pages = new ArrayList<>();
    String token = "";
    for (int guard = 0; guard < 100_000; guard++) {
      ListPage page = ObjectListing.list(index,
          new ListQuery(prefix, delimiter, startAfter, token, maxKeys));
      pages.add(page);
      if (!page.truncated()) {
        return pages;
      }
      assertThat(page.nextContinuationToken()).as("truncated page carries a token").isNotEmpty();
      token = page.nextContinuationToken();
    }
    throw new AssertionError("listing did not terminate");
  }

  /** One item of a listing: a key (Contents) or a common prefix (CommonPrefixes). */
  record Item(String value, boolean commonPrefix) {}

  /**
   * The whole listing by brute force, in S3's order: every key after start-after with the
   * prefix, each key that has the delimiter after the prefix rolled up into its common prefix
   * (once). A common prefix is listed only if it sorts after start-after, as on AWS: a
   * ListObjects (V1) NextMarker can be a common prefix, and the next page must not repeat it.
   */
  static List<Item> referenceListing(Iterable<String> allKeys, String prefix, String delimiter,
      String startAfter) {
    TreeSet<String> sorted = new TreeSet<>(ObjectKeys.UTF8_BINARY_ORDER);
    allKeys.forEach(sorted::add);
    List<Item> items = new ArrayList<>();
    Set<String> seenPrefixes = new LinkedHashSet<>();
    for (String key : sorted) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      int at = delimiter.isEmpty() ? -1 : key.indexOf(delimiter, prefix.length());
      String value = at >= 0 ? key.substring(0, at + delimiter.length()) : key;
      if (ObjectKeys.UTF8_BINARY_ORDER.compare(value, startAfter) <= 0) {
        continue;
      }
      if (at >= 0) {
        if (seenPrefixes.add(value)) {
          items.add(new Item(value, true));
        }
      } else {
        items.add(new Item(value, false));
      }
    }
    return items;
  }

  private static void assertPagesMatchReference(ObjectIndex index, List<String> allKeys,
      String prefix, String delimiter, String startAfter, int maxKeys) {
    String what = String.format("prefix=%s delimiter=%s startAfter=%s maxKeys=%d keys=%s",
        show(prefix), show(delimiter), show(startAfter), maxKeys, allKeys.size());
    List<Item> expected = referenceListing(allKeys, prefix, delimiter, startAfter);
    List<ListPage> pages = allPages(index, prefix, delimiter, startAfter, maxKeys);
    int expectedPages = Math.max(1, (expected.size() + maxKeys - 1) / maxKeys);
    assertThat(pages).as("page count; %s", what).hasSize(expectedPages);
    for (int p = 0; p < pages.size(); p++) {
      ListPage page = pages.get(p);
      List<Item> chunk = expected.subList(Math.min(p * maxKeys, expected.size()),
          Math.min((p + 1) * maxKeys, expected.size()));
      assertThat(keys(page)).as("contents of page %d; %s", p, what).containsExactlyElementsOf(
          chunk.stream().filter(i -> !i.commonPrefix()).map(Item::value).toList());
      assertThat(page.commonPrefixes()).as("prefixes of page %d; %s", p, what)
          .containsExactlyElementsOf(
              chunk.stream().filter(Item::commonPrefix).map(Item::value).toList());
      boolean last = p == pages.size() - 1;
      assertThat(page.truncated()).as("truncated of page %d; %s", p, what).isEqualTo(!last);
      if (last) {
        assertThat(page.nextContinuationToken()).isEmpty();
      }
    }
  }

  private static String show(String s) {
    StringBuilder sb = new StringBuilder("\"");
    s.codePoints().forEach(cp -> {
      if (cp < 0x7F) {
        sb.appendCodePoint(cp);
      } else {
        sb.append(String.format("\\u{%X}", cp));
      }
    });
    return sb.append('"').toString();
  }

  // ---------------------------------------------------------------- prefix

  @Test
  void list_withPrefix_returnsOnlyKeysStartingWithIt() {
    ObjectIndex index = index(List.of("photo", "photos/a.jpg", "photos/b.jpg", "photos0",
        "videos/c.mp4", "p"));
    ListPage page = ObjectListing.list(index, query("photos/", "", "", 1000));
    assertThat(keys(page)).containsExactly("photos/a.jpg", "photos/b.jpg");
    assertThat(page.commonPrefixes()).isEmpty();
    assertThat(page.truncated()).isFalse();
    assertThat(page.nextContinuationToken()).isEmpty();
  }

  @Test
  void list_withPrefixMatchingNothing_isEmpty() {
    ObjectIndex index = index(List.of("a", "b"));
    ListPage page = ObjectListing.list(index, query("c", "", "", 1000));
    assertThat(page.contents()).isEmpty();
    assertThat(page.truncated()).isFalse();
  }

  @Test
  void list_keyEqualToPrefix_isListed() {
    ObjectIndex index = index(List.of("a/", "a/b", "ab"));
    ListPage page = ObjectListing.list(index, query("a/", "/", "", 1000));
    assertThat(keys(page)).containsExactly("a/", "a/b");
    assertThat(page.commonPrefixes()).isEmpty();
  }

  @Test
  void list_emptyIndex_isEmptyAndNotTruncated() {
    ListPage page = ObjectListing.list(ObjectIndex.empty(), query("", "/", "", 1000));
    assertThat(page.contents()).isEmpty();
    assertThat(page.commonPrefixes()).isEmpty();
    assertThat(page.truncated()).isFalse();
    assertThat(page.nextContinuationToken()).isEmpty();
  }

  // ---------------------------------------------------------------- delimiter

  @Test
  void list_withDelimiter_rollsKeysUpIntoCommonPrefixes() {
    ObjectIndex index = index(List.of("a/b/c", "a/b/d", "a/e", "f", "g/h"));
    ListPage page = ObjectListing.list(index, query("", "/", "", 1000));
    assertThat(keys(page)).containsExactly("f");
    assertThat(page.commonPrefixes()).containsExactly("a/", "g/");
  }

  @Test
  void list_withDelimiterAndPrefix_rollsUpOneLevelBelowThePrefix() {
    ObjectIndex index = index(List.of("a/b/c", "a/b/d", "a/b/e/f", "a/e", "f", "g/h"));
    ListPage level1 = ObjectListing.list(index, query("a/", "/", "", 1000));
    assertThat(keys(level1)).containsExactly("a/e");
    assertThat(level1.commonPrefixes()).containsExactly("a/b/");

    ListPage level2 = ObjectListing.list(index, query("a/b/", "/", "", 1000));
    assertThat(keys(level2)).containsExactly("a/b/c", "a/b/d");
    assertThat(level2.commonPrefixes()).containsExactly("a/b/e/");
  }

  @Test
  void list_prefixWithoutTrailingDelimiter_groupsFromThePrefixEnd() {
    ObjectIndex index = index(List.of("photos/2023/a", "photos/2024/b", "photosx/c", "pho"));
    ListPage page = ObjectListing.list(index, query("photo", "/", "", 1000));
    assertThat(keys(page)).isEmpty();
    assertThat(page.commonPrefixes()).containsExactly("photos/", "photosx/");
  }

  @Test
  void list_multiCharacterDelimiter() {
    ObjectIndex index = index(List.of("a--b--c", "a--d", "a-e", "x"));
    ListPage page = ObjectListing.list(index, query("", "--", "", 1000));
    assertThat(keys(page)).containsExactly("a-e", "x");
    assertThat(page.commonPrefixes()).containsExactly("a--");
  }

  @Test
  void list_maxKeysReachedWithCommonPrefix_isNotTruncatedWhenOnlyKeysOfThatPrefixRemain() {
    // AWS: keys foo/bar and foo/quxx, max-keys=1, delimiter=/ gives foo/ and IsTruncated=false.
    ObjectIndex index = index(List.of("foo/bar", "foo/quxx"));
    ListPage page = ObjectListing.list(index, query("", "/", "", 1));
    assertThat(page.commonPrefixes()).containsExactly("foo/");
    assertThat(page.truncated()).isFalse();
    assertThat(page.nextContinuationToken()).isEmpty();
  }

  // ---------------------------------------------------------------- start-after

  @Test
  void list_startAfterAKey_startsAfterIt() {
    ObjectIndex index = index(List.of("a", "b", "c", "d"));
    assertThat(keys(ObjectListing.list(index, query("", "", "b", 1000))))
        .containsExactly("c", "d");
  }

  @Test
  void list_startAfterBetweenKeys_startsAtTheNextKey() {
    ObjectIndex index = index(List.of("a", "b", "c", "d"));
    assertThat(keys(ObjectListing.list(index, query("", "", "bb", 1000))))
        .containsExactly("c", "d");
    assertThat(keys(ObjectListing.list(index, query("", "", "z", 1000)))).isEmpty();
  }

  @Test
  void list_startAfterBeforeThePrefix_listsTheWholePrefix() {
    ObjectIndex index = index(List.of("a/1", "b/1", "b/2", "c/1"));
    assertThat(keys(ObjectListing.list(index, query("b/", "", "a", 1000))))
        .containsExactly("b/1", "b/2");
  }

  @Test
  void list_startAfterBeyondThePrefix_isEmpty() {
    ObjectIndex index = index(List.of("a/1", "b/1", "b/2", "c/1"));
    ListPage page = ObjectListing.list(index, query("b/", "", "c", 1000));
    assertThat(page.contents()).isEmpty();
    assertThat(page.truncated()).isFalse();
  }

  @Test
  void list_startAfterEqualToAListedCommonPrefix_doesNotListThatPrefixAgain() {
    // The ListObjects (V1) paging contract: with a delimiter, NextMarker is the last key or
    // common prefix of the page, and the next page starts after it. Listing "after boo/"
    // must not return boo/ again, or V1 paging with max-keys=1 never ends.
    ObjectIndex index = index(List.of("asdf", "boo/bar", "boo/baz/xyzzy", "cquux/thud",
        "cquux/bla"));
    ListPage page = ObjectListing.list(index, query("", "/", "boo/", 1));
    assertThat(page.commonPrefixes()).containsExactly("cquux/");
    assertThat(page.truncated()).isFalse();
  }

  @Test
  void list_startAfterInsideACommonPrefix_doesNotListThatPrefix() {
    ObjectIndex index = index(List.of("a/1", "a/2", "a/3", "b"));
    ListPage page = ObjectListing.list(index, query("", "/", "a/2", 1000));
    assertThat(page.commonPrefixes()).isEmpty();
    assertThat(keys(page)).containsExactly("b");
  }

  @Test
  void list_continuationTokenTakesPrecedenceOverStartAfter() {
    ObjectIndex index = index(List.of("a", "b", "c", "d", "e"));
    ListPage first = ObjectListing.list(index, query("", "", "a", 2));
    assertThat(keys(first)).containsExactly("b", "c");
    ListPage second = ObjectListing.list(index,
        new ListQuery("", "", "a", first.nextContinuationToken(), 2));
    assertThat(keys(second)).containsExactly("d", "e");
    assertThat(second.truncated()).isFalse();
  }

  // ---------------------------------------------------------------- paging

  @Test
  void list_pagingWithMaxKeysAcrossCommonPrefixesAndKeys_untilExhaustion() {
    List<String> all = List.of("a", "b/1", "b/2", "b/3", "c", "d/x/1", "d/y", "e", "f/1", "g");
    ObjectIndex index = index(all);
    List<ListPage> pages = allPages(index, "", "/", "", 2);
    assertThat(pages).hasSize(4);
    assertThat(keys(pages.get(0))).containsExactly("a");
    assertThat(pages.get(0).commonPrefixes()).containsExactly("b/");
    assertThat(keys(pages.get(1))).containsExactly("c");
    assertThat(pages.get(1).commonPrefixes()).containsExactly("d/");
    assertThat(keys(pages.get(2))).containsExactly("e");
    assertThat(pages.get(2).commonPrefixes()).containsExactly("f/");
    assertThat(keys(pages.get(3))).containsExactly("g");
    assertThat(pages.get(3).commonPrefixes()).isEmpty();
    assertThat(pages.subList(0, 3)).allMatch(ListPage::truncated);
    assertThat(pages.get(3).truncated()).isFalse();
    assertThat(pages.get(3).nextContinuationToken()).isEmpty();
  }

  @Test
  void list_pagingOneByOne_endsExactlyAtTheLastItem() {
    ObjectIndex index = index(List.of("x/1", "x/2", "y/1"));
    List<ListPage> pages = allPages(index, "", "/", "", 1);
    assertThat(pages).hasSize(2);
    assertThat(pages.get(0).commonPrefixes()).containsExactly("x/");
    assertThat(pages.get(0).truncated()).isTrue();
    assertThat(pages.get(1).commonPrefixes()).containsExactly("y/");
    assertThat(pages.get(1).truncated()).isFalse();
  }

  @Test
  void list_pageWithExactlyMaxKeysRemaining_isNotTruncated() {
    ObjectIndex index = index(List.of("a", "b", "c", "d"));
    ListPage page = ObjectListing.list(index, query("", "", "", 4));
    assertThat(keys(page)).hasSize(4);
    assertThat(page.truncated()).isFalse();
    assertThat(page.nextContinuationToken()).isEmpty();
  }

  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang must fail, not block the build
  void list_skipsKeysUnderAPrefixThatContinueWithTheLargestCodePoint() {
    // The skip over a listed prefix seeks to prefix + U+10FFFF; keys that continue with that
    // very code point sort after the seek target and must still be skipped.
    List<String> all = List.of("a/" + MAX_CP, "a/" + MAX_CP + "x", "a/" + MAX_CP + MAX_CP,
        "a/b", "b", "c/" + MAX_CP);
    ObjectIndex index = index(all);
    ListPage page = ObjectListing.list(index, query("", "/", "", 1000));
    assertThat(page.commonPrefixes()).containsExactly("a/", "c/");
    assertThat(keys(page)).containsExactly("b");
    for (int maxKeys = 1; maxKeys <= 3; maxKeys++) {
      assertPagesMatchReference(index, all, "", "/", "", maxKeys);
    }
  }

  @Test
  void list_maxKeysZero_returnsAnEmptyPageThatIsNotTruncated() {
    // AWS answers max-keys=0 with KeyCount 0, IsTruncated false and no token.
    ObjectIndex index = index(List.of("a", "b/c"));
    ListPage page = ObjectListing.list(index, query("", "/", "", 0));
    assertThat(page.contents()).isEmpty();
    assertThat(page.commonPrefixes()).isEmpty();
    assertThat(page.truncated()).isFalse();
    assertThat(page.nextContinuationToken()).isEmpty();
  }

  @Test
  void list_maxKeysZeroOnEmptyIndex_returnsAnEmptyPage() {
    ListPage page = ObjectListing.list(ObjectIndex.empty(), query("", "", "", 0));
    assertThat(page.contents()).isEmpty();
    assertThat(page.truncated()).isFalse();
  }

  @Test
  void listQuery_capsMaxKeysAt1000AndRejectsNegative() {
    assertThat(query("", "", "", 5000).maxKeys()).isEqualTo(1000);
    ServiceException e = catchThrowableOfType(ServiceException.class,
        () -> query("", "", "", -1));
    assertThat(e.error().code()).isEqualTo(S3Errors.InvalidArgument.awsCode());
  }

  @Test
  void listQuery_readsNullsAsEmpty() {
    ListQuery q = new ListQuery(null, null, null, null, 10);
    assertThat(q.prefix()).isEmpty();
    assertThat(q.delimiter()).isEmpty();
    assertThat(q.startAfter()).isEmpty();
    assertThat(q.continuationToken()).isEmpty();
  }

  // ---------------------------------------------------------------- tokens

  @ParameterizedTest
  @ValueSource(strings = {"not-a-token!", "%%%", "eA", "eGFiYw", "AA"})
  void list_unknownContinuationToken_isInvalidArgument(String token) {
    // eA = "x", eGFiYw = "xabc", AA = "\0": base64 of text we never issue.
    ObjectIndex index = index(List.of("a", "b"));
    ServiceException e = catchThrowableOfType(ServiceException.class,
        () -> ObjectListing.list(index, new ListQuery("", "", "", token, 10)));
    assertThat(e).isNotNull();
    assertThat(e.error().code()).isEqualTo(S3Errors.InvalidArgument.awsCode());
    assertThat(e.error().message()).contains("continuation token");
  }

  @Test
  void list_continuationTokenIsOpaqueUrlSafeText() {
    ObjectIndex index = index(List.of("a?b", "c d", "e/\u00e9", "f"));
    ListPage page = ObjectListing.list(index, query("", "", "", 1));
    String token = page.nextContinuationToken();
    assertThat(token).matches("[A-Za-z0-9_-]+");
    assertThat(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8))
        .isNotEmpty();
  }

  // ---------------------------------------------------------------- unicode

  @Test
  void list_unicodeKeys_inUtf8BinaryOrder() {
    String tilde = "\uFF5E";
    String grinning = "\uD83D\uDE00";
    List<String> all = List.of(grinning, tilde, "z", "\u00e9", "a" + grinning, "a" + tilde,
        "A");
    ObjectIndex index = index(all);
    List<String> expected = List.of("A", "a" + tilde, "a" + grinning, "z", "\u00e9", tilde,
        grinning);
    assertThat(keys(ObjectListing.list(index, query("", "", "", 1000))))
        .containsExactlyElementsOf(expected);

    List<String> paged = new ArrayList<>();
    allPages(index, "", "", "", 2).forEach(p -> paged.addAll(keys(p)));
    assertThat(paged).containsExactlyElementsOf(expected);

    assertThat(keys(ObjectListing.list(index, query("", "", tilde, 1000))))
        .containsExactly(grinning);
  }

  @Test
  void list_unicodeCommonPrefixes_inUtf8BinaryOrder() {
    String grinning = "\uD83D\uDE00";
    ObjectIndex index = index(List.of(grinning + "/1", "\uFF5E/1", "\uFF5E/2", "a/1"));
    ListPage page = ObjectListing.list(index, query("", "/", "", 1000));
    assertThat(page.commonPrefixes()).containsExactly("a/", "\uFF5E/", grinning + "/");
  }

  // ---------------------------------------------------------------- randomized

  /** Keys over a small alphabet with '/' so that prefixes, delimiters and ties are common. */
  private static final String[] ALPHABET = {"a", "b", "/", "\u00e9", "\uFF5E", "\uD83D\uDE00"};

  private static String randomKey(Random random, int maxLength) {
    int length = 1 + random.nextInt(maxLength);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      // '/' and 'a' more often, so that keys nest.
      int pick = random.nextInt(10);
      sb.append(pick < 3 ? "a" : pick < 6 ? "/" : ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  /** A random prefix (by code points) of a random key of the list. */
  private static String prefixOfSomeKey(Random random, List<String> keys) {
    String key = keys.get(random.nextInt(keys.size()));
    int codePoints = key.codePointCount(0, key.length());
    return key.substring(0, key.offsetByCodePoints(0, random.nextInt(codePoints + 1)));
  }

  private static String randomBound(Random random, List<String> keys) {
    return switch (random.nextInt(5)) {
      case 0, 1 -> "";
      case 2 -> keys.get(random.nextInt(keys.size()));
      case 3 -> prefixOfSomeKey(random, keys);
      default -> randomKey(random, 4);
    };
  }

  /** Queries that never start inside a common prefix: where the listing itself does paging. */
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void list_randomized_allPagesEqualBruteForceListing_withoutStartAfter() {
    runRandomized(1234L, false);
  }

  /** The same with random start-after values, some inside or equal to common prefixes. */
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void list_randomized_allPagesEqualBruteForceListing_withStartAfter() {
    runRandomized(5678L, true);
  }

  private static void runRandomized(long seed, boolean withStartAfter) {
    Random random = new Random(seed);
    for (int round = 0; round < 20; round++) {
      Set<String> keySet = new LinkedHashSet<>();
      int target = 100 + random.nextInt(300);
      while (keySet.size() < target) {
        keySet.add(randomKey(random, 7));
      }
      List<String> all = List.copyOf(keySet);
      ObjectIndex index = index(all);
      assertThat(index.size()).isEqualTo(all.size());
      for (int q = 0; q < 40; q++) {
        String prefix = switch (random.nextInt(4)) {
          case 0, 1 -> "";
          case 2 -> prefixOfSomeKey(random, all);
          default -> randomKey(random, 2);
        };
        String delimiter = switch (random.nextInt(5)) {
          case 0 -> "";
          case 1 -> "a";
          case 2 -> "//";
          default -> "/";
        };
        String startAfter = withStartAfter ? randomBound(random, all) : "";
        int maxKeys = random.nextInt(8) == 0 ? 1000 : 1 + random.nextInt(12);
        assertPagesMatchReference(index, all, prefix, delimiter, startAfter, maxKeys);
      }
    }
  }
}
