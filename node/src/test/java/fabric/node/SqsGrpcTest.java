package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.ErrorInfo;
import fabric.node.testing.S3TestClient;
import fabric.node.testing.TestCluster;
import fabric.queue.message.MessageDigests;
import fabric.sqs.v1.CreateQueueRequest;
import fabric.sqs.v1.DeleteMessageBatchRequest;
import fabric.sqs.v1.DeleteMessageBatchRequestEntry;
import fabric.sqs.v1.DeleteMessageRequest;
import fabric.sqs.v1.GetQueueAttributesRequest;
import fabric.sqs.v1.GetQueueUrlRequest;
import fabric.sqs.v1.MessageAttributeValue;
import fabric.sqs.v1.ReceiveMessageRequest;
import fabric.sqs.v1.ReceiveMessageResponse;
import fabric.sqs.v1.SQSGrpc;
import fabric.sqs.v1.SendMessageBatchRequest;
import fabric.sqs.v1.SendMessageBatchRequestEntry;
import fabric.sqs.v1.SendMessageRequest;
import fabric.sqs.v1.SendMessageResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQS through the gRPC ports of a real 3-AZ cluster: a queue created through one node,
 * written through another, read through the third; errors carry the AWS codes.
 */
class SqsGrpcTest {
  private static final String ACCOUNT = "777788889999";

  @TempDir
  Path dataDir;

  private static SQSGrpc.SQSBlockingStub client(ManagedChannel channel) {
    Metadata headers = new Metadata();
    headers.put(S3TestClient.ACCOUNT, ACCOUNT);
    return SQSGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static String awsCode(StatusRuntimeException e) throws Exception {
    for (var detail : StatusProto.fromThrowable(e).getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        return detail.unpack(ErrorInfo.class).getReason();
      }
    }
    return "";
  }

