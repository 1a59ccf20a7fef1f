package fabric.gateway.grpc;

import fabric.core.error.ErrorCategory;
import fabric.core.error.ServiceError;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.regex.Pattern;

/**
 * Puts the caller's account id into the call's {@link Context}. Until authentication exists
 * the id is whatever the client sends in {@value #HEADER}; checking its shape here means no
 * service ever builds an entity id or ARN from a malformed account.
 */
public final class AccountInterceptor implements ServerInterceptor {
  public static final String HEADER = "x-fabric-account-id";
  public static final String DEFAULT_ACCOUNT = "000000000000";
  public static final Metadata.Key<String> ACCOUNT_KEY =
      Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<String> ACCOUNT = Context.key("fabric-account-id");
  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

  private final GrpcErrors errors;

  /** {@code errors} decides the ErrorInfo domain of the rejection. */
  public AccountInterceptor(GrpcErrors errors) {
    this.errors = errors;
  }

  /**
   * The account of the call being served. Only valid on a thread that runs one of the call's
   * callbacks (the gRPC context is thread-local): capture it at the start of the handler.
   *
   * @throws IllegalStateException if the service was bound without this interceptor
   */
  public static String currentAccount() {
    String account = ACCOUNT.get();
    if (account == null) {
      // Defaulting here would silently run a mis-wired service as the default account.
      throw new IllegalStateException("no account in the gRPC context: "
          + "the service was bound without AccountInterceptor");
    }
    return account;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String account = headers.get(ACCOUNT_KEY);
    if (account == null) {
      account = DEFAULT_ACCOUNT;
    }
    if (!ACCOUNT_ID.matcher(account).matches()) {
      StatusRuntimeException rejection = errors.toStatus(new ServiceError("InvalidAccountId",
          400, ErrorCategory.INVALID_ARGUMENT,
          "The account id in " + HEADER + " must be 12 digits, got '" + printable(account)
              + "'"));
      call.close(rejection.getStatus(), rejection.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(ACCOUNT, account), call, headers,
        next);
  }

  // The header is echoed in the error: keep it short so a client can't make us send back
  // an arbitrarily large value.
  private static String printable(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
