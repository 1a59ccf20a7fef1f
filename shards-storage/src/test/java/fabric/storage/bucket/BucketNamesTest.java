package fabric.storage.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fabric.core.error.ErrorCategory;
import fabric.core.error.ServiceException;
import fabric.storage.S3Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** AWS's general-purpose bucket naming rules, one rule at a time. */
class BucketNamesTest {

  private static ServiceException rejection(String name) {
    ServiceException e = catchThrowableOfType(ServiceException.class,
        () -> BucketNames.validate(name));
    assertThat(e).as("'%s' should be rejected", name).isNotNull();
    assertThat(e.error().code()).isEqualTo(S3Errors.InvalidBucketName.awsCode());
    assertThat(e.error().httpStatus()).isEqualTo(400);
    assertThat(e.error().category()).isEqualTo(ErrorCategory.INVALID_ARGUMENT);
    assertThat(e.error().message()).startsWith("The specified bucket is not valid: ");
    return e;
  }

  private static void assertRejectedSaying(String name, String problem) {
    assertThat(rejection(name).error().message()).contains(problem);
    assertThat(BucketNames.problem(name)).contains(problem);
  }

  private static String repeat(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "abc", "my-bucket", "my.bucket.name", "123", "a.b-c", "docexamplebucket1",
      "a-b--c", "xn-not-punycode", "s3alias", "bucket-s3alias-not-at-end",
      "192.168.1.1a", "1.2.3", "1.2.3.4.5", "a1.b2.c3.d4", "mrap"})
  void validate_acceptsValidNames(String name) {
    assertThatCode(() -> BucketNames.validate(name)).doesNotThrowAnyException();
    assertThat(BucketNames.problem(name)).isNull();
  }

  @ParameterizedTest
  @NullAndEmptySource
  void validate_rejectsEmptyName(String name) {
    assertRejectedSaying(name, "bucket name is empty");
  }

  @Test
  void validate_rejectsNameShorterThanThreeCharacters() {
    assertRejectedSaying("ab", "is 2 characters long; names are 3 to 63 characters");
    assertRejectedSaying("a", "is 1 characters long");
  }

  @Test
  void validate_acceptsNamesOfExactlyThreeAndSixtyThreeCharacters() {
    assertThat(BucketNames.problem("abc")).isNull();
    assertThat(BucketNames.problem(repeat('a', 63))).isNull();
    assertThat(BucketNames.problem("a" + repeat('-', 61) + "z")).isNull();
  }

  @Test
  void validate_rejectsNameLongerThanSixtyThreeCharacters() {
    assertRejectedSaying(repeat('a', 64), "is 64 characters long; names are 3 to 63 characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"MyBucket", "mybuckeT", "ABC"})
  void validate_rejectsUppercaseLetters(String name) {
    assertRejectedSaying(name, "may contain only lowercase letters, digits, dots and hyphens");
  }

  @ParameterizedTest
  @ValueSource(strings = {"my_bucket", "my bucket", "my/bucket", "my:bucket", "bucket!", "a+b"})
  void validate_rejectsCharactersOtherThanLowercaseDigitsDotsAndHyphens(String name) {
    assertRejectedSaying(name, "may contain only lowercase letters, digits, dots and hyphens");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bücket", "bucket名", "ｂｕｃｋｅｔ", "bucket\u00e9", "\uD83D\uDE00abc"})
  void validate_rejectsNonAsciiCharacters(String name) {
    assertRejectedSaying(name, "may contain only lowercase letters, digits, dots and hyphens");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-bucket", "bucket-", ".bucket", "bucket.", "-ab", "ab.", "---"})
  void validate_rejectsNamesThatStartOrEndWithHyphenOrDot(String name) {
    assertRejectedSaying(name, "must begin and end with a lowercase letter or digit");
  }

  @ParameterizedTest
  @ValueSource(strings = {"my..bucket", "a..b", "a.b..c.d"})
  void validate_rejectsAdjacentDots(String name) {
    assertRejectedSaying(name, "must not contain two adjacent dots");
  }

  @ParameterizedTest
  @ValueSource(strings = {"my.-bucket", "my-.bucket", "a-.-b"})
  void validate_rejectsDotNextToHyphen(String name) {
    assertRejectedSaying(name, "must not contain a dot next to a hyphen");
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.168.1.1", "10.0.0.1", "127.0.0.1", "999.999.999.999", "0.0.0.0"})
  void validate_rejectsNamesFormattedAsIpv4Address(String name) {
    assertRejectedSaying(name, "must not be formatted as an IP address");
  }

  @ParameterizedTest
  @CsvSource({
      "xn--bcher-kva, xn--",
      "sthree-bucket, sthree-",
      "sthree-configurator, sthree-",
      "amzn-s3-demo-bucket, amzn-s3-demo-"})
  void validate_rejectsReservedPrefixes(String name, String prefix) {
    assertRejectedSaying(name, "must not start with the reserved prefix '" + prefix + "'");
  }

  @ParameterizedTest
  @CsvSource({
      "bucket-s3alias, -s3alias",
      "bucket--ol-s3, --ol-s3",
      "bucket.mrap, .mrap",
      "bucket--x-s3, --x-s3",
      "bucket--table-s3, --table-s3"})
  void validate_rejectsReservedSuffixes(String name, String suffix) {
    assertRejectedSaying(name, "must not end with the reserved suffix '" + suffix + "'");
  }

  @Test
  void validate_messageQuotesTheOffendingName() {
    assertThat(rejection("Bad_Name").error().message()).contains("'Bad_Name'");
  }

  @Test
  void problem_reportsTheFirstBrokenRuleOnly() {
    // Too short wins over the character rule: one clear message, not a list.
    assertThat(BucketNames.problem("A_")).contains("2 characters long")
        .doesNotContain("lowercase letters");
  }
}
