package fabric.storage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fabric.core.error.ErrorCategory;
import fabric.core.error.ServiceException;
import fabric.storage.S3Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
  private static final long SIZE = 1000;

  private static ServiceException unsatisfiable(String header, long size) {
    ServiceException e = catchThrowableOfType(ServiceException.class,
        () -> ByteRange.parse(header, size));
    assertThat(e).as("'%s' on %d bytes should be unsatisfiable", header, size).isNotNull();
    assertThat(e.error().code()).isEqualTo(S3Errors.InvalidRange.awsCode());
    assertThat(e.error().httpStatus()).isEqualTo(416);
    assertThat(e.error().category()).isEqualTo(ErrorCategory.OUT_OF_RANGE);
    return e;
  }

  @Test
  void parse_firstByteOnly() {
    ByteRange r = ByteRange.parse("bytes=0-0", SIZE);
    assertThat(r).isEqualTo(new ByteRange(0, 1, SIZE, true));
    assertThat(r.contentRange()).isEqualTo("bytes 0-0/1000");
  }

  @Test
  void parse_openEndedFromZeroIsTheWholeObjectAsPartial() {
    ByteRange r = ByteRange.parse("bytes=0-", SIZE);
    assertThat(r).isEqualTo(new ByteRange(0, SIZE, SIZE, true));
    assertThat(r.contentRange()).isEqualTo("bytes 0-999/1000");
  }

  @Test
  void parse_openEndedFromTheMiddle() {
    assertThat(ByteRange.parse("bytes=990-", SIZE)).isEqualTo(new ByteRange(990, 10, SIZE, true));
  }

  @Test
  void parse_lastByteSuffix() {
    ByteRange r = ByteRange.parse("bytes=-1", SIZE);
    assertThat(r).isEqualTo(new ByteRange(999, 1, SIZE, true));
    assertThat(r.contentRange()).isEqualTo("bytes 999-999/1000");
  }

  @Test
  void parse_suffixLongerThanObjectReturnsWholeObject() {
    ByteRange r = ByteRange.parse("bytes=-5000", SIZE);
    assertThat(r).isEqualTo(new ByteRange(0, SIZE, SIZE, true));
    assertThat(r.contentRange()).isEqualTo("bytes 0-999/1000");
  }

  @Test
  void parse_zeroLengthSuffixIsInvalidRange() {
    unsatisfiable("bytes=-0", SIZE);
  }

  @Test
  void parse_closedRangeInside() {
    ByteRange r = ByteRange.parse("bytes=100-199", SIZE);
    assertThat(r).isEqualTo(new ByteRange(100, 100, SIZE, true));
    assertThat(r.contentRange()).isEqualTo("bytes 100-199/1000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=1000-", "bytes=1000-1000", "bytes=5000-6000"})
  void parse_firstBytePastEndIsInvalidRange(String header) {
    ServiceException e = unsatisfiable(header, SIZE);
    assertThat(e.error().message()).contains(header).contains("1000 bytes");
  }

  @Test
  void parse_lastBytePastEndIsClippedToTheObject() {
    ByteRange r = ByteRange.parse("bytes=900-5000", SIZE);
    assertThat(r).isEqualTo(new ByteRange(900, 100, SIZE, true));
    assertThat(r.contentRange()).isEqualTo("bytes 900-999/1000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=0-0", "bytes=0-", "bytes=-1", "bytes=-10", "bytes=5-10"})
  void parse_anyRangeOnEmptyObjectIsInvalidRange(String header) {
    unsatisfiable(header, 0);
  }

  @Test
  void parse_noRangeOnEmptyObjectIsTheEmptyWholeObject() {
    assertThat(ByteRange.parse(null, 0)).isEqualTo(new ByteRange(0, 0, 0, false));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  ", "bytes=", "bytes=-", "bytes=abc", "bytes=1-a", "items=0-5",
      "bytes 0-5", "0-5", "bytes=5-1", "bytes=-1-2", "bytes=99999999999999999999-"})
  void parse_malformedHeaderReturnsWholeObject(String header) {
    ByteRange r = ByteRange.parse(header, SIZE);
    assertThat(r).isEqualTo(ByteRange.whole(SIZE));
    assertThat(r.partial()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=0-1,5-6", "bytes=0-0, -1", "bytes=0-1,2-"})
  void parse_multipleRangesReturnWholeObject(String header) {
    assertThat(ByteRange.parse(header, SIZE)).isEqualTo(ByteRange.whole(SIZE));
  }

  @Test
  void parse_toleratesSurroundingWhitespace() {
    assertThat(ByteRange.parse("  bytes=1-2 ", SIZE)).isEqualTo(new ByteRange(1, 2, SIZE, true));
  }

  @Test
  void whole_isNotPartialAndCoversEverything() {
    ByteRange whole = ByteRange.whole(SIZE);
    assertThat(whole.first()).isZero();
    assertThat(whole.length()).isEqualTo(SIZE);
    assertThat(whole.partial()).isFalse();
    assertThat(whole.contentRange()).isEqualTo("bytes 0-999/1000");
  }

  @Test
  void contentRange_ofLargeObjectBeyondIntRange() {
    long size = 5L * 1024 * 1024 * 1024 * 1024; // 5 TiB, S3's maximum object size
    ByteRange r = ByteRange.parse("bytes=4398046511104-", size);
    assertThat(r.length()).isEqualTo(size - 4398046511104L);
    assertThat(r.contentRange()).isEqualTo("bytes 4398046511104-5497558138879/5497558138880");
  }
}
