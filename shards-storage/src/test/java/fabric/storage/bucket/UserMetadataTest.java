package fabric.storage.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fabric.core.error.ServiceException;
import fabric.storage.S3Errors;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserMetadataTest {

  private static ServiceException rejection(Map<String, String> metadata) {
    ServiceException e = catchThrowableOfType(ServiceException.class,
        () -> UserMetadata.normalize(metadata));
    assertThat(e).as("metadata should be rejected").isNotNull();
    return e;
  }

  @Test
  void normalize_acceptsExactly2048BytesOfNamesAndValues() {
    Map<String, String> metadata = Map.of("a", "x".repeat(2047));
    assertThat(UserMetadata.normalize(metadata)).isEqualTo(metadata);
  }

  @Test
  void normalize_rejects2049BytesWithMetadataTooLarge() {
    ServiceException e = rejection(Map.of("a", "x".repeat(2048)));
    assertThat(e.error().code()).isEqualTo(S3Errors.MetadataTooLarge.awsCode());
    assertThat(e.error().httpStatus()).isEqualTo(400);
    assertThat(e.error().message()).contains("2049 bytes").contains("2048");
  }

  @Test
  void normalize_countsUtf8BytesNotCharacters() {
    // 682 euro signs are 2046 bytes: with a one-byte name and one more byte, exactly 2048.
    String value = "\u20AC".repeat(682) + "x";
    assertThat(UserMetadata.normalize(Map.of("k", value))).containsEntry("k", value);
    ServiceException e = rejection(Map.of("k", value + "y"));
    assertThat(e.error().code()).isEqualTo(S3Errors.MetadataTooLarge.awsCode());
    assertThat(e.error().message()).contains("2049 bytes");
  }

  @Test
  void normalize_sumsSizesOverAllEntries() {
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) {
      metadata.put("name" + i, "v".repeat(251)); // 5 + 251 = 256 bytes each, 2048 in all
    }
    assertThat(UserMetadata.normalize(metadata)).hasSize(8);
    metadata.put("z", "");
    assertThat(rejection(metadata).error().code())
        .isEqualTo(S3Errors.MetadataTooLarge.awsCode());
  }

  @Test
  void normalize_lowercasesNamesAndKeepsValues() {
    Map<String, String> metadata = new HashMap<>();
    metadata.put("Color", "Dark-Red");
    metadata.put("X-TRACE-ID", "AbC");
    assertThat(UserMetadata.normalize(metadata))
        .containsExactly(Map.entry("color", "Dark-Red"), Map.entry("x-trace-id", "AbC"));
  }

  @Test
  void normalize_readsNullValueAsEmpty() {
    Map<String, String> metadata = new HashMap<>();
    metadata.put("empty", null);
    assertThat(UserMetadata.normalize(metadata)).containsExactly(Map.entry("empty", ""));
  }

  @Test
  void normalize_acceptsEveryHttpTokenCharacter() {
    String name = "!#$%&'*+.^_`|~0123456789abcdefghijklmnopqrstuvwxyz-";
    assertThat(UserMetadata.normalize(Map.of(name, "v"))).containsKey(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"my key", "a:b", "a/b", "x(y)", "na\u00efve", "tab\tname", "", "a\"b",
      "a,b", "a;b", "a=b", "a@b", "a[b]", "a{b}", "a\\b", "\u00c9t\u00e9"})
  void normalize_rejectsInvalidHeaderNameCharacters(String name) {
    ServiceException e = rejection(Map.of(name, "v"));
    assertThat(e.error().code()).isEqualTo(S3Errors.InvalidArgument.awsCode());
    assertThat(e.error().message()).contains("is not a valid HTTP header token");
  }

  @Test
  void normalize_returnsEmptyForEmptyMetadata() {
    assertThat(UserMetadata.normalize(Map.of())).isEmpty();
  }
}
