package fabric.gateway.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Carries the region a request names in {@value #HEADER} (empty: the node's own) into the
 * call's {@link Context}: regions are simulated in one cluster, so a DynamoDB call picks its
 * region's tables this way (the service checks the name).
 */
public final class CallerRegion implements ServerInterceptor {
  public static final String HEADER = "x-amz-region";
  public static final Metadata.Key<String> REGION_KEY =
      Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> REGION =
      Context.keyWithDefault("fabric-caller-region", "");
  /** Longer than any region name; a longer header is cut (the service then refuses it). */
  private static final int MAX_LENGTH = 64;

  /** The region header of the call being served; capture it at the start of the handler. */
  public static String current() {
    return REGION.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String region = headers.get(REGION_KEY);
    if (region == null) {
      return next.startCall(call, headers);
    }
    if (region.length() > MAX_LENGTH) {
      region = region.substring(0, MAX_LENGTH);
    }
    return Contexts.interceptCall(Context.current().withValue(REGION, region), call, headers,
        next);
  }

  /**
   * For a service that serves only the node's region yet (DynamoDB Streams): a call naming
   * another region is refused with a ValidationException rather than answered from the
   * wrong region's tables.
   */
  public static ServerInterceptor only(String region, GrpcErrors errors) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call,
          Metadata headers, ServerCallHandler<Q, R> next) {
        String asked = headers.get(REGION_KEY);
        if (asked == null || asked.isEmpty() || asked.equals(region)) {
          return next.startCall(call, headers);
        }
        io.grpc.StatusRuntimeException refused = errors.toStatus(
            fabric.dynamo.model.DynamoErrors.validation("This service serves region "
                + region + " only, not " + (asked.length() > MAX_LENGTH
                    ? asked.substring(0, MAX_LENGTH) + "..." : asked)), "region");
        call.close(refused.getStatus(), refused.getTrailers());
        return new ServerCall.Listener<>() {};
      }
    };
  }
}
