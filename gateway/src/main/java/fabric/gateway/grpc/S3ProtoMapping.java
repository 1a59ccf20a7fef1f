package fabric.gateway.grpc;

import com.google.protobuf.Timestamp;
import fabric.s3.v1.Bucket;
import fabric.s3.v1.CommonPrefix;
import fabric.s3.v1.CopyObjectRequest;
import fabric.s3.v1.CopyObjectResponse;
import fabric.s3.v1.CopyObjectResult;
import fabric.s3.v1.ListBucketsResponse;
import fabric.s3.v1.ListObjectsV2Request;
import fabric.s3.v1.ListObjectsV2Response;
import fabric.s3.v1.ObjectMetadata;
import fabric.s3.v1.Owner;
import fabric.s3.v1.PutObjectRequest;
import fabric.s3.v1.PutObjectResponse;
import fabric.storage.bucket.ListPage;
import fabric.storage.bucket.ListQuery;
import fabric.storage.bucket.ObjectEntry;
import fabric.storage.registry.BucketEntry;
import fabric.storage.service.ByteRange;
import fabric.storage.bucket.WriteCondition;
import fabric.storage.service.UploadAttributes;
import java.time.Instant;
import java.util.List;

/** Pure conversions between the S3 protos and the storage module's types. */
public final class S3ProtoMapping {
  public static final String ACCEPT_RANGES = "bytes";

  private S3ProtoMapping() {}

  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  public static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  /** HeadObject's metadata: the whole object. */
  public static ObjectMetadata metadata(ObjectEntry entry) {
    return metadata(entry, ByteRange.whole(entry.size()));
  }

  /** GetObject's metadata for the part of the object this response carries. */
  public static ObjectMetadata metadata(ObjectEntry entry, ByteRange range) {
    ObjectMetadata.Builder b = ObjectMetadata.newBuilder()
        .setContentLength(range.length())
        .setObjectSize(entry.size())
        .setContentType(entry.contentType())
        .setETag(entry.eTag())
        .setLastModified(timestamp(entry.lastModified()))
        .putAllMetadata(entry.metadata())
        .setAcceptRanges(ACCEPT_RANGES)
        .setStorageClass(entry.storageClass().name());
    if (range.partial()) {
      b.setContentRange(range.contentRange());
    }
    return b.build();
  }

  public static UploadAttributes attributes(PutObjectRequest request) {
    return new UploadAttributes(request.getContentType(), request.getMetadataMap(),
        request.getStorageClass(), request.getContentMd5(),
        new WriteCondition(request.getIfMatch(), request.getIfNoneMatch()));
  }

  public static UploadAttributes attributes(CopyObjectRequest request) {
    return new UploadAttributes(request.getContentType(), request.getMetadataMap(),
        request.getStorageClass(), "");
  }

  /** True if a PutObject message after the first carries anything besides data. */
  public static boolean hasHeaderFields(PutObjectRequest request) {
    return !request.getBucket().isEmpty() || !request.getKey().isEmpty()
        || !request.getContentType().isEmpty() || request.getMetadataCount() > 0
        || !request.getStorageClass().isEmpty() || !request.getContentMd5().isEmpty();
  }

  public static PutObjectResponse putResponse(ObjectEntry entry) {
    return PutObjectResponse.newBuilder().setETag(entry.eTag()).setSize(entry.size()).build();
  }

  public static CopyObjectResponse copyResponse(ObjectEntry entry) {
    return CopyObjectResponse.newBuilder()
        .setCopyObjectResult(CopyObjectResult.newBuilder()
            .setETag(entry.eTag())
            .setLastModified(timestamp(entry.lastModified())))
        .build();
  }

  /** Throws ServiceException (InvalidArgument) for a negative max_keys. */
  public static ListQuery listQuery(ListObjectsV2Request request) {
    int maxKeys = request.hasMaxKeys() ? request.getMaxKeys() : ListQuery.MAX_KEYS_LIMIT;
    return new ListQuery(request.getPrefix(), request.getDelimiter(), request.getStartAfter(),
        request.getContinuationToken(), maxKeys);
  }

  public static ListObjectsV2Response listResponse(ListObjectsV2Request request, ListPage page) {
    ListObjectsV2Response.Builder b = ListObjectsV2Response.newBuilder()
        .setName(request.getBucket())
        .setPrefix(request.getPrefix())
        .setDelimiter(request.getDelimiter())
        .setMaxKeys(request.hasMaxKeys() ? request.getMaxKeys() : ListQuery.MAX_KEYS_LIMIT)
        .setContinuationToken(request.getContinuationToken())
        .setStartAfter(request.getStartAfter())
        .setIsTruncated(page.truncated())
        .setKeyCount(page.contents().size() + page.commonPrefixes().size());
    for (ObjectEntry entry : page.contents()) {
      b.addContents(object(entry));
    }
    for (String prefix : page.commonPrefixes()) {
      b.addCommonPrefixes(CommonPrefix.newBuilder().setPrefix(prefix));
    }
    if (page.nextContinuationToken() != null) {
      b.setNextContinuationToken(page.nextContinuationToken());
    }
    return b.build();
  }

  public static fabric.s3.v1.Object object(ObjectEntry entry) {
    return fabric.s3.v1.Object.newBuilder()
        .setKey(entry.key())
        .setLastModified(timestamp(entry.lastModified()))
        .setETag(entry.eTag())
        .setSize(entry.size())
        .setStorageClass(entry.storageClass().name())
        .build();
  }

  public static ListBucketsResponse listBuckets(String account, List<BucketEntry> buckets) {
    ListBucketsResponse.Builder b = ListBucketsResponse.newBuilder()
        .setOwner(Owner.newBuilder().setId(account));
    for (BucketEntry bucket : buckets) {
      b.addBuckets(Bucket.newBuilder()
          .setName(bucket.name())
          .setCreationDate(timestamp(bucket.createdAt()))
          .setBucketRegion(bucket.region()));
    }
    return b.build();
  }
}
