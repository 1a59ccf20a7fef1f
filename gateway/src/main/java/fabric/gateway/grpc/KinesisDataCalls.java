package fabric.gateway.grpc;

import fabric.kinesis.service.KinesisConsumers;
import fabric.kinesis.service.KinesisReads;
import fabric.kinesis.service.KinesisRecords;
import fabric.kinesis.service.KinesisService;
import fabric.kinesis.service.ShardSubscriptions;
import fabric.kinesis.service.StreamId;
import fabric.kinesis.v1.*;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionStage;

/**
 * Kinesis's record and consumer operations over gRPC (PutRecord(s), GetShardIterator,
 * GetRecords, the enhanced fan-out consumers and SubscribeToShard); the stream operations
 * are in {@link KinesisGrpcService}, which extends this.
 */
abstract class KinesisDataCalls implements KinesisGrpc.AsyncService {
  protected final KinesisService kinesis;
  protected final KinesisRecords records;
  protected final KinesisReads reads;
  protected final KinesisConsumers consumers;
  protected final ShardSubscriptions subscriptions;
  protected final GrpcErrors errors = new GrpcErrors(GrpcErrors.KINESIS_DOMAIN);

  KinesisDataCalls(KinesisService kinesis, KinesisRecords records, KinesisReads reads,
      KinesisConsumers consumers, ShardSubscriptions subscriptions) {
    this.consumers = consumers;
    this.kinesis = kinesis;
    this.records = records;
    this.reads = reads;
    this.subscriptions = subscriptions;
  }

  /** The stream a request names by StreamName and/or StreamARN, in the caller's account. */
  protected StreamId stream(String name, String arn) {
    return kinesis.stream(AccountInterceptor.currentAccount(), name, arn);
  }

  protected <T, R> void unary(String operation, StreamObserver<R> responses,
      java.util.function.Supplier<CompletionStage<T>> call,
      java.util.function.Function<T, R> toResponse) {
    UnaryCalls.unary(errors, operation, responses, call, toResponse);
  }

  // ------------------------------------------------------------------ records

  @Override
  public void putRecord(PutRecordRequest request, StreamObserver<PutRecordResponse> responses) {
    unary("PutRecord", responses, () -> records.putRecord(
        stream(request.getStreamName(), request.getStreamArn()),
        new KinesisRecords.Entry(request.getPartitionKey(), request.getData().toByteArray(),
            request.getExplicitHashKey())),
        r -> PutRecordResponse.newBuilder().setShardId(r.shardId())
            .setSequenceNumber(r.sequenceNumber()).setEncryptionType("NONE").build());
  }

  @Override
  public void putRecords(PutRecordsRequest request,
      StreamObserver<PutRecordsResponse> responses) {
    unary("PutRecords", responses, () -> records.putRecords(
        stream(request.getStreamName(), request.getStreamArn()),
        request.getRecordsList().stream().map(e -> new KinesisRecords.Entry(
            e.getPartitionKey(), e.getData().toByteArray(), e.getExplicitHashKey())).toList()),
        results -> {
          var b = PutRecordsResponse.newBuilder().setEncryptionType("NONE");
          int failed = 0;
          for (KinesisRecords.Result r : results) {
            var e = PutRecordsResultEntry.newBuilder();
            if (r.errorCode() != null) {
              failed++;
              e.setErrorCode(r.errorCode()).setErrorMessage(r.errorMessage());
            } else {
              e.setShardId(r.shardId()).setSequenceNumber(r.sequenceNumber());
            }
            b.addRecords(e);
          }
          return b.setFailedRecordCount(failed).build();
        });
  }

  @Override
  public void getShardIterator(GetShardIteratorRequest request,
      StreamObserver<GetShardIteratorResponse> responses) {
    unary("GetShardIterator", responses, () -> reads.getShardIterator(
        stream(request.getStreamName(), request.getStreamArn()), request.getShardId(),
        request.getShardIteratorType(), request.getStartingSequenceNumber(),
        request.getShardIteratorType().equals("AT_TIMESTAMP") ? request.getTimestamp() : null),
        it -> GetShardIteratorResponse.newBuilder().setShardIterator(it).build());
  }

