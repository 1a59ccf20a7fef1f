package fabric.gateway.grpc;

import com.google.protobuf.ByteString;
import fabric.queue.entity.QueueCommand;
import fabric.queue.entity.QueueReply;
import fabric.queue.message.MessageAttribute;
import fabric.queue.message.OutgoingMessage;
import fabric.queue.service.QueueService;
import fabric.queue.service.QueueService.Entry;
import fabric.sqs.v1.BatchResultErrorEntry;
import fabric.sqs.v1.ChangeMessageVisibilityBatchRequest;
import fabric.sqs.v1.ChangeMessageVisibilityBatchResponse;
import fabric.sqs.v1.ChangeMessageVisibilityBatchResultEntry;
import fabric.sqs.v1.ChangeMessageVisibilityRequest;
import fabric.sqs.v1.ChangeMessageVisibilityResponse;
import fabric.sqs.v1.CreateQueueRequest;
import fabric.sqs.v1.CreateQueueResponse;
import fabric.sqs.v1.DeleteMessageBatchRequest;
import fabric.sqs.v1.DeleteMessageBatchResponse;
import fabric.sqs.v1.DeleteMessageBatchResultEntry;
import fabric.sqs.v1.DeleteMessageRequest;
import fabric.sqs.v1.DeleteMessageResponse;
import fabric.sqs.v1.DeleteQueueRequest;
import fabric.sqs.v1.DeleteQueueResponse;
import fabric.sqs.v1.GetQueueAttributesRequest;
import fabric.sqs.v1.GetQueueAttributesResponse;
import fabric.sqs.v1.GetQueueUrlRequest;
import fabric.sqs.v1.GetQueueUrlResponse;
import fabric.sqs.v1.Message;
import fabric.sqs.v1.MessageAttributeValue;
import fabric.sqs.v1.PurgeQueueRequest;
import fabric.sqs.v1.PurgeQueueResponse;
import fabric.sqs.v1.ReceiveMessageRequest;
import fabric.sqs.v1.ReceiveMessageResponse;
import fabric.sqs.v1.SQSGrpc;
import fabric.sqs.v1.SendMessageBatchRequest;
import fabric.sqs.v1.SendMessageBatchResponse;
import fabric.sqs.v1.SendMessageBatchResultEntry;
import fabric.sqs.v1.SendMessageRequest;
import fabric.sqs.v1.SendMessageResponse;
import fabric.sqs.v1.SetQueueAttributesRequest;
import fabric.sqs.v1.SetQueueAttributesResponse;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQS over gRPC (proto/fabric/sqs/v1/sqs.proto): proto to {@link QueueService} and back.
 * Every operation of the SQS API is here.
 */
public final class SqsGrpcService implements SQSGrpc.AsyncService, BindableService {
  private final QueueService queues;
  private final GrpcErrors errors = new GrpcErrors(GrpcErrors.SQS_DOMAIN);

  public SqsGrpcService(QueueService queues) {
    this.queues = queues;
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(SQSGrpc.bindService(this),
        new AccountInterceptor(errors));
  }

