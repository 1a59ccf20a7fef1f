package fabric.storage.service;

import fabric.storage.S3Errors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of an object a GET returns. Parses one HTTP byte range as S3 does: a syntactically
 * invalid or multi-range header is ignored (the whole object is returned, RFC 9110 allows
 * that), a range that starts past the end is InvalidRange (416).
 *
 * @param first first byte, inclusive
 * @param length bytes to return
 * @param partial whether a Range was applied (the response then carries Content-Range)
 */
public record ByteRange(long first, long length, long objectSize, boolean partial) {
  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  public static ByteRange whole(long size) {
    return new ByteRange(0, size, size, false);
  }

  public static ByteRange parse(String header, long size) {
    if (header == null || header.isBlank()) {
      return whole(size);
    }
    Matcher m = SINGLE.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return whole(size);
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || size == 0) {
          throw unsatisfiable(header, size);
        }
        long n = Math.min(suffix, size);
        return new ByteRange(size - n, n, size, true);
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
      if (first >= size) {
        throw unsatisfiable(header, size);
      }
      if (last < first) {
        return whole(size); // syntactically invalid: RFC 9110 says ignore it
      }
      last = Math.min(last, size - 1);
      return new ByteRange(first, last - first + 1, size, true);
    } catch (NumberFormatException e) {
      return whole(size); // digits beyond a long: not a range we can honour
    }
  }

  /** "bytes first-last/size", the Content-Range of a partial response. */
  public String contentRange() {
    return "bytes " + first + "-" + (first + length - 1) + "/" + objectSize;
  }

  private static RuntimeException unsatisfiable(String header, long size) {
    return S3Errors.InvalidRange.exception("The requested range '" + header
        + "' is not satisfiable: the object is " + size + " bytes long");
  }
}
