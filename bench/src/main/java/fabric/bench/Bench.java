package fabric.bench;

import com.google.rpc.ErrorInfo;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.io.PrintWriter;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * Command line entry of the fabric benchmarks: {@code --service s3} (the default) runs
 * {@link S3Bench}, {@code --service sqs} runs {@link SqsBench}, {@code --service dynamodb}
 * runs {@link DynamoBench}, {@code --service kinesis} runs {@link KinesisBench}; every other
 * argument goes to the chosen benchmark. Also the pieces the benchmarks share: the channel,
 * the account header, and how a failed call is described.
 */
public final class Bench {
  static final int EXIT_UNREACHABLE = 3;
  static final int EXIT_USAGE = 2;
  static final List<String> SERVICES = List.of("s3", "sqs", "sqs-depth", "dynamodb", "kinesis");
  private static final Metadata.Key<String> ACCOUNT_HEADER =
      Metadata.Key.of("x-fabric-account-id", Metadata.ASCII_STRING_MARSHALLER);
  // Held in a field: JUL keeps loggers weakly, and a collected one would forget its level.
  private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

  private Bench() {}

  public static void main(String[] args) {
    // gRPC logs e.g. a DNS failure as a JUL WARNING with a full stack trace; the bench reports
    // such failures itself (one line, or an error count per status), so keep the console clean.
    GRPC_LOG.setLevel(Level.SEVERE);
    String service = serviceOf(args);
    Object command = switch (service) {
      case "s3" -> new S3Bench();
      case "sqs" -> new SqsBench();
      case "sqs-depth" -> new SqsDepthBench();
      case "dynamodb" -> new DynamoBench();
      case "kinesis" -> new KinesisBench();
      default -> null;
    };
    if (command == null) {
      System.err.println("error: unknown --service '" + service + "' (one of: "
          + String.join(", ", SERVICES) + ")");
      System.exit(EXIT_USAGE);
    }
    System.exit(new CommandLine(command).execute(args));
  }

  /** The value of the last {@code --service X} or {@code --service=X}; "s3" if none. */
  static String serviceOf(String[] args) {
    String service = "s3";
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--service") && i + 1 < args.length) {
        service = args[++i];
      } else if (args[i].startsWith("--service=")) {
        service = args[i].substring("--service=".length());
      }
    }
    return service.trim().toLowerCase(java.util.Locale.ROOT);
  }

  static ManagedChannel openChannel(String target) {
    // Netty rather than the generic builder: only it exposes the flow-control window, and
    // gRPC's 64 KiB default would throttle an 8 MiB body to a trickle of window updates.
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .flowControlWindow((int) (8 * Units.MIB))
        .maxInboundMessageSize((int) (16 * Units.MIB))
        // Callbacks only hand off buffers; running them on the event loop saves a thread hop.
        .directExecutor()
        .build();
  }

  /** The channel with the account header on every call (the interceptor wraps the channel). */
  static Channel withAccount(Channel channel, String account) {
    Metadata headers = new Metadata();
    headers.put(ACCOUNT_HEADER, account);
    return ClientInterceptors.intercept(channel,
        MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /**
   * Why a call failed, in one line: the AWS error code from the status's ErrorInfo if there is
   * one, the description, and the cause ("io exception" alone does not say "connection
   * refused").
   */
  static String why(StatusRuntimeException e) {
    StringBuilder b = new StringBuilder(awsCode(e));
    Status status = e.getStatus();
    if (status.getDescription() != null) {
      b.append(b.length() > 0 ? ": " : "").append(status.getDescription());
    }
    if (status.getCause() != null && status.getCause().getMessage() != null) {
      b.append(b.length() > 0 ? ": " : "").append(status.getCause().getMessage());
    }
    return b.toString();
  }

  /**
   * The AWS error code the server put into the status details (the reason of a
   * google.rpc.ErrorInfo, e.g. ResourceNotFoundException); "" if there is none.
   */
  static String awsCode(StatusRuntimeException e) {
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    if (details != null) {
      for (var any : details.getDetailsList()) {
        if (any.is(ErrorInfo.class)) {
          try {
            return any.unpack(ErrorInfo.class).getReason();
          } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
            // A malformed detail is no reason to hide the rest of the error.
          }
        }
      }
    }
    return "";
  }

  /**
   * How a failed call is counted: its gRPC status, followed by "/" and the AWS code when the
   * status carries one, e.g. "INTERNAL/InternalServerError" or plain "UNAVAILABLE".
   */
  static String errorKey(StatusRuntimeException e) {
    String code = awsCode(e);
    String status = e.getStatus().getCode().name();
    return code.isEmpty() ? status : status + "/" + code;
  }

  /**
   * Reports a failed first call to a target: "cannot reach" (and {@link #EXIT_UNREACHABLE})
   * when the server is not there, else the operation and its status (and exit code 1).
   */
  static int preflightFailure(PrintWriter err, String service, String target, String what,
      StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String why = why(e);
    if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
      err.printf("error: cannot reach the fabric %s gRPC server at %s (%s%s)%n",
          service, target, code, why.isEmpty() ? "" : ": " + why);
      err.println("Is the server running? Pass its gRPC address with --target host:port.");
      err.flush();
      return EXIT_UNREACHABLE;
    }
    err.printf("error: %s on %s failed: %s%s%n", what, target, code,
        why.isEmpty() ? "" : ": " + why);
    err.flush();
    return 1;
  }

  /** {@code args} with {@code --service service} in front: the per-service mains. */
  static String[] withService(String service, String[] args) {
    String[] all = new String[args.length + 2];
    all[0] = "--service";
    all[1] = service;
    System.arraycopy(args, 0, all, 2, args.length);
    return all;
  }
}
