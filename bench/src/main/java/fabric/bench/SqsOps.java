package fabric.bench;

import fabric.sqs.v1.CreateQueueRequest;
import fabric.sqs.v1.DeleteMessageBatchRequest;
import fabric.sqs.v1.DeleteMessageBatchRequestEntry;
import fabric.sqs.v1.DeleteMessageBatchResponse;
import fabric.sqs.v1.DeleteMessageRequest;
import fabric.sqs.v1.DeleteQueueRequest;
import fabric.sqs.v1.ListQueuesRequest;
import fabric.sqs.v1.Message;
import fabric.sqs.v1.ReceiveMessageRequest;
import fabric.sqs.v1.SQSGrpc;
import fabric.sqs.v1.SendMessageBatchRequest;
import fabric.sqs.v1.SendMessageBatchRequestEntry;
import fabric.sqs.v1.SendMessageBatchResponse;
import fabric.sqs.v1.SendMessageRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SQS calls the benchmark makes, on one channel. Every call is blocking (one worker
 * thread = one call in flight) and every failure of the whole call surfaces as a
 * {@link StatusRuntimeException}; batch calls return the response, whose failed entries the
 * caller counts.
 */
final class SqsOps {
  private static final String[] ENTRY_IDS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

  private final SQSGrpc.SQSBlockingStub blocking;
  private final long timeoutNanos;

  SqsOps(Channel channel, Duration opTimeout) {
    this.blocking = SQSGrpc.newBlockingStub(channel);
    this.timeoutNanos = opTimeout.toNanos();
  }

  private SQSGrpc.SQSBlockingStub stub() {
    return blocking.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  /** A cheap read, to check that the target answers before the run starts. */
  void ping(Duration timeout) {
    blocking.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .listQueues(ListQueuesRequest.newBuilder().setQueueNamePrefix("bench-")
            .setMaxResults(1).build());
  }

  /** Creates a standard queue with default attributes; returns its URL. */
  String createQueue(String name, Duration timeout) {
    return blocking.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .createQueue(CreateQueueRequest.newBuilder().setQueueName(name).build()).getQueueUrl();
  }

  void deleteQueue(String url) {
    stub().deleteQueue(DeleteQueueRequest.newBuilder().setQueueUrl(url).build());
  }

  void send(String url, String body) {
    stub().sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody(body)
        .build());
  }

  /** At most 10 bodies; entry i has id "i". */
  SendMessageBatchResponse sendBatch(String url, List<String> bodies) {
    SendMessageBatchRequest.Builder request = SendMessageBatchRequest.newBuilder()
        .setQueueUrl(url);
    for (int i = 0; i < bodies.size(); i++) {
      request.addEntries(SendMessageBatchRequestEntry.newBuilder().setId(ENTRY_IDS[i])
          .setMessageBody(bodies.get(i)));
    }
    return stub().sendMessageBatch(request.build());
  }

  /**
   * Up to {@code max} messages, hidden from other receivers for {@code visibilitySeconds};
   * {@code waitSeconds} > 0 asks for long polling, so the deadline is extended by it.
   */
  List<Message> receive(String url, int max, int visibilitySeconds, int waitSeconds) {
    return blocking
        .withDeadlineAfter(timeoutNanos + TimeUnit.SECONDS.toNanos(waitSeconds),
            TimeUnit.NANOSECONDS)
        .receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url)
            .setMaxNumberOfMessages(max).setVisibilityTimeout(visibilitySeconds)
            .setWaitTimeSeconds(waitSeconds).build())
        .getMessagesList();
  }

  void delete(String url, String receiptHandle) {
    stub().deleteMessage(DeleteMessageRequest.newBuilder().setQueueUrl(url)
        .setReceiptHandle(receiptHandle).build());
  }

  /** At most 10 messages; entry i has id "i". */
  DeleteMessageBatchResponse deleteBatch(String url, List<Message> messages) {
    DeleteMessageBatchRequest.Builder request = DeleteMessageBatchRequest.newBuilder()
        .setQueueUrl(url);
    for (int i = 0; i < messages.size(); i++) {
      request.addEntries(DeleteMessageBatchRequestEntry.newBuilder().setId(ENTRY_IDS[i])
          .setReceiptHandle(messages.get(i).getReceiptHandle()));
    }
    return stub().deleteMessageBatch(request.build());
  }
}
