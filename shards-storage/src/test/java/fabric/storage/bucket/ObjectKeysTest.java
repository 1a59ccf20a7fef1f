package fabric.storage.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fabric.core.error.ServiceException;
import fabric.storage.S3Errors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {
  private static final String EURO = "\u20AC"; // 3 bytes of UTF-8
  private static final String GRINNING = "\uD83D\uDE00"; // U+1F600: 4 bytes, 2 UTF-16 units
  private static final String FULLWIDTH_TILDE = "\uFF5E"; // U+FF5E: 3 bytes, 1 UTF-16 unit

  private static ServiceException rejection(String key) {
    ServiceException e = catchThrowableOfType(ServiceException.class,
        () -> ObjectKeys.validate(key));
    assertThat(e).as("key should be rejected").isNotNull();
    return e;
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @ParameterizedTest
  @NullAndEmptySource
  void validate_rejectsEmptyKey(String key) {
    ServiceException e = rejection(key);
    assertThat(e.error().code()).isEqualTo(S3Errors.InvalidArgument.awsCode());
    assertThat(e.error().message()).contains("must not be empty");
  }

  @Test
  void validate_accepts1024BytesOfMultiByteCharacters() {
    String key1023 = EURO.repeat(341);
    assertThat(utf8Length(key1023)).isEqualTo(1023);
    assertThat(key1023.length()).isEqualTo(341);
    assertThatCode(() -> ObjectKeys.validate(key1023)).doesNotThrowAnyException();
    assertThatCode(() -> ObjectKeys.validate(key1023 + "a")).doesNotThrowAnyException();

    String emoji1024 = GRINNING.repeat(256);
    assertThat(utf8Length(emoji1024)).isEqualTo(1024);
    assertThatCode(() -> ObjectKeys.validate(emoji1024)).doesNotThrowAnyException();
    assertThatCode(() -> ObjectKeys.validate("a".repeat(1024))).doesNotThrowAnyException();
  }

  @Test
  void validate_rejects1025BytesAsKeyTooLongCountingBytesNotChars() {
    String key1025 = EURO.repeat(341) + "ab";
    assertThat(key1025.length()).isEqualTo(343); // far below 1024 chars
    ServiceException e = rejection(key1025);
    assertThat(e.error().code()).isEqualTo(S3Errors.KeyTooLongError.awsCode());
    assertThat(e.error().httpStatus()).isEqualTo(400);
    assertThat(e.error().message()).contains("1025 bytes").contains("1024");

    assertThat(rejection(EURO.repeat(342)).error().message()).contains("1026 bytes");
    assertThat(rejection(GRINNING.repeat(256) + "a").error().code())
        .isEqualTo(S3Errors.KeyTooLongError.awsCode());
    assertThat(rejection("a".repeat(1025)).error().code())
        .isEqualTo(S3Errors.KeyTooLongError.awsCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\uD83D", "a\uDE00b", "photos/\uD83D", "\uDE00\uD83D", "x\uD800"})
  void validate_rejectsUnpairedSurrogate(String key) {
    ServiceException e = rejection(key);
    assertThat(e.error().code()).isEqualTo(S3Errors.InvalidArgument.awsCode());
    assertThat(e.error().message()).contains("unpaired surrogate");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "photos/2024/IMG 0001.jpg", "\u00e9t\u00e9", GRINNING, "a//b/",
      " ", "\u0000", "../etc/passwd", "\uFFFF"})
  void validate_acceptsAnyNonEmptyValidUnicode(String key) {
    assertThatCode(() -> ObjectKeys.validate(key)).doesNotThrowAnyException();
  }

  @Test
  void utf8BinaryOrder_putsFullwidthTildeBeforeEmojiUnlikeStringCompareTo() {
    assertThat(ObjectKeys.UTF8_BINARY_ORDER.compare(FULLWIDTH_TILDE, GRINNING)).isNegative();
    assertThat(ObjectKeys.UTF8_BINARY_ORDER.compare(GRINNING, FULLWIDTH_TILDE)).isPositive();
    // UTF-16 code units: 0xFF5E > 0xD83D, so String order is the reverse.
    assertThat(FULLWIDTH_TILDE.compareTo(GRINNING)).isPositive();
    assertThat(Arrays.compareUnsigned(FULLWIDTH_TILDE.getBytes(StandardCharsets.UTF_8),
        GRINNING.getBytes(StandardCharsets.UTF_8))).isNegative();
  }

  @Test
  void utf8BinaryOrder_ordersPrefixBeforeLongerKey() {
    Comparator<String> order = ObjectKeys.UTF8_BINARY_ORDER;
    assertThat(order.compare("a", "a/")).isNegative();
    assertThat(order.compare("a" + GRINNING, "a")).isPositive();
    assertThat(order.compare("", "a")).isNegative();
    assertThat(order.compare("abc", "abc")).isZero();
    assertThat(order.compare(GRINNING, GRINNING)).isZero();
  }

  @Test
  void utf8BinaryOrder_agreesWithComparingUtf8BytesOnRandomStrings() {
    Random random = new Random(20240607);
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      strings.add(randomUnicode(random, random.nextInt(6)));
    }
    // Some shared prefixes, so comparisons reach past the first character.
    for (int i = 0; i < 500; i++) {
      String base = strings.get(random.nextInt(strings.size()));
      strings.add(base + randomUnicode(random, 1 + random.nextInt(3)));
    }
    Comparator<String> order = ObjectKeys.UTF8_BINARY_ORDER;
    int disagreementsWithStringOrder = 0;
    for (int i = 0; i < 200_000; i++) {
      String a = strings.get(random.nextInt(strings.size()));
      String b = strings.get(random.nextInt(strings.size()));
      int expected = Integer.signum(Arrays.compareUnsigned(
          a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
      assertThat(Integer.signum(order.compare(a, b)))
          .as("compare(%s, %s)", codePoints(a), codePoints(b)).isEqualTo(expected);
      assertThat(Integer.signum(order.compare(b, a))).isEqualTo(-expected);
      if (Integer.signum(a.compareTo(b)) != expected) {
        disagreementsWithStringOrder++;
      }
    }
    // The generator really exercises the case where UTF-16 order differs.
    assertThat(disagreementsWithStringOrder).isPositive();

    List<String> byComparator = new ArrayList<>(strings);
    byComparator.sort(order);
    List<String> byBytes = new ArrayList<>(strings);
    byBytes.sort((a, b) -> Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    assertThat(byComparator).containsExactlyElementsOf(byBytes);
  }

  /** Code points from every UTF-8 length class, including both sides of the surrogate gap. */
  static String randomUnicode(Random random, int codePoints) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < codePoints; i++) {
      int cp;
      switch (random.nextInt(6)) {
        case 0 -> cp = 0x20 + random.nextInt(0x5F);         // ASCII, 1 byte
        case 1 -> cp = 0x80 + random.nextInt(0x780);        // 2 bytes
        case 2 -> cp = 0x800 + random.nextInt(0xD800 - 0x800); // 3 bytes, below surrogates
        case 3 -> cp = 0xE000 + random.nextInt(0x2000);     // 3 bytes, above surrogates
        case 4 -> cp = 0x10000 + random.nextInt(0x100000);  // 4 bytes, surrogate pairs
        default -> cp = "/-_.aZ09".charAt(random.nextInt(8));
      }
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  private static String codePoints(String s) {
    StringBuilder sb = new StringBuilder("[");
    s.codePoints().forEach(cp -> sb.append(String.format("U+%04X ", cp)));
    return sb.append(']').toString();
  }
}
