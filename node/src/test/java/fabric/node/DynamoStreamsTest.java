package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.DeleteItemRequest;
import fabric.dynamodb.v1.DescribeStreamRequest;
import fabric.dynamodb.v1.DynamoDBStreamsGrpc;
import fabric.dynamodb.v1.GetRecordsRequest;
import fabric.dynamodb.v1.GetShardIteratorRequest;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.ListStreamsRequest;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.Record;
import fabric.dynamodb.v1.StreamSpecification;
import fabric.node.testing.DynamoTestClient;
import fabric.node.testing.S3TestClient;
import fabric.node.testing.TestCluster;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DynamoDB Streams on a real cluster: every change of an item (INSERT, MODIFY, REMOVE) with
 * the images its view type asks for, in order, read from the partition's journal through
 * another node; LATEST sees only what comes after it.
 */
class DynamoStreamsTest {
  private static final String ACCOUNT = "567856785678";

  @TempDir
  Path dataDir;

  private static AttributeValue s(String v) {
    return AttributeValue.newBuilder().setS(v).build();
  }

  @Test
  void changesComeInOrderWithTheirImages() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir);
        var a = new DynamoTestClient("127.0.0.1", cluster.node(0).grpcPort(), ACCOUNT)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1",
          cluster.node(1).grpcPort()).usePlaintext().build();
      Metadata headers = new Metadata();
      headers.put(S3TestClient.ACCOUNT, ACCOUNT);
      var streams = DynamoDBStreamsGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .withDeadlineAfter(60, TimeUnit.SECONDS);
      try {
        a.blocking().createTable(CreateTableRequest.newBuilder().setTableName("events")
            .setBillingMode("PAY_PER_REQUEST")
            .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("id")
                .setAttributeType("S"))
            .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("id")
                .setKeyType("HASH"))
            .setStreamSpecification(StreamSpecification.newBuilder().setStreamEnabled(true)
                .setStreamViewType("NEW_AND_OLD_IMAGES")).build());
        String arn = streams.listStreams(ListStreamsRequest.newBuilder().setTableName("events")
            .build()).getStreams(0).getStreamArn();
        String shard = streams.describeStream(DescribeStreamRequest.newBuilder()
            .setStreamArn(arn).build()).getStreamDescription().getShards(0).getShardId();

        a.blocking().putItem(PutItemRequest.newBuilder().setTableName("events")
            .putItem("id", s("e1")).putItem("v", s("one")).build());
        a.blocking().putItem(PutItemRequest.newBuilder().setTableName("events")
            .putItem("id", s("e1")).putItem("v", s("two")).build());
        String latest = streams.getShardIterator(GetShardIteratorRequest.newBuilder()
            .setStreamArn(arn).setShardId(shard).setShardIteratorType("LATEST").build())
            .getShardIterator();
        a.blocking().deleteItem(DeleteItemRequest.newBuilder().setTableName("events")
            .putKey("id", s("e1")).build());

        String it = streams.getShardIterator(GetShardIteratorRequest.newBuilder()
            .setStreamArn(arn).setShardId(shard).setShardIteratorType("TRIM_HORIZON").build())
            .getShardIterator();
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 5 && records.size() < 3; i++) {
          var page = streams.getRecords(GetRecordsRequest.newBuilder().setShardIterator(it)
              .build());
          records.addAll(page.getRecordsList());
          it = page.getNextShardIterator();
        }
        assertThat(records).extracting(Record::getEventName)
            .containsExactly("INSERT", "MODIFY", "REMOVE");
        assertThat(records.get(1).getDynamodb().getOldImageMap()).containsEntry("v", s("one"));
        assertThat(records.get(1).getDynamodb().getNewImageMap()).containsEntry("v", s("two"));
        assertThat(records.get(2).getDynamodb().getKeysMap()).containsEntry("id", s("e1"));
        assertThat(records).extracting(r -> r.getDynamodb().getSequenceNumber()).isSorted();
        assertThat(streams.getRecords(GetRecordsRequest.newBuilder().setShardIterator(latest)
            .build()).getRecordsList()).extracting(Record::getEventName)
            .containsExactly("REMOVE");

        // UpdateTable: switching the stream off, and to provisioned capacity.
        var off = a.blocking().updateTable(fabric.dynamodb.v1.UpdateTableRequest.newBuilder()
            .setTableName("events").setStreamSpecification(StreamSpecification.newBuilder()
                .setStreamEnabled(false)).build()).getTableDescription();
        assertThat(off.hasStreamSpecification()).isFalse();
        var provisioned = a.blocking().updateTable(fabric.dynamodb.v1.UpdateTableRequest
            .newBuilder().setTableName("events").setBillingMode("PROVISIONED")
            .setProvisionedThroughput(fabric.dynamodb.v1.ProvisionedThroughput.newBuilder()
                .setReadCapacityUnits(5).setWriteCapacityUnits(5)).build())
            .getTableDescription();
        assertThat(provisioned.getBillingMode()).isEqualTo("PROVISIONED");
        assertThat(provisioned.getProvisionedThroughput().getWriteCapacityUnits())
            .isEqualTo(5);
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