  @Override
  public void getRecords(GetRecordsRequest request,
      StreamObserver<GetRecordsResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    unary("GetRecords", responses, () -> reads.getRecords(account, request.getShardIterator(),
        request.getLimit()), (KinesisReads.Records page) -> {
          var b = GetRecordsResponse.newBuilder()
              .setMillisBehindLatest(page.millisBehindLatest());
          page.records().forEach(r -> b.addRecords(KinesisProtoMapping.record(r)));
          if (page.nextShardIterator() != null) {
            b.setNextShardIterator(page.nextShardIterator());
          }
          page.childShards().forEach(c -> b.addChildShards(KinesisProtoMapping.child(c)));
          return b.build();
        });
  }

  // ------------------------------------------------------------------ consumers

  @Override
  public void registerStreamConsumer(RegisterStreamConsumerRequest request,
      StreamObserver<RegisterStreamConsumerResponse> responses) {
    unary("RegisterStreamConsumer", responses, () -> consumers.register(
        stream(null, request.getStreamArn()), request.getConsumerName()),
        found -> RegisterStreamConsumerResponse.newBuilder().setConsumer(KinesisProtoMapping
            .consumer(found.consumer())).build());
  }

  @Override
  public void listStreamConsumers(ListStreamConsumersRequest request,
      StreamObserver<ListStreamConsumersResponse> responses) {
    unary("ListStreamConsumers", responses, () -> consumers.current(stream(null,
        request.getStreamArn())), s -> {
          var b = ListStreamConsumersResponse.newBuilder();
          s.consumers().forEach(c -> b.addConsumers(KinesisProtoMapping.consumer(c)));
          return b.build();
        });
  }

  @Override
  public void describeStreamConsumer(DescribeStreamConsumerRequest request,
      StreamObserver<DescribeStreamConsumerResponse> responses) {
    unary("DescribeStreamConsumer", responses, () -> consumers.describe(
        AccountInterceptor.currentAccount(), request.getStreamArn(), request.getConsumerName(),
        request.getConsumerArn()), found -> {
          var c = found.consumer();
          return DescribeStreamConsumerResponse.newBuilder().setConsumerDescription(
              ConsumerDescription.newBuilder().setConsumerName(c.name())
                  .setConsumerArn(c.arn()).setConsumerStatus(c.status())
                  .setConsumerCreationTimestamp(KinesisProtoMapping.seconds(c.createdMillis()))
                  .setStreamArn(found.stream().arn())).build();
        });
  }

  @Override
  public void deregisterStreamConsumer(DeregisterStreamConsumerRequest request,
      StreamObserver<DeregisterStreamConsumerResponse> responses) {
    unary("DeregisterStreamConsumer", responses, () -> consumers.deregister(
        AccountInterceptor.currentAccount(), request.getStreamArn(), request.getConsumerName(),
        request.getConsumerArn()), s -> DeregisterStreamConsumerResponse.getDefaultInstance());
  }

  /** Server streaming: the events come as the subscription finds records; a failure
   *  before the first event (bad input, the consumer, a second subscription) is the call's
   *  status with AWS's code. */
  @Override
  public void subscribeToShard(SubscribeToShardRequest request,
      StreamObserver<SubscribeToShardEvent> responses) {
    String account = AccountInterceptor.currentAccount();
    KinesisSubscriptionSink sink = new KinesisSubscriptionSink(responses, errors);
    StartingPosition start = request.getStartingPosition();
    try {
      subscriptions.subscribe(account, request.getConsumerArn(), request.getShardId(),
          start.getType(), start.getSequenceNumber(),
          start.getType().equals("AT_TIMESTAMP") ? start.getTimestamp() : null, sink)
          .whenComplete((v, failure) -> {
            if (failure != null) {
              sink.failed(failure);
            }
          });
    } catch (RuntimeException e) {
      sink.failed(e);
    }
  }
}
