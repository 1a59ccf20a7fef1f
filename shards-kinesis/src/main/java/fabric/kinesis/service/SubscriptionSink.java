package fabric.kinesis.service;

import fabric.kinesis.stream.StreamShard;
import java.util.List;

/**
 * Where a SubscribeToShard subscription sends its events: the transport (gRPC server
 * streaming) behind an interface so the subscription's logic needs no gRPC. Calls to
 * {@link #event}, {@link #completed} and {@link #failed} come one at a time.
 */
public interface SubscriptionSink {
  /** An event of the subscription.
   *  @param continuationSequenceNumber the last record delivered so far; null before any
   *      record of the shard (and at a closed shard's end, as AWS)
   *  @param childShards a closed shard's children, in the last event */
  record Event(List<KinesisReads.Record> records, String continuationSequenceNumber,
      long millisBehindLatest, List<StreamShard> childShards) {}

  /** Whether the transport takes another event without buffering past its window. */
  boolean ready();

  /** The client went away (or the call was cancelled). */
  boolean cancelled();

  /** Runs {@code whenReady} each time the transport can take more after {@link #ready}
   *  was false, and {@code whenCancelled} once the client cancels. */
  void listen(Runnable whenReady, Runnable whenCancelled);

  void event(Event event);

  void completed();

  void failed(Throwable failure);
}