  @Test
  void sendReceiveDeleteAcrossNodesWithAwsDigestsAndErrors() throws Exception {
    List<ManagedChannel> channels = new ArrayList<>();
    try (TestCluster cluster = TestCluster.start(dataDir)) {
      openChannels(cluster, channels);
      var viaA = client(channels.get(0));
      var viaB = client(channels.get(1));
      var viaC = client(channels.get(2));

      String url = viaA.createQueue(CreateQueueRequest.newBuilder().setQueueName("jobs")
          .putAttributes("VisibilityTimeout", "60").build()).getQueueUrl();
      assertThat(url).isEqualTo("http://localhost:4566/" + ACCOUNT + "/jobs");
      assertThat(viaB.getQueueUrl(GetQueueUrlRequest.newBuilder().setQueueName("jobs").build())
          .getQueueUrl()).isEqualTo(url);
      viaC.createQueue(CreateQueueRequest.newBuilder().setQueueName("jobs-archive").build());
      viaC.tagQueue(fabric.sqs.v1.TagQueueRequest.newBuilder().setQueueUrl(url)
          .putTags("team", "ops").build());
      assertThat(viaA.listQueueTags(fabric.sqs.v1.ListQueueTagsRequest.newBuilder()
          .setQueueUrl(url).build()).getTagsMap()).containsExactly(Map.entry("team", "ops"));
      assertThat(viaA.listQueues(fabric.sqs.v1.ListQueuesRequest.newBuilder()
          .setQueueNamePrefix("jobs").build()).getQueueUrlsList())
          .containsExactly(url, url + "-archive");

      SendMessageResponse sent = viaB.sendMessage(SendMessageRequest.newBuilder()
          .setQueueUrl(url).setMessageBody("first ✓")
          .putMessageAttributes("kind", MessageAttributeValue.newBuilder()
              .setDataType("String").setStringValue("job").build()).build());
      assertThat(sent.getMd5OfMessageBody()).isEqualTo(MessageDigests.md5OfBody("first ✓"));
      assertThat(sent.getMd5OfMessageAttributes()).isNotEmpty();
      var batch = viaB.sendMessageBatch(SendMessageBatchRequest.newBuilder().setQueueUrl(url)
          .addEntries(SendMessageBatchRequestEntry.newBuilder().setId("ok")
              .setMessageBody("second"))
          .addEntries(SendMessageBatchRequestEntry.newBuilder().setId("bad")
              .setMessageBody("bell\u0007"))
          .build());
      assertThat(batch.getSuccessfulList()).hasSize(1);
      assertThat(batch.getFailedList()).singleElement()
          .satisfies(f -> assertThat(f.getCode()).isEqualTo("InvalidMessageContents"));

      ReceiveMessageResponse received = viaC.receiveMessage(ReceiveMessageRequest.newBuilder()
          .setQueueUrl(url).setMaxNumberOfMessages(10).addMessageAttributeNames("All")
          .addMessageSystemAttributeNames("ApproximateReceiveCount").build());
      assertThat(received.getMessagesList()).extracting(m -> m.getBody())
          .containsExactly("first ✓", "second");
      assertThat(received.getMessages(0).getMd5OfMessageAttributes())
          .isEqualTo(sent.getMd5OfMessageAttributes());
      assertThat(received.getMessages(0).getAttributesMap())
          .containsEntry("ApproximateReceiveCount", "1");

      viaA.deleteMessage(DeleteMessageRequest.newBuilder().setQueueUrl(url)
          .setReceiptHandle(received.getMessages(0).getReceiptHandle()).build());
      var deleted = viaA.deleteMessageBatch(DeleteMessageBatchRequest.newBuilder()
          .setQueueUrl(url).addEntries(DeleteMessageBatchRequestEntry.newBuilder().setId("d")
              .setReceiptHandle(received.getMessages(1).getReceiptHandle())).build());
      assertThat(deleted.getSuccessfulList()).hasSize(1);
      Map<String, String> attributes = viaB.getQueueAttributes(GetQueueAttributesRequest
          .newBuilder().setQueueUrl(url).addAttributeNames("All").build()).getAttributesMap();
      assertThat(attributes).containsEntry("ApproximateNumberOfMessages", "0")
          .containsEntry("ApproximateNumberOfMessagesNotVisible", "0")
          .containsEntry("VisibilityTimeout", "60");

      assertThatThrownBy(() -> viaA.receiveMessage(ReceiveMessageRequest.newBuilder()
          .setQueueUrl("http://localhost:4566/" + ACCOUNT + "/missing").build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            try {
              assertThat(awsCode(e)).isEqualTo("QueueDoesNotExist");
            } catch (Exception ex) {
              throw new AssertionError(ex);
            }
          });
      assertThatThrownBy(() -> viaA.createQueue(CreateQueueRequest.newBuilder()
          .setQueueName("jobs").putAttributes("VisibilityTimeout", "5").build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            try {
              assertThat(awsCode(e)).isEqualTo("QueueAlreadyExists");
            } catch (Exception ex) {
              throw new AssertionError(ex);
            }
          });
      assertThatThrownBy(() -> viaA.sendMessage(SendMessageRequest.newBuilder()
          .setQueueUrl("not a queue url").setMessageBody("x").build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            try {
              assertThat(awsCode(e)).isEqualTo("InvalidAddress");
            } catch (Exception ex) {
              throw new AssertionError(ex);
            }
          });

      // Long polling: a receive on the empty queue through one node waits, and a send
      // through another node wakes it with the message (without it, the receive would
      // have answered empty before the send).
      var poll = java.util.concurrent.CompletableFuture.supplyAsync(() -> viaC.receiveMessage(
          ReceiveMessageRequest.newBuilder().setQueueUrl(url).setWaitTimeSeconds(20).build()));
      Thread.sleep(500);
      assertThat(poll).as("a long poll on an empty queue answers only when a message "
          + "arrives").isNotDone();
      viaA.sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url)
          .setMessageBody("woke you").build());
      assertThat(poll.get(30, TimeUnit.SECONDS).getMessagesList())
          .extracting(m -> m.getBody()).containsExactly("woke you");
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }

  /** One channel per node of {@code cluster}, into {@code channels} (closed by the caller). */
  private static void openChannels(TestCluster cluster, List<ManagedChannel> channels) {
    for (int i = 0; i < 3; i++) {
      channels.add(NettyChannelBuilder.forAddress("127.0.0.1", cluster.node(i).grpcPort())
          .usePlaintext().build());
    }
  }

  private static SQSGrpc.SQSBlockingStub viaC(List<ManagedChannel> channels) {
    return client(channels.get(2));
  }

  private static void assertAwsCode(Runnable call, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      try {
        assertThat(awsCode(e)).isEqualTo(code);
      } catch (Exception ex) {
        throw new AssertionError(ex);
      }
    });
  }

  @Test
  void aMessagePastMaxReceiveCountArrivesInTheDeadLetterQueue() throws Exception {
    List<ManagedChannel> channels = new ArrayList<>();
    try (TestCluster cluster = TestCluster.start(dataDir)) {
      openChannels(cluster, channels);
      var viaA = client(channels.get(0));
      var viaB = client(channels.get(1));
      String dlqArn = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":work-dlq";
      String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}";
      assertAwsCode(() -> viaA.createQueue(CreateQueueRequest.newBuilder().setQueueName("work")
          .putAttributes("RedrivePolicy", redrive).build()), "InvalidParameterValue");
      String dlqUrl = viaB.createQueue(CreateQueueRequest.newBuilder().setQueueName("work-dlq")
          .build()).getQueueUrl();
      assertAwsCode(() -> viaA.createQueue(CreateQueueRequest.newBuilder()
          .setQueueName("work.fifo").putAttributes("FifoQueue", "true")
          .putAttributes("RedrivePolicy", redrive).build()), "InvalidParameterValue");
      String url = viaA.createQueue(CreateQueueRequest.newBuilder().setQueueName("work")
          .putAttributes("RedrivePolicy", redrive).build()).getQueueUrl();

      String id = viaA.sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url)
          .setMessageBody("poison").build()).getMessageId();
      assertThat(viaB.receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url)
          .setVisibilityTimeout(0).build()).getMessagesList()).hasSize(1);
      assertThat(viaB.receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url)
          .build()).getMessagesList()).as("the second receive moves it instead").isEmpty();

      ReceiveMessageResponse dead = viaA.receiveMessage(ReceiveMessageRequest.newBuilder()
          .setQueueUrl(dlqUrl).setWaitTimeSeconds(20).addMessageSystemAttributeNames("All")
          .build());
      assertThat(dead.getMessagesList()).singleElement().satisfies(m -> {
        assertThat(m.getMessageId()).isEqualTo(id);
        assertThat(m.getBody()).isEqualTo("poison");
        assertThat(m.getAttributesMap()).containsEntry("DeadLetterQueueSourceArn",
            "arn:aws:sqs:us-east-1:" + ACCOUNT + ":work");
      });
      // The source lets go of it just after the DLQ took it.
      Map<String, String> source = Map.of();
      for (int i = 0; i < 100; i++) {
        source = viaB.getQueueAttributes(GetQueueAttributesRequest.newBuilder()
            .setQueueUrl(url).addAttributeNames("All").build()).getAttributesMap();
        if (source.get("ApproximateNumberOfMessagesNotVisible").equals("0")) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(source).containsEntry("ApproximateNumberOfMessages", "0")
          .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");

      // A move task returns it to its source, where it starts over (received 0 times).
      viaA.changeMessageVisibility(fabric.sqs.v1.ChangeMessageVisibilityRequest.newBuilder()
          .setQueueUrl(dlqUrl).setReceiptHandle(dead.getMessages(0).getReceiptHandle())
          .setVisibilityTimeout(0).build());
      String task = viaB.startMessageMoveTask(fabric.sqs.v1.StartMessageMoveTaskRequest
          .newBuilder().setSourceArn(dlqArn).build()).getTaskHandle();
      ReceiveMessageResponse back = viaA.receiveMessage(ReceiveMessageRequest.newBuilder()
          .setQueueUrl(url).setWaitTimeSeconds(20).addMessageSystemAttributeNames("All")
          .build());
      assertThat(back.getMessagesList()).singleElement().satisfies(m -> {
        assertThat(m.getMessageId()).isEqualTo(id);
        assertThat(m.getAttributesMap()).containsEntry("ApproximateReceiveCount", "1")
            .doesNotContainKey("DeadLetterQueueSourceArn");
      });
      fabric.sqs.v1.MessageMoveTask listed = null;
      for (int i = 0; i < 100; i++) {
        listed = viaC(channels).listMessageMoveTasks(fabric.sqs.v1.ListMessageMoveTasksRequest
            .newBuilder().setSourceArn(dlqArn).build()).getResults(0);
        if (listed.getStatus().equals("COMPLETED")) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(listed.getTaskHandle()).isEqualTo(task);
      assertThat(listed.getStatus()).isEqualTo("COMPLETED");
      assertThat(listed.getApproximateNumberOfMessagesMoved()).isEqualTo(1);
      assertAwsCode(() -> viaA.cancelMessageMoveTask(fabric.sqs.v1.CancelMessageMoveTaskRequest
          .newBuilder().setTaskHandle(task).build()), "ResourceNotFoundException");
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }
}
