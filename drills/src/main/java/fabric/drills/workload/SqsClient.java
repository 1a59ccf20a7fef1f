package fabric.drills.workload;

import com.google.rpc.ErrorInfo;
import fabric.drills.cluster.FabricCluster;
import fabric.sqs.v1.CreateQueueRequest;
import fabric.sqs.v1.DeleteMessageBatchRequest;
import fabric.sqs.v1.DeleteMessageBatchRequestEntry;
import fabric.sqs.v1.DeleteMessageBatchResponse;
import fabric.sqs.v1.DeleteMessageBatchResultEntry;
import fabric.sqs.v1.GetQueueAttributesRequest;
import fabric.sqs.v1.GetQueueUrlRequest;
import fabric.sqs.v1.Message;
import fabric.sqs.v1.ReceiveMessageRequest;
import fabric.sqs.v1.SQSGrpc;
import fabric.sqs.v1.SendMessageRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * SQS over the fabric's gRPC API on one node, as the drill's queue clients use it: the
 * generated stub with the caller's account in the {@code x-fabric-account-id} header, and
 * every answer sorted into a value, a definite refusal or an unknown outcome.
 */
public final class SqsClient implements AutoCloseable {
  public static final Metadata.Key<String> ACCOUNT_HEADER =
      Metadata.Key.of("x-fabric-account-id", Metadata.ASCII_STRING_MARSHALLER);

  /** What a call came to: a value, a definite refusal, or an unknown outcome. */
  public sealed interface Result<T> permits Ok, Failed, Unknown {}

  public record Ok<T>(T value) implements Result<T> {}

  /** The request certainly had no effect (e.g. QueueDoesNotExist, InvalidParameterValue). */
  public record Failed<T>(String error) implements Result<T> {}

  /** The request may or may not have taken effect (timeout, node unreachable). */
  public record Unknown<T>(String error) implements Result<T> {}

  /** One received message, with the receipt handle that deletes it. */
  public record Received(String id, String receiptHandle, String body) {}

  private final FabricCluster.Node node;
  private final ManagedChannel channel;
  private final SQSGrpc.SQSBlockingStub stub;
  private final long deadlineMillis;

  public SqsClient(FabricCluster.Node node, String account, long deadlineMillis) {
    this.node = node;
    this.deadlineMillis = deadlineMillis;
    this.channel = NettyChannelBuilder.forAddress(node.host(), node.grpcPort()).usePlaintext()
        .build();
    Metadata headers = new Metadata();
    headers.put(ACCOUNT_HEADER, account);
    this.stub = SQSGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  public String nodeId() {
    return node.id();
  }

  private SQSGrpc.SQSBlockingStub call(long millis) {
    return stub.withDeadlineAfter(millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Creates the queue, or finds it (a retry after an unknown outcome sees QueueAlreadyExists
   * if the first try created it); answers its URL.
   */
  public Result<String> createQueue(String name, Map<String, String> attributes) {
    try {
      return new Ok<>(call(deadlineMillis).createQueue(CreateQueueRequest.newBuilder()
          .setQueueName(name).putAllAttributes(attributes).build()).getQueueUrl());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        return classify(e);
      }
    }
    try {
      return new Ok<>(call(deadlineMillis).getQueueUrl(GetQueueUrlRequest.newBuilder()
          .setQueueName(name).build()).getQueueUrl());
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /**
   * SendMessage; answers the message id.
   *
   * @param groupId the FIFO message group, or null for a standard queue
   * @param deduplicationId FIFO only, or null
   */
  public Result<String> send(String url, String body, String groupId, String deduplicationId) {
    SendMessageRequest.Builder request = SendMessageRequest.newBuilder().setQueueUrl(url)
        .setMessageBody(body);
    if (groupId != null) {
      request.setMessageGroupId(groupId);
    }
    if (deduplicationId != null) {
      request.setMessageDeduplicationId(deduplicationId);
    }
    try {
      return new Ok<>(call(deadlineMillis).sendMessage(request.build()).getMessageId());
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /**
   * ReceiveMessage with long polling: the call may take {@code waitSeconds} before it answers,
   * so its deadline is that plus the client deadline.
   */
  public Result<List<Received>> receive(String url, int maxMessages, int visibilitySeconds,
      int waitSeconds) {
    try {
      List<Message> messages = call(waitSeconds * 1_000L + deadlineMillis)
          .receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url)
              .setMaxNumberOfMessages(maxMessages).setVisibilityTimeout(visibilitySeconds)
              .setWaitTimeSeconds(waitSeconds).build()).getMessagesList();
      List<Received> out = new ArrayList<>(messages.size());
      for (Message m : messages) {
        out.add(new Received(m.getMessageId(), m.getReceiptHandle(), m.getBody()));
      }
      return new Ok<>(out);
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /**
   * DeleteMessageBatch of received messages; answers the positions (in {@code messages}) of
   * those the queue confirmed deleting. An entry the queue reports failed stays undeleted
   * (it comes back after its visibility timeout).
   */
  public Result<List<Integer>> deleteBatch(String url, List<Received> messages) {
    DeleteMessageBatchRequest.Builder request = DeleteMessageBatchRequest.newBuilder()
        .setQueueUrl(url);
    for (int i = 0; i < messages.size(); i++) {
      request.addEntries(DeleteMessageBatchRequestEntry.newBuilder().setId("e" + i)
          .setReceiptHandle(messages.get(i).receiptHandle()));
    }
    try {
      DeleteMessageBatchResponse response = call(deadlineMillis)
          .deleteMessageBatch(request.build());
      List<Integer> deleted = new ArrayList<>();
      for (DeleteMessageBatchResultEntry ok : response.getSuccessfulList()) {
        deleted.add(Integer.parseInt(ok.getId().substring(1)));
      }
      deleted.sort(null);
      return new Ok<>(deleted);
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /** GetQueueAttributes "All". */
  public Result<Map<String, String>> attributes(String url) {
    try {
      return new Ok<>(call(deadlineMillis).getQueueAttributes(GetQueueAttributesRequest
          .newBuilder().setQueueUrl(url).addAttributeNames("All").build()).getAttributesMap());
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /**
   * Refusals that prove the request did nothing (the caller's mistake, a missing queue, an
   * invalid receipt handle) are definite; unavailability, timeouts and internal errors are
   * not: the leader may have acted before the answer was lost.
   */
  private <T> Result<T> classify(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String aws = awsCode(e);
    String error = node.id() + ": " + code + (aws.isEmpty() ? "" : "/" + aws) + " "
        + e.getStatus().getDescription();
    boolean definite = code == Status.Code.INVALID_ARGUMENT || code == Status.Code.NOT_FOUND
        || code == Status.Code.ALREADY_EXISTS || code == Status.Code.PERMISSION_DENIED
        || code == Status.Code.FAILED_PRECONDITION;
    return definite ? new Failed<>(error) : new Unknown<>(error);
  }

  /** The AWS error code (e.g. QueueDoesNotExist) a failed call carries, or "". */
  static String awsCode(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return "";
    }
    for (com.google.protobuf.Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getReason();
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
          return "";
        }
      }
    }
    return "";
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
