package fabric.bench;

import fabric.sqs.v1.BatchResultErrorEntry;
import fabric.sqs.v1.CreateQueueRequest;
import fabric.sqs.v1.CreateQueueResponse;
import fabric.sqs.v1.DeleteMessageBatchRequest;
import fabric.sqs.v1.DeleteMessageBatchRequestEntry;
import fabric.sqs.v1.DeleteMessageBatchResponse;
import fabric.sqs.v1.DeleteMessageBatchResultEntry;
import fabric.sqs.v1.DeleteMessageRequest;
import fabric.sqs.v1.DeleteMessageResponse;
import fabric.sqs.v1.DeleteQueueRequest;
import fabric.sqs.v1.DeleteQueueResponse;
import fabric.sqs.v1.ListQueuesRequest;
import fabric.sqs.v1.ListQueuesResponse;
import fabric.sqs.v1.Message;
import fabric.sqs.v1.ReceiveMessageRequest;
import fabric.sqs.v1.ReceiveMessageResponse;
import fabric.sqs.v1.SQSGrpc;
import fabric.sqs.v1.SendMessageBatchRequest;
import fabric.sqs.v1.SendMessageBatchRequestEntry;
import fabric.sqs.v1.SendMessageBatchResponse;
import fabric.sqs.v1.SendMessageBatchResultEntry;
import fabric.sqs.v1.SendMessageRequest;
import fabric.sqs.v1.SendMessageResponse;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TEST ONLY: a throwaway in-memory SQS service so that the benchmark client can be checked end
 * to end without a cluster. It implements just the calls the benchmark makes, with none of the
 * real semantics (no visibility expiry, no digests, no ErrorInfo), and must never be used
 * outside SqsBenchEndToEndTest: its numbers say nothing about fabric. Several instances can
 * share one set of queues, like the nodes of a cluster.
 */
final class InMemorySqsForBenchTest extends SQSGrpc.SQSImplBase implements AutoCloseable {
  private static final Metadata.Key<String> ACCOUNT =
      Metadata.Key.of("x-fabric-account-id", Metadata.ASCII_STRING_MARSHALLER);

  /** Queues by URL; shared between the instances built on one another. */
  private final Map<String, QueueState> queues;
  private final Server server;

  // What the client sent, for the test to check the wire shape of its requests.
  final Set<String> accountsSeen = ConcurrentHashMap.newKeySet();
  final Set<Integer> bodySizes = ConcurrentHashMap.newKeySet();
  final AtomicInteger largestSendBatch = new AtomicInteger();
  final AtomicInteger largestReceiveMax = new AtomicInteger();
  final AtomicInteger largestDeleteBatch = new AtomicInteger();
  final Set<Integer> visibilityTimeouts = ConcurrentHashMap.newKeySet();
  final AtomicLong calls = new AtomicLong();
  final AtomicLong invalidHandles = new AtomicLong();
  final AtomicInteger queuesCreated = new AtomicInteger();
  /** When set, every SendMessage fails with UNAVAILABLE and this description. */
  volatile String failSendsWith;

  private static final class QueueState {
    final Queue<Message> visible = new ConcurrentLinkedQueue<>();
    final Map<String, Message> inFlight = new ConcurrentHashMap<>();
  }

  InMemorySqsForBenchTest() throws IOException {
    this(new ConcurrentHashMap<>());
  }

  /** Another node of the same fake: same queues, own port and own counters. */
  InMemorySqsForBenchTest(InMemorySqsForBenchTest sibling) throws IOException {
    this(sibling.queues);
  }

