package fabric.gateway.grpc;

import fabric.kinesis.service.SubscriptionSink;
import fabric.kinesis.v1.SubscribeToShardEvent;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * A SubscribeToShard call's response stream as a {@link SubscriptionSink}. gRPC takes the
 * ready and cancel handlers only while the call method runs, so they are set here at once
 * and forward to whatever the subscription registers later.
 */
final class KinesisSubscriptionSink implements SubscriptionSink {
  private final ServerCallStreamObserver<SubscribeToShardEvent> call;
  private final GrpcErrors errors;
  private volatile Runnable whenReady = () -> {};
  private volatile Runnable whenCancelled = () -> {};
  private volatile boolean cancelled;

  KinesisSubscriptionSink(StreamObserver<SubscribeToShardEvent> responses, GrpcErrors errors) {
    this.call = (ServerCallStreamObserver<SubscribeToShardEvent>) responses;
    this.errors = errors;
    call.setOnReadyHandler(() -> whenReady.run());
    call.setOnCancelHandler(() -> {
      cancelled = true;
      whenCancelled.run();
    });
  }

  @Override
  public boolean ready() {
    return call.isReady();
  }

  @Override
  public boolean cancelled() {
    return cancelled || call.isCancelled();
  }

  @Override
  public void listen(Runnable ready, Runnable cancel) {
    this.whenReady = ready;
    this.whenCancelled = cancel;
  }

  @Override
  public void event(Event event) {
    var b = SubscribeToShardEvent.newBuilder()
        .setMillisBehindLatest(event.millisBehindLatest());
    event.records().forEach(r -> b.addRecords(KinesisProtoMapping.record(r)));
    if (event.continuationSequenceNumber() != null) {
      b.setContinuationSequenceNumber(event.continuationSequenceNumber());
    }
    event.childShards().forEach(c -> b.addChildShards(KinesisProtoMapping.child(c)));
    call.onNext(b.build());
  }

  @Override
  public void completed() {
    call.onCompleted();
  }

  @Override
  public void failed(Throwable failure) {
    call.onError(errors.toStatus(failure, "SubscribeToShard"));
  }
}
