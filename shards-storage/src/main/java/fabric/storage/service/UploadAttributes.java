package fabric.storage.service;

import fabric.storage.S3Errors;
import fabric.storage.bucket.StorageClass;
import fabric.storage.bucket.UserMetadata;
import fabric.storage.bucket.WriteCondition;
import java.util.Base64;
import java.util.Map;

/**
 * What a PUT (or a COPY with REPLACE) says about the object besides its bytes.
 *
 * @param contentMd5 base64 MD5 the client computed, or empty
 */
public record UploadAttributes(
    String contentType, Map<String, String> metadata, String storageClass, String contentMd5,
    WriteCondition condition) {

  public UploadAttributes(
      String contentType, Map<String, String> metadata, String storageClass, String contentMd5) {
    this(contentType, metadata, storageClass, contentMd5, WriteCondition.NONE);
  }

  /** S3's default when a PUT names no content type. */
  public static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

  public UploadAttributes {
    contentType = contentType == null || contentType.isEmpty()
        ? DEFAULT_CONTENT_TYPE : contentType;
    metadata = metadata == null ? Map.of() : metadata;
    storageClass = storageClass == null ? "" : storageClass;
    contentMd5 = contentMd5 == null ? "" : contentMd5;
    condition = condition == null ? WriteCondition.NONE : condition;
  }

  /** Checks every attribute and normalizes metadata names; throws ServiceException. */
  UploadAttributes validated() {
    StorageClass.parse(storageClass);
    if (!contentMd5.isEmpty()) {
      byte[] md5;
      try {
        md5 = Base64.getDecoder().decode(contentMd5);
      } catch (IllegalArgumentException e) {
        md5 = new byte[0];
      }
      if (md5.length != 16) {
        throw S3Errors.InvalidArgument.exception(
            "Content-MD5 '" + contentMd5 + "' is not the base64 of a 16-byte MD5");
      }
    }
    return new UploadAttributes(contentType, UserMetadata.normalize(metadata), storageClass,
        contentMd5, condition.validated());
  }

  StorageClass storageClassOrDefault() {
    return StorageClass.parse(storageClass);
  }
}