  private InMemorySqsForBenchTest(Map<String, QueueState> queues) throws IOException {
    this.queues = queues;
    ServerInterceptor recordAccount = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        accountsSeen.add(String.valueOf(headers.get(ACCOUNT)));
        calls.incrementAndGet();
        return next.startCall(call, headers);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("localhost", 0))
        .addService(ServerInterceptors.intercept(this, recordAccount))
        .build()
        .start();
  }

  String target() {
    return "localhost:" + server.getPort();
  }

  int queueCount() {
    return queues.size();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private QueueState queue(String url, StreamObserver<?> out) {
    QueueState q = queues.get(url);
    if (q == null) {
      out.onError(Status.NOT_FOUND.withDescription("QueueDoesNotExist").asRuntimeException());
    }
    return q;
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }

  @Override
  public void listQueues(ListQueuesRequest req, StreamObserver<ListQueuesResponse> out) {
    reply(out, ListQueuesResponse.getDefaultInstance());
  }

  @Override
  public void createQueue(CreateQueueRequest req, StreamObserver<CreateQueueResponse> out) {
    String url = "http://localhost:4566/000000000000/" + req.getQueueName();
    if (queues.putIfAbsent(url, new QueueState()) == null) {
      queuesCreated.incrementAndGet();
    }
    reply(out, CreateQueueResponse.newBuilder().setQueueUrl(url).build());
  }

  @Override
  public void deleteQueue(DeleteQueueRequest req, StreamObserver<DeleteQueueResponse> out) {
    queues.remove(req.getQueueUrl());
    reply(out, DeleteQueueResponse.getDefaultInstance());
  }

  private Message enqueue(QueueState q, String body) {
    bodySizes.add(body.length());
    Message m = Message.newBuilder().setMessageId(UUID.randomUUID().toString()).setBody(body)
        .build();
    q.visible.add(m);
    return m;
  }

  @Override
  public void sendMessage(SendMessageRequest req, StreamObserver<SendMessageResponse> out) {
    if (failSendsWith != null) {
      out.onError(Status.UNAVAILABLE.withDescription(failSendsWith).asRuntimeException());
      return;
    }
    QueueState q = queue(req.getQueueUrl(), out);
    if (q != null) {
      Message m = enqueue(q, req.getMessageBody());
      largestSendBatch.accumulateAndGet(1, Math::max);
      reply(out, SendMessageResponse.newBuilder().setMessageId(m.getMessageId()).build());
    }
  }

  @Override
  public void sendMessageBatch(SendMessageBatchRequest req,
      StreamObserver<SendMessageBatchResponse> out) {
    QueueState q = queue(req.getQueueUrl(), out);
    if (q == null) {
      return;
    }
    largestSendBatch.accumulateAndGet(req.getEntriesCount(), Math::max);
    SendMessageBatchResponse.Builder r = SendMessageBatchResponse.newBuilder();
    for (SendMessageBatchRequestEntry e : req.getEntriesList()) {
      Message m = enqueue(q, e.getMessageBody());
      r.addSuccessful(SendMessageBatchResultEntry.newBuilder().setId(e.getId())
          .setMessageId(m.getMessageId()));
    }
    reply(out, r.build());
  }

  @Override
  public void receiveMessage(ReceiveMessageRequest req,
      StreamObserver<ReceiveMessageResponse> out) {
    QueueState q = queue(req.getQueueUrl(), out);
    if (q == null) {
      return;
    }
    largestReceiveMax.accumulateAndGet(req.getMaxNumberOfMessages(), Math::max);
    visibilityTimeouts.add(req.getVisibilityTimeout());
    List<Message> got = new ArrayList<>();
    for (int i = 0; i < Math.max(1, req.getMaxNumberOfMessages()); i++) {
      Message m = q.visible.poll();
      if (m == null) {
        break;
      }
      String handle = UUID.randomUUID().toString();
      q.inFlight.put(handle, m);
      got.add(m.toBuilder().setReceiptHandle(handle).build());
    }
    reply(out, ReceiveMessageResponse.newBuilder().addAllMessages(got).build());
  }

  @Override
  public void deleteMessage(DeleteMessageRequest req, StreamObserver<DeleteMessageResponse> out) {
    QueueState q = queue(req.getQueueUrl(), out);
    if (q == null) {
      return;
    }
    largestDeleteBatch.accumulateAndGet(1, Math::max);
    if (q.inFlight.remove(req.getReceiptHandle()) == null) {
      invalidHandles.incrementAndGet();
      out.onError(Status.INVALID_ARGUMENT.withDescription("ReceiptHandleIsInvalid")
          .asRuntimeException());
      return;
    }
    reply(out, DeleteMessageResponse.getDefaultInstance());
  }

  @Override
  public void deleteMessageBatch(DeleteMessageBatchRequest req,
      StreamObserver<DeleteMessageBatchResponse> out) {
    QueueState q = queue(req.getQueueUrl(), out);
    if (q == null) {
      return;
    }
    largestDeleteBatch.accumulateAndGet(req.getEntriesCount(), Math::max);
    DeleteMessageBatchResponse.Builder r = DeleteMessageBatchResponse.newBuilder();
    for (DeleteMessageBatchRequestEntry e : req.getEntriesList()) {
      if (q.inFlight.remove(e.getReceiptHandle()) == null) {
        invalidHandles.incrementAndGet();
        r.addFailed(BatchResultErrorEntry.newBuilder().setId(e.getId())
            .setCode("ReceiptHandleIsInvalid").setMessage("unknown handle")
            .setSenderFault(true));
      } else {
        r.addSuccessful(DeleteMessageBatchResultEntry.newBuilder().setId(e.getId()));
      }
    }
    reply(out, r.build());
  }
}
