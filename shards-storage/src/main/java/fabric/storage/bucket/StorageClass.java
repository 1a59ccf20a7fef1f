package fabric.storage.bucket;

import fabric.storage.S3Errors;
import java.util.Arrays;

/**
 * S3 storage classes. Placement: ONEZONE_IA objects live in one AZ (the AZ of the node
 * that took the PUT), every other class in every AZ of the region.
 */
public enum StorageClass {
  STANDARD,
  REDUCED_REDUNDANCY,
  STANDARD_IA,
  ONEZONE_IA,
  INTELLIGENT_TIERING,
  GLACIER,
  DEEP_ARCHIVE,
  GLACIER_IR;

  /** True for classes whose bytes live in a single AZ. */
  public boolean singleZone() {
    return this == ONEZONE_IA;
  }

  /** Empty means STANDARD, as on AWS. */
  public static StorageClass parse(String value) {
    if (value == null || value.isEmpty()) {
      return STANDARD;
    }
    try {
      return valueOf(value);
    } catch (IllegalArgumentException e) {
      throw S3Errors.InvalidStorageClass.exception("The storage class '" + value
          + "' is not one of " + Arrays.toString(values()));
    }
  }
}