  @Override
  public void createQueue(CreateQueueRequest request,
      StreamObserver<CreateQueueResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "CreateQueue", responses,
        () -> queues.createQueue(account, request.getQueueName(), request.getAttributesMap(),
            request.getTagsMap()),
        url -> CreateQueueResponse.newBuilder().setQueueUrl(url).build());
  }

  @Override
  public void getQueueUrl(GetQueueUrlRequest request,
      StreamObserver<GetQueueUrlResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "GetQueueUrl", responses,
        () -> queues.getQueueUrl(account, request.getQueueName(),
            request.getQueueOwnerAwsAccountId()),
        url -> GetQueueUrlResponse.newBuilder().setQueueUrl(url).build());
  }

  @Override
  public void listQueues(fabric.sqs.v1.ListQueuesRequest request,
      StreamObserver<fabric.sqs.v1.ListQueuesResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "ListQueues", responses,
        () -> queues.listQueues(account, request.getQueueNamePrefix(),
            request.getMaxResults(), request.getNextToken()),
        page -> fabric.sqs.v1.ListQueuesResponse.newBuilder().addAllQueueUrls(page.urls())
            .setNextToken(nullToEmpty(page.nextToken())).build());
  }

  @Override
  public void deleteQueue(DeleteQueueRequest request,
      StreamObserver<DeleteQueueResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "DeleteQueue", responses,
        () -> queues.deleteQueue(account, request.getQueueUrl()),
        done -> DeleteQueueResponse.getDefaultInstance());
  }

  @Override
  public void getQueueAttributes(GetQueueAttributesRequest request,
      StreamObserver<GetQueueAttributesResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "GetQueueAttributes", responses,
        () -> queues.getAttributes(account, request.getQueueUrl(),
            request.getAttributeNamesList()),
        attributes -> GetQueueAttributesResponse.newBuilder().putAllAttributes(attributes)
            .build());
  }

  @Override
  public void setQueueAttributes(SetQueueAttributesRequest request,
      StreamObserver<SetQueueAttributesResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "SetQueueAttributes", responses,
        () -> queues.setAttributes(account, request.getQueueUrl(), request.getAttributesMap()),
        done -> SetQueueAttributesResponse.getDefaultInstance());
  }

  @Override
  public void purgeQueue(PurgeQueueRequest request, StreamObserver<PurgeQueueResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "PurgeQueue", responses,
        () -> queues.purge(account, request.getQueueUrl()),
        done -> PurgeQueueResponse.getDefaultInstance());
  }

  @Override
  public void tagQueue(fabric.sqs.v1.TagQueueRequest request,
      StreamObserver<fabric.sqs.v1.TagQueueResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "TagQueue", responses,
        () -> queues.tag(account, request.getQueueUrl(), request.getTagsMap()),
        done -> fabric.sqs.v1.TagQueueResponse.getDefaultInstance());
  }

  @Override
  public void untagQueue(fabric.sqs.v1.UntagQueueRequest request,
      StreamObserver<fabric.sqs.v1.UntagQueueResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "UntagQueue", responses,
        () -> queues.untag(account, request.getQueueUrl(), request.getTagKeysList()),
        done -> fabric.sqs.v1.UntagQueueResponse.getDefaultInstance());
  }

  @Override
  public void listQueueTags(fabric.sqs.v1.ListQueueTagsRequest request,
      StreamObserver<fabric.sqs.v1.ListQueueTagsResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "ListQueueTags", responses,
        () -> queues.listTags(account, request.getQueueUrl()),
        tags -> fabric.sqs.v1.ListQueueTagsResponse.newBuilder().putAllTags(tags).build());
  }

  @Override
  public void sendMessage(SendMessageRequest request,
      StreamObserver<SendMessageResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    OutgoingMessage message = new OutgoingMessage(request.getMessageBody(),
        attributes(request.getMessageAttributesMap()),
        request.hasDelaySeconds() ? request.getDelaySeconds() : null,
        emptyToNull(request.getMessageGroupId()),
        emptyToNull(request.getMessageDeduplicationId()));
    UnaryCalls.unary(errors, "SendMessage", responses,
        () -> queues.send(account, request.getQueueUrl(), message),
        sent -> SendMessageResponse.newBuilder().setMessageId(sent.messageId())
            .setMd5OfMessageBody(sent.md5OfBody())
            .setMd5OfMessageAttributes(nullToEmpty(sent.md5OfAttributes()))
            .setSequenceNumber(nullToEmpty(sent.sequenceNumber())).build());
  }

  @Override
  public void sendMessageBatch(SendMessageBatchRequest request,
      StreamObserver<SendMessageBatchResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    List<Entry<OutgoingMessage>> entries = request.getEntriesList().stream()
        .map(e -> new Entry<>(e.getId(), new OutgoingMessage(e.getMessageBody(),
            attributes(e.getMessageAttributesMap()),
            e.hasDelaySeconds() ? e.getDelaySeconds() : null,
            emptyToNull(e.getMessageGroupId()), emptyToNull(e.getMessageDeduplicationId()))))
        .toList();
    UnaryCalls.unary(errors, "SendMessageBatch", responses,
        () -> queues.sendBatch(account, request.getQueueUrl(), entries),
        results -> {
          SendMessageBatchResponse.Builder b = SendMessageBatchResponse.newBuilder();
          results.successful().forEach(s -> b.addSuccessful(SendMessageBatchResultEntry
              .newBuilder().setId(s.entryId()).setMessageId(s.messageId())
              .setMd5OfMessageBody(s.md5OfBody())
              .setMd5OfMessageAttributes(nullToEmpty(s.md5OfAttributes()))
              .setSequenceNumber(nullToEmpty(s.sequenceNumber()))));
          results.failed().forEach(f -> b.addFailed(failure(f)));
          return b.build();
        });
  }

  @Override
  public void receiveMessage(ReceiveMessageRequest request,
      StreamObserver<ReceiveMessageResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "ReceiveMessage", responses,
        () -> queues.receive(account, request.getQueueUrl(), request.getMaxNumberOfMessages(),
            request.hasVisibilityTimeout() ? request.getVisibilityTimeout() : null,
            request.hasWaitTimeSeconds() ? request.getWaitTimeSeconds() : null),
        received -> {
          ReceiveMessageResponse.Builder b = ReceiveMessageResponse.newBuilder();
          for (QueueReply.ReceivedMessage m : received.messages()) {
            b.addMessages(message(m, request));
          }
          return b.build();
        });
  }

  @Override
  public void deleteMessage(DeleteMessageRequest request,
      StreamObserver<DeleteMessageResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "DeleteMessage", responses,
        () -> QueueService.single(queues.deleteBatch(account, request.getQueueUrl(),
            List.of(new Entry<>("0", request.getReceiptHandle())))),
        done -> DeleteMessageResponse.getDefaultInstance());
  }

  @Override
  public void deleteMessageBatch(DeleteMessageBatchRequest request,
      StreamObserver<DeleteMessageBatchResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "DeleteMessageBatch", responses,
        () -> queues.deleteBatch(account, request.getQueueUrl(), request.getEntriesList()
            .stream().map(e -> new Entry<>(e.getId(), e.getReceiptHandle())).toList()),
        results -> {
          DeleteMessageBatchResponse.Builder b = DeleteMessageBatchResponse.newBuilder();
          results.successful().forEach(id -> b.addSuccessful(
              DeleteMessageBatchResultEntry.newBuilder().setId(id)));
          results.failed().forEach(f -> b.addFailed(failure(f)));
          return b.build();
        });
  }

  @Override
  public void changeMessageVisibility(ChangeMessageVisibilityRequest request,
      StreamObserver<ChangeMessageVisibilityResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "ChangeMessageVisibility", responses,
        () -> QueueService.single(queues.changeVisibilityBatch(account, request.getQueueUrl(),
            List.of(new QueueCommand.VisibilityEntry("0", request.getReceiptHandle(),
                request.getVisibilityTimeout())))),
        done -> ChangeMessageVisibilityResponse.getDefaultInstance());
  }

  @Override
  public void changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request,
      StreamObserver<ChangeMessageVisibilityBatchResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "ChangeMessageVisibilityBatch", responses,
        () -> queues.changeVisibilityBatch(account, request.getQueueUrl(),
            request.getEntriesList().stream().map(e -> new QueueCommand.VisibilityEntry(
                e.getId(), e.getReceiptHandle(), e.getVisibilityTimeout())).toList()),
        results -> {
          ChangeMessageVisibilityBatchResponse.Builder b =
              ChangeMessageVisibilityBatchResponse.newBuilder();
          results.successful().forEach(id -> b.addSuccessful(
              ChangeMessageVisibilityBatchResultEntry.newBuilder().setId(id)));
          results.failed().forEach(f -> b.addFailed(failure(f)));
          return b.build();
        });
  }

  private static Message message(QueueReply.ReceivedMessage m, ReceiveMessageRequest request) {
    Message.Builder b = Message.newBuilder().setMessageId(m.messageId())
        .setReceiptHandle(m.receiptHandle()).setBody(m.body()).setMd5OfBody(m.md5OfBody());
    List<String> system = request.getMessageSystemAttributeNamesList();
    m.systemAttributes().forEach((k, v) -> {
      if (system.contains("All") || system.contains(k)) {
        b.putAttributes(k, v);
      }
    });
    List<String> wanted = request.getMessageAttributeNamesList();
    Map<String, MessageAttribute> picked = new LinkedHashMap<>();
    m.attributes().forEach((name, a) -> {
      if (wanted.contains("All") || wanted.contains(".*") || wanted.contains(name)
          || wanted.stream().anyMatch(w -> w.endsWith(".*")
              && name.startsWith(w.substring(0, w.length() - 1)))) {
        picked.put(name, a);
      }
    });
    picked.forEach((name, a) -> b.putMessageAttributes(name, proto(a)));
    if (!picked.isEmpty()) {
      b.setMd5OfMessageAttributes(
          fabric.queue.message.MessageDigests.md5OfAttributes(picked));
    }
    return b.build();
  }

  private static Map<String, MessageAttribute> attributes(
      Map<String, MessageAttributeValue> values) {
    Map<String, MessageAttribute> out = new LinkedHashMap<>();
    values.forEach((name, v) -> out.put(name, new MessageAttribute(v.getDataType(),
        v.getDataType().startsWith("Binary") ? null : v.getStringValue(),
        v.getDataType().startsWith("Binary") ? v.getBinaryValue().toByteArray() : null)));
    return out;
  }

  private static MessageAttributeValue proto(MessageAttribute a) {
    MessageAttributeValue.Builder b = MessageAttributeValue.newBuilder()
        .setDataType(a.dataType());
    if (a.isBinary()) {
      b.setBinaryValue(ByteString.copyFrom(a.binaryValue()));
    } else {
      b.setStringValue(a.stringValue());
    }
    return b.build();
  }

  @Override
  public void startMessageMoveTask(fabric.sqs.v1.StartMessageMoveTaskRequest request,
      StreamObserver<fabric.sqs.v1.StartMessageMoveTaskResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    int rate = request.getMaxNumberOfMessagesPerSecond();
    UnaryCalls.unary(errors, "StartMessageMoveTask", responses,
        () -> queues.moveTasks().start(account, request.getSourceArn(),
            emptyToNull(request.getDestinationArn()), rate == 0 ? null : rate),
        handle -> fabric.sqs.v1.StartMessageMoveTaskResponse.newBuilder().setTaskHandle(handle)
            .build());
  }

  @Override
  public void listMessageMoveTasks(fabric.sqs.v1.ListMessageMoveTasksRequest request,
      StreamObserver<fabric.sqs.v1.ListMessageMoveTasksResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "ListMessageMoveTasks", responses,
        () -> queues.moveTasks().list(account, request.getSourceArn(), request.getMaxResults()),
        tasks -> {
          var b = fabric.sqs.v1.ListMessageMoveTasksResponse.newBuilder();
          for (fabric.queue.entity.MoveTask t : tasks) {
            b.addResults(fabric.sqs.v1.MessageMoveTask.newBuilder().setTaskHandle(t.handle())
                .setStatus(t.status()).setSourceArn(request.getSourceArn())
                .setDestinationArn(nullToEmpty(t.destinationArn()))
                .setMaxNumberOfMessagesPerSecond(t.maxPerSecond() == null ? 0
                    : t.maxPerSecond())
                .setApproximateNumberOfMessagesMoved(t.moved())
                .setApproximateNumberOfMessagesToMove(t.toMove())
                .setFailureReason(nullToEmpty(t.failureReason()))
                .setStartedTimestamp(t.startedAtMillis()));
          }
          return b.build();
        });
  }

  @Override
  public void cancelMessageMoveTask(fabric.sqs.v1.CancelMessageMoveTaskRequest request,
      StreamObserver<fabric.sqs.v1.CancelMessageMoveTaskResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "CancelMessageMoveTask", responses,
        () -> queues.moveTasks().cancel(account, request.getTaskHandle()),
        moved -> fabric.sqs.v1.CancelMessageMoveTaskResponse.newBuilder()
            .setApproximateNumberOfMessagesMoved(moved).build());
  }

  private static BatchResultErrorEntry failure(QueueReply.EntryFailure f) {
    return BatchResultErrorEntry.newBuilder().setId(f.entryId()).setCode(f.code())
        .setMessage(f.message()).setSenderFault(f.senderFault()).build();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
