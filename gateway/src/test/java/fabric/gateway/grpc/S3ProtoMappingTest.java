package fabric.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import fabric.core.blob.BlobId;
import fabric.core.blob.BlobRef;
import fabric.core.error.ServiceException;
import fabric.s3.v1.CopyObjectRequest;
import fabric.s3.v1.ListObjectsV2Request;
import fabric.s3.v1.ListObjectsV2Response;
import fabric.s3.v1.ObjectMetadata;
import fabric.s3.v1.PutObjectRequest;
import fabric.storage.bucket.ListPage;
import fabric.storage.bucket.ListQuery;
import fabric.storage.bucket.ObjectEntry;
import fabric.storage.bucket.StorageClass;
import fabric.storage.registry.BucketEntry;
import fabric.storage.service.ByteRange;
import fabric.storage.service.UploadAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3ProtoMappingTest {
  private static final Instant MODIFIED = Instant.parse("2026-11-25T10:15:30.123456789Z");
  private static final String MD5 = "9e107d9d372bb6826bd81d3542a419d6";

  private static ObjectEntry entry(String key, long size) {
    return new ObjectEntry(key, new BlobRef(BlobId.random(), size, MD5, 1 << 20), "text/plain",
        Map.of("colour", "blue"), StorageClass.STANDARD_IA, MODIFIED);
  }

  @Test
  void timestampsKeepNanoseconds() {
    var ts = S3ProtoMapping.timestamp(MODIFIED);

    assertThat(ts.getSeconds()).isEqualTo(MODIFIED.getEpochSecond());
    assertThat(ts.getNanos()).isEqualTo(123456789);
    assertThat(S3ProtoMapping.instant(ts)).isEqualTo(MODIFIED);
  }

  @Test
  void headMetadataDescribesTheWholeObjectWithoutContentRange() {
    ObjectMetadata m = S3ProtoMapping.metadata(entry("a.txt", 1234));

    assertThat(m.getContentLength()).isEqualTo(1234);
    assertThat(m.getObjectSize()).isEqualTo(1234);
    assertThat(m.getContentType()).isEqualTo("text/plain");
    assertThat(m.getETag()).isEqualTo("\"" + MD5 + "\"");
    assertThat(S3ProtoMapping.instant(m.getLastModified())).isEqualTo(MODIFIED);
    assertThat(m.getMetadataMap()).containsExactly(Map.entry("colour", "blue"));
    assertThat(m.getAcceptRanges()).isEqualTo("bytes");
    assertThat(m.getStorageClass()).isEqualTo("STANDARD_IA");
    assertThat(m.getContentRange()).isEmpty();
  }

  @Test
  void rangedMetadataCarriesTheRangeLengthAndContentRange() {
    ObjectEntry e = entry("a.txt", 1234);

    ObjectMetadata m = S3ProtoMapping.metadata(e, ByteRange.parse("bytes=0-99", 1234));

    assertThat(m.getContentLength()).isEqualTo(100);
    assertThat(m.getObjectSize()).isEqualTo(1234);
    assertThat(m.getContentRange()).isEqualTo("bytes 0-99/1234");
  }

  @Test
  void putAttributesComeFromTheFirstMessage() {
    UploadAttributes a = S3ProtoMapping.attributes(PutObjectRequest.newBuilder()
        .setBucket("b").setKey("k").setContentType("image/png").putMetadata("x", "y")
        .setStorageClass("ONEZONE_IA").setContentMd5("1B2M2Y8AsgTpgAmY7PhCfg==").build());

    assertThat(a.contentType()).isEqualTo("image/png");
    assertThat(a.metadata()).containsExactly(Map.entry("x", "y"));
    assertThat(a.storageClass()).isEqualTo("ONEZONE_IA");
    assertThat(a.contentMd5()).isEqualTo("1B2M2Y8AsgTpgAmY7PhCfg==");
  }

  @Test
  void absentContentTypeBecomesS3sDefault() {
    assertThat(S3ProtoMapping.attributes(CopyObjectRequest.newBuilder().build()).contentType())
        .isEqualTo(UploadAttributes.DEFAULT_CONTENT_TYPE);
  }

  @Test
  void laterPutMessagesMayCarryOnlyData() {
    var dataOnly = PutObjectRequest.newBuilder().setData(ByteString.copyFromUtf8("x")).build();

    assertThat(S3ProtoMapping.hasHeaderFields(dataOnly)).isFalse();
    assertThat(S3ProtoMapping.hasHeaderFields(dataOnly.toBuilder().setKey("k").build())).isTrue();
    assertThat(S3ProtoMapping.hasHeaderFields(dataOnly.toBuilder().setBucket("b").build()))
        .isTrue();
    assertThat(S3ProtoMapping.hasHeaderFields(
        dataOnly.toBuilder().putMetadata("a", "b").build())).isTrue();
  }

  @Test
  void absentMaxKeysMeansAThousand() {
    ListQuery q = S3ProtoMapping.listQuery(ListObjectsV2Request.newBuilder()
        .setBucket("b").setPrefix("p/").setDelimiter("/").setStartAfter("p/a")
        .setContinuationToken("tok").build());

    assertThat(q.maxKeys()).isEqualTo(1000);
    assertThat(q.prefix()).isEqualTo("p/");
    assertThat(q.delimiter()).isEqualTo("/");
    assertThat(q.startAfter()).isEqualTo("p/a");
    assertThat(q.continuationToken()).isEqualTo("tok");
  }

  @Test
  void zeroMaxKeysIsKeptAndNegativeIsInvalid() {
    assertThat(S3ProtoMapping.listQuery(
        ListObjectsV2Request.newBuilder().setMaxKeys(0).build()).maxKeys()).isZero();
    assertThatThrownBy(() -> S3ProtoMapping.listQuery(
        ListObjectsV2Request.newBuilder().setMaxKeys(-1).build()))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.error().code()).isEqualTo("InvalidArgument"));
  }

  @Test
  void listResponseEchoesTheRequestAndCountsKeysAndPrefixes() {
    var request = ListObjectsV2Request.newBuilder().setBucket("photos").setPrefix("2026/")
        .setDelimiter("/").setMaxKeys(2).setContinuationToken("c1").setStartAfter("2026/0")
        .build();
    var page = new ListPage(List.of(entry("2026/a.jpg", 10)), List.of("2026/11/"), true, "c2");

    ListObjectsV2Response r = S3ProtoMapping.listResponse(request, page);

    assertThat(r.getName()).isEqualTo("photos");
    assertThat(r.getPrefix()).isEqualTo("2026/");
    assertThat(r.getDelimiter()).isEqualTo("/");
    assertThat(r.getMaxKeys()).isEqualTo(2);
    assertThat(r.getContinuationToken()).isEqualTo("c1");
    assertThat(r.getStartAfter()).isEqualTo("2026/0");
    assertThat(r.getKeyCount()).isEqualTo(2);
    assertThat(r.getIsTruncated()).isTrue();
    assertThat(r.getNextContinuationToken()).isEqualTo("c2");
    assertThat(r.getContentsList()).singleElement().satisfies(o -> {
      assertThat(o.getKey()).isEqualTo("2026/a.jpg");
      assertThat(o.getSize()).isEqualTo(10);
      assertThat(o.getETag()).isEqualTo("\"" + MD5 + "\"");
      assertThat(o.getStorageClass()).isEqualTo("STANDARD_IA");
      assertThat(S3ProtoMapping.instant(o.getLastModified())).isEqualTo(MODIFIED);
    });
    assertThat(r.getCommonPrefixesList()).singleElement()
        .satisfies(p -> assertThat(p.getPrefix()).isEqualTo("2026/11/"));
  }

  @Test
  void lastPageHasNoNextTokenAndDefaultMaxKeysIsEchoed() {
    var request = ListObjectsV2Request.newBuilder().setBucket("b").build();

    ListObjectsV2Response r =
        S3ProtoMapping.listResponse(request, new ListPage(List.of(), List.of(), false, null));

    assertThat(r.getMaxKeys()).isEqualTo(1000);
    assertThat(r.getKeyCount()).isZero();
    assertThat(r.getIsTruncated()).isFalse();
    assertThat(r.getNextContinuationToken()).isEmpty();
  }

  @Test
  void listBucketsNamesTheCallerAsOwner() {
    var created = Instant.parse("2026-01-02T03:04:05Z");

    var r = S3ProtoMapping.listBuckets("123456789012",
        List.of(new BucketEntry("logs", "123456789012", "us-east-1", created)));

    assertThat(r.getOwner().getId()).isEqualTo("123456789012");
    assertThat(r.getBucketsList()).singleElement().satisfies(b -> {
      assertThat(b.getName()).isEqualTo("logs");
      assertThat(b.getBucketRegion()).isEqualTo("us-east-1");
      assertThat(S3ProtoMapping.instant(b.getCreationDate())).isEqualTo(created);
    });
  }

  @Test
  void putAndCopyResponsesCarryTheQuotedMd5() {
    ObjectEntry e = entry("k", 5);

    assertThat(S3ProtoMapping.putResponse(e).getETag()).isEqualTo("\"" + MD5 + "\"");
    assertThat(S3ProtoMapping.putResponse(e).getSize()).isEqualTo(5);
    var copy = S3ProtoMapping.copyResponse(e).getCopyObjectResult();
    assertThat(copy.getETag()).isEqualTo("\"" + MD5 + "\"");
    assertThat(S3ProtoMapping.instant(copy.getLastModified())).isEqualTo(MODIFIED);
  }
}
