package fabric.queue.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.internal.MessageMD5ChecksumInterceptor;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The MD5s must be exactly what the AWS SDK computes to check SQS's answers: the SDK's own
 * (private) checksum code is the oracle, over fixed and random bodies and attributes.
 */
class MessageDigestsTest {
  private static String sdkBodyMd5(String body) throws Exception {
    Method m = MessageMD5ChecksumInterceptor.class.getDeclaredMethod("calculateMessageBodyMd5",
        String.class);
    m.setAccessible(true);
    return (String) m.invoke(null, body);
  }

  private static String sdkAttributesMd5(Map<String, MessageAttribute> attributes)
      throws Exception {
    Map<String, MessageAttributeValue> sdk = new HashMap<>();
    attributes.forEach((name, a) -> sdk.put(name, a.isBinary()
        ? MessageAttributeValue.builder().dataType(a.dataType())
            .binaryValue(SdkBytes.fromByteArray(a.binaryValue())).build()
        : MessageAttributeValue.builder().dataType(a.dataType())
            .stringValue(a.stringValue()).build()));
    Method m = MessageMD5ChecksumInterceptor.class.getDeclaredMethod(
        "calculateMessageAttributesMd5", Map.class);
    m.setAccessible(true);
    return (String) m.invoke(null, sdk);
  }

  @Test
  void bodyDigestsMatchTheSdkIncludingUnicodeAndEmpty() throws Exception {
    for (String body : new String[] {"", "hello", "héllo wörld ✓ 𝄞", "x".repeat(262_144)}) {
      assertThat(MessageDigests.md5OfBody(body)).isEqualTo(sdkBodyMd5(body));
    }
    assertThat(MessageDigests.md5OfBody("hello")).isEqualTo("5d41402abc4b2a76b9719d911017c592");
  }

  @Test
  void attributeDigestsMatchTheSdkForEveryTypeAndOrder() throws Exception {
    Map<String, MessageAttribute> attributes = new HashMap<>();
    attributes.put("zeta", MessageAttribute.string("last"));
    attributes.put("Alpha", MessageAttribute.number("-12.5e3"));
    attributes.put("blob", MessageAttribute.binary(new byte[] {0, 1, 2, (byte) 255}));
    attributes.put("label", new MessageAttribute("String.json", "{\"a\":1}", null));
    attributes.put("unicode", MessageAttribute.string("ünïcødé ✓"));
    assertThat(MessageDigests.md5OfAttributes(attributes))
        .isEqualTo(sdkAttributesMd5(attributes));
    assertThat(MessageDigests.md5OfAttributes(Map.of())).isNull();
  }

  @Test
  void randomAttributeSetsMatchTheSdk() throws Exception {
    Random random = new Random(11);
    for (int round = 0; round < 200; round++) {
      Map<String, MessageAttribute> attributes = new HashMap<>();
      int n = 1 + random.nextInt(MessageAttribute.MAX_PER_MESSAGE);
      for (int i = 0; i < n; i++) {
        String name = "a" + random.nextInt(1_000) + "_" + i;
        switch (random.nextInt(3)) {
          case 0 -> attributes.put(name, MessageAttribute.string(randomText(random)));
          case 1 -> attributes.put(name, MessageAttribute.number(
              Long.toString(random.nextLong())));
          default -> {
            byte[] bytes = new byte[1 + random.nextInt(300)];
            random.nextBytes(bytes);
            attributes.put(name, MessageAttribute.binary(bytes));
          }
        }
      }
      assertThat(MessageDigests.md5OfAttributes(attributes)).as("round %d", round)
          .isEqualTo(sdkAttributesMd5(attributes));
    }
  }

  private static String randomText(Random random) {
    StringBuilder b = new StringBuilder();
    int length = 1 + random.nextInt(40);
    for (int i = 0; i < length; i++) {
      b.appendCodePoint(random.nextBoolean() ? 'a' + random.nextInt(26)
          : 0x00e0 + random.nextInt(0x2000));
    }
    return new String(b.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
