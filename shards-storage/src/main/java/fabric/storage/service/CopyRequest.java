package fabric.storage.service;

import fabric.storage.S3Errors;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A CopyObject request. {@code copySource} is "bucket/key" as in x-amz-copy-source (an
 * optional leading slash; the key may be URL-encoded).
 */
public record CopyRequest(
    String bucket, String key, String sourceBucket, String sourceKey,
    boolean replaceMetadata, UploadAttributes attributes) {

  public static CopyRequest of(String bucket, String key, String copySource,
      String metadataDirective, UploadAttributes attributes) {
    String source = copySource == null ? "" : copySource;
    if (source.startsWith("/")) {
      source = source.substring(1);
    }
    int slash = source.indexOf('/');
    if (slash <= 0 || slash == source.length() - 1) {
      throw S3Errors.InvalidArgument.exception(
          "copy source must be 'bucket/key', got '" + copySource + "'");
    }
    String sourceBucket = source.substring(0, slash);
    String sourceKey = URLDecoder.decode(source.substring(slash + 1), StandardCharsets.UTF_8);
    boolean replace;
    if (metadataDirective == null || metadataDirective.isEmpty()
        || metadataDirective.equals("COPY")) {
      replace = false;
    } else if (metadataDirective.equals("REPLACE")) {
      replace = true;
    } else {
      throw S3Errors.InvalidArgument.exception("metadata directive must be COPY or REPLACE, got '"
          + metadataDirective + "'");
    }
    if (!replace && sourceBucket.equals(bucket) && sourceKey.equals(key)
        && attributes.storageClass().isEmpty()) {
      throw S3Errors.InvalidRequest.exception("This copy request is illegal because it is trying "
          + "to copy an object to itself without changing the object's metadata or storage "
          + "class");
    }
    return new CopyRequest(bucket, key, sourceBucket, sourceKey, replace, attributes);
  }
}
