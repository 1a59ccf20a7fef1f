package fabric.gateway.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Carries the AZ a request names in {@value #HEADER} (empty when it names none) into the
 * call's {@link Context}; {@link ReadRouting} checks it against the cluster's AZs.
 */
public final class CallerAz implements ServerInterceptor {
  public static final String HEADER = "x-fabric-az";
  public static final Metadata.Key<String> AZ_KEY =
      Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> AZ = Context.keyWithDefault("fabric-caller-az", "");
  /** Longer than any AZ name; a longer header is refused unread rather than echoed. */
  private static final int MAX_LENGTH = 64;

  /** The AZ header of the call being served; capture it at the start of the handler. */
  public static String current() {
    return AZ.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String az = headers.get(AZ_KEY);
    if (az == null) {
      return next.startCall(call, headers);
    }
    if (az.length() > MAX_LENGTH) {
      az = az.substring(0, MAX_LENGTH) + "...";
    }
    return Contexts.interceptCall(Context.current().withValue(AZ, az), call, headers, next);
  }
}
