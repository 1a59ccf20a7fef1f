package fabric.gateway.grpc;

import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.service.DynamoService;
import fabric.dynamo.service.TableId;
import fabric.dynamo.stream.DynamoStreams;
import fabric.dynamo.stream.StreamRecord;
import fabric.dynamo.stream.StreamShards;
import fabric.dynamo.table.TableState;
import fabric.dynamodb.v1.DescribeStreamRequest;
import fabric.dynamodb.v1.DescribeStreamResponse;
import fabric.dynamodb.v1.DynamoDBStreamsGrpc;
import fabric.dynamodb.v1.GetRecordsRequest;
import fabric.dynamodb.v1.GetRecordsResponse;
import fabric.dynamodb.v1.GetShardIteratorRequest;
import fabric.dynamodb.v1.GetShardIteratorResponse;
import fabric.dynamodb.v1.Identity;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.ListStreamsRequest;
import fabric.dynamodb.v1.ListStreamsResponse;
import fabric.dynamodb.v1.Record;
import fabric.dynamodb.v1.SequenceNumberRange;
import fabric.dynamodb.v1.Shard;
import fabric.dynamodb.v1.StreamDescription;
import fabric.dynamodb.v1.StreamRecordData;
import fabric.dynamodb.v1.StreamSummary;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;

/** DynamoDB Streams over gRPC: a shard per partition, records read from its journal. */
public final class DynamoStreamsGrpcService
    implements DynamoDBStreamsGrpc.AsyncService, BindableService {
  private final DynamoService dynamo;
  private final DynamoStreams streams;
  private final GrpcErrors errors = new GrpcErrors(GrpcErrors.DYNAMODB_DOMAIN);

  public DynamoStreamsGrpcService(DynamoService dynamo, DynamoStreams streams) {
    this.dynamo = dynamo;
    this.streams = streams;
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(DynamoDBStreamsGrpc.bindService(this),
        new AccountInterceptor(errors), CallerRegion.only(dynamo.region(), errors));
  }

  @Override
  public void listStreams(ListStreamsRequest request,
      StreamObserver<ListStreamsResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "ListStreams", responses, () -> {
      if (request.getTableName().isEmpty()) {
        throw DynamoErrors.validation("This fabric lists the streams of one table: give "
            + "TableName");
      }
      return dynamo.describeTable(account, request.getTableName());
    }, t -> {
      var b = ListStreamsResponse.newBuilder();
      if (t.spec().streamViewType() != null) {
        TableId id = dynamo.table(account, request.getTableName());
        b.addStreams(StreamSummary.newBuilder().setStreamArn(DynamoStreams.streamArn(id, t))
            .setTableName(id.name()).setStreamLabel(DynamoStreams.label(t)));
      }
      return b.build();
    });
  }

  @Override
  public void describeStream(DescribeStreamRequest request,
      StreamObserver<DescribeStreamResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "DescribeStream", responses,
        () -> streams.streamTable(account, request.getStreamArn()),
        (TableState t) -> {
          var d = StreamDescription.newBuilder().setStreamArn(request.getStreamArn())
              .setStreamLabel(DynamoStreams.label(t)).setStreamStatus("ENABLED")
              .setStreamViewType(t.spec().streamViewType())
              .setCreationRequestDateTime(t.createdAtMillis() / 1000.0)
              .setTableName(request.getStreamArn().substring(
                  request.getStreamArn().indexOf(":table/") + 7,
                  request.getStreamArn().indexOf("/stream/")))
              .addKeySchema(KeySchemaElement.newBuilder()
                  .setAttributeName(t.spec().keySchema().hashName()).setKeyType("HASH"));
          if (t.spec().keySchema().hasRange()) {
            d.addKeySchema(KeySchemaElement.newBuilder()
                .setAttributeName(t.spec().keySchema().rangeName()).setKeyType("RANGE"));
          }
          for (StreamShards.Shard s : StreamShards.shards(t, System.currentTimeMillis())) {
            var range = SequenceNumberRange.newBuilder().setStartingSequenceNumber(
                fabric.dynamo.stream.ShardIterator.sequenceNumber(1));
            if (s.closed()) {
              range.setEndingSequenceNumber(fabric.dynamo.stream.ShardIterator.sequenceNumber(
                  s.endingSeqNr()));
            }
            var shard = Shard.newBuilder().setShardId(DynamoStreams.shardId(t, s.partition()))
                .setSequenceNumberRange(range);
            if (s.parentPartition() != null) {
              shard.setParentShardId(DynamoStreams.shardId(t, s.parentPartition()));
            }
            d.addShards(shard);
          }
          return DescribeStreamResponse.newBuilder().setStreamDescription(d).build();
        });
  }

  @Override
  public void getShardIterator(GetShardIteratorRequest request,
      StreamObserver<GetShardIteratorResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "GetShardIterator", responses,
        () -> streams.shardIterator(account, request.getStreamArn(), request.getShardId(),
            request.getShardIteratorType(), request.getSequenceNumber()),
        it -> GetShardIteratorResponse.newBuilder().setShardIterator(it).build());
  }

  @Override
  public void getRecords(GetRecordsRequest request,
      StreamObserver<GetRecordsResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "GetRecords", responses,
        () -> streams.records(account, request.getShardIterator(), request.getLimit()),
        page -> {
          var b = GetRecordsResponse.newBuilder();
          if (page.nextShardIterator() != null) { // null: a closed shard read to its end
            b.setNextShardIterator(page.nextShardIterator());
          }
          for (StreamRecord r : page.records()) {
            var data = StreamRecordData.newBuilder()
                .setApproximateCreationDateTime(r.approximateCreationMillis() / 1000.0)
                .putAllKeys(DynamoProtoMapping.protos(r.keys()))
                .setSequenceNumber(r.sequenceNumber()).setSizeBytes(r.sizeBytes())
                .setStreamViewType(r.streamViewType());
            if (r.newImage() != null) {
              data.putAllNewImage(DynamoProtoMapping.protos(r.newImage().attributes()));
            }
            if (r.oldImage() != null) {
              data.putAllOldImage(DynamoProtoMapping.protos(r.oldImage().attributes()));
            }
            var record = Record.newBuilder().setEventId(r.eventId()).setEventName(r.eventName())
                .setEventVersion("1.1").setEventSource("aws:dynamodb")
                .setAwsRegion(dynamo.region()).setDynamodb(data);
            if (r.byService()) {
              record.setUserIdentity(Identity.newBuilder()
                  .setPrincipalId("dynamodb.amazonaws.com").setType("Service"));
            }
            b.addRecords(record);
          }
          return b.build();
        });
  }
}
