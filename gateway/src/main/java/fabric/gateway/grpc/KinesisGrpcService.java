package fabric.gateway.grpc;

import fabric.kinesis.model.KinesisErrors;
import fabric.kinesis.service.KinesisConsumers;
import fabric.kinesis.service.KinesisReads;
import fabric.kinesis.service.KinesisRecords;
import fabric.kinesis.service.KinesisScaling;
import fabric.kinesis.service.KinesisService;
import fabric.kinesis.service.ShardSubscriptions;
import fabric.kinesis.service.StreamId;
import fabric.kinesis.stream.StreamCommand;
import fabric.kinesis.stream.StreamShard;
import fabric.kinesis.stream.StreamState;
import fabric.kinesis.v1.*;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Kinesis Data Streams over gRPC: proto ↔ {@link KinesisService}; the stream operations
 *  here, records and consumers in {@link KinesisDataCalls}. */
public final class KinesisGrpcService extends KinesisDataCalls implements BindableService {
  /** AWS: DescribeStream lists up to 10,000 shards a page (100 by default); ListShards up
   *  to 10,000 (1,000 by default). */
  static final int MAX_SHARDS_PAGE = 10_000;
  private final KinesisScaling scaling;

  public KinesisGrpcService(KinesisService kinesis, KinesisRecords records,
      KinesisReads reads, KinesisConsumers consumers, ShardSubscriptions subscriptions) {
    super(kinesis, records, reads, consumers, subscriptions);
    this.scaling = new KinesisScaling(kinesis);
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(KinesisGrpc.bindService(this),
        new AccountInterceptor(errors));
  }

  // ------------------------------------------------------------------ streams

  @Override
  public void createStream(CreateStreamRequest request,
      StreamObserver<CreateStreamResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    unary("CreateStream", responses, () -> kinesis.createStream(account,
        request.getStreamName(), request.getStreamModeDetails().getStreamMode(),
        request.getShardCount(), request.getTagsMap()),
        s -> CreateStreamResponse.getDefaultInstance());
  }

  @Override
  public void describeStream(DescribeStreamRequest request,
      StreamObserver<DescribeStreamResponse> responses) {
    unary("DescribeStream", responses, () -> {
      int limit = pageLimit(request.getLimit(), 100, "limit");
      return kinesis.describe(stream(request.getStreamName(), request.getStreamArn()))
          .thenApply(s -> describe(s, request.getExclusiveStartShardId(), limit));
    }, d -> d);
  }

  private static DescribeStreamResponse describe(StreamState s, String exclusiveStart,
      int limit) {
    List<StreamShard> page = page(s.shards(), exclusiveStart, limit);
    var d = StreamDescription.newBuilder().setStreamName(s.name()).setStreamArn(s.arn())
        .setStreamStatus(s.status()).setStreamModeDetails(KinesisProtoMapping.mode(s))
        .setRetentionPeriodHours(s.retentionHours())
        .setStreamCreationTimestamp(KinesisProtoMapping.seconds(s.createdMillis()))
        .setEncryptionType("NONE")
        .setHasMoreShards(!page.isEmpty() && !page.get(page.size() - 1).equals(
            s.shards().get(s.shards().size() - 1)));
    page.forEach(x -> d.addShards(KinesisProtoMapping.shard(x)));
    return DescribeStreamResponse.newBuilder().setStreamDescription(d).build();
  }

  /** Up to {@code limit} shards after {@code exclusiveStart} (by id: ids sort as created). */
  private static List<StreamShard> page(List<StreamShard> shards, String exclusiveStart,
      int limit) {
    List<StreamShard> out = new ArrayList<>();
    for (StreamShard x : shards) {
      if (out.size() < limit && (exclusiveStart.isEmpty()
          || x.shardId().compareTo(exclusiveStart) > 0)) {
        out.add(x);
      }
    }
    return out;
  }

  private static int pageLimit(int requested, int byDefault, String member) {
    if (requested < 0 || requested > MAX_SHARDS_PAGE) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value '"
          + requested + "' at '" + member + "' failed to satisfy constraint: Member must have "
          + "value between 1 and " + MAX_SHARDS_PAGE);
    }
    return requested == 0 ? byDefault : requested;
  }

  @Override
  public void describeStreamSummary(DescribeStreamSummaryRequest request,
      StreamObserver<DescribeStreamSummaryResponse> responses) {
    unary("DescribeStreamSummary", responses,
        () -> kinesis.describe(stream(request.getStreamName(), request.getStreamArn())),
        s -> DescribeStreamSummaryResponse.newBuilder()
            .setStreamDescriptionSummary(KinesisProtoMapping.summary(s)).build());
  }

  @Override
  public void listStreams(ListStreamsRequest request,
      StreamObserver<ListStreamsResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    unary("ListStreams", responses, () -> {
      String after = !request.getNextToken().isEmpty() ? fromToken(request.getNextToken())
          : request.getExclusiveStartStreamName();
      return kinesis.listStreams(account, after, request.getLimit())
          .thenCompose(page -> {
            List<CompletableFuture<StreamState>> described = page.names().stream()
                .map(n -> kinesis.describe(kinesis.stream(account, n, null))
                    .toCompletableFuture().exceptionally(KinesisGrpcService::deletedMeanwhile))
                .toList();
            return CompletableFuture.allOf(described.toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                  var b = ListStreamsResponse.newBuilder().addAllStreamNames(page.names())
                      .setHasMoreStreams(page.more());
                  if (page.more()) {
                    b.setNextToken(token(page.names().get(page.names().size() - 1)));
                  }
                  for (CompletableFuture<StreamState> f : described) {
                    StreamState s = f.join();
                    if (s != null) { // deleted meanwhile
                      b.addStreamSummaries(StreamSummary.newBuilder().setStreamName(s.name())
                          .setStreamArn(s.arn()).setStreamStatus(s.status())
                          .setStreamModeDetails(KinesisProtoMapping.mode(s))
                          .setStreamCreationTimestamp(KinesisProtoMapping.seconds(
                              s.createdMillis())));
                    }
                  }
                  return b.build();
                });
          });
    }, r -> r);
  }

  /** A listed stream deleted before its summary was read: left out of the summaries (null);
   *  any other failure fails the call. */
  private static StreamState deletedMeanwhile(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException
        && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof fabric.core.error.ServiceException se
        && se.error().code().equals(KinesisErrors.ResourceNotFoundException.awsCode())) {
      return null;
    }
    throw failure instanceof java.util.concurrent.CompletionException ce ? ce
        : new java.util.concurrent.CompletionException(failure);
  }

  /** NextTokens: the last name or shard id of the page, opaque to clients. */
  private static String token(String last) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("n1|" + last).getBytes(StandardCharsets.UTF_8));
  }

  private static String fromToken(String token) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (text.startsWith("n1|")) {
        return text.substring(3);
      }
    } catch (IllegalArgumentException e) {
      // falls through
    }
    throw KinesisErrors.invalid("Invalid NextToken.");
  }

  @Override
  public void listShards(ListShardsRequest request,
      StreamObserver<ListShardsResponse> responses) {
    unary("ListShards", responses, () -> {
      if (!request.getNextToken().isEmpty() && !request.getStreamName().isEmpty()) {
        throw KinesisErrors.invalid("NextToken and StreamName cannot be provided together.");
      }
      String[] token = request.getNextToken().isEmpty() ? null
          : fromToken(request.getNextToken()).split("\\|", 2);
      if (token != null && token.length != 2) {
        throw KinesisErrors.invalid("Invalid NextToken.");
      }
      int limit = pageLimit(request.getMaxResults(), 1_000, "maxResults");
      StreamId id = token != null ? stream(token[0], null)
          : stream(request.getStreamName(), request.getStreamArn());
      String after = token != null ? token[1] : request.getExclusiveStartShardId();
      return kinesis.describe(id).thenApply(s -> {
        List<StreamShard> shards = filter(s, request.getShardFilter());
        List<StreamShard> page = page(shards, after, limit);
        var b = ListShardsResponse.newBuilder();
        page.forEach(x -> b.addShards(KinesisProtoMapping.shard(x)));
        if (!page.isEmpty() && !page.get(page.size() - 1).equals(shards.get(shards.size() - 1))) {
          b.setNextToken(token(s.name() + "|" + page.get(page.size() - 1).shardId()));
        }
        return b.build();
      });
    }, r -> r);
  }

  /** ShardFilter: AT_LATEST lists the open shards; the others all listed shards (closed
   *  shards are listed only while their records are retained, which is what the trim
   *  horizon and timestamps select on AWS). */
  private static List<StreamShard> filter(StreamState s, ShardFilter filter) {
    String type = filter.getType();
    if (type.isEmpty() || type.equals("AT_TRIM_HORIZON") || type.equals("FROM_TRIM_HORIZON")
        || type.equals("AT_TIMESTAMP") || type.equals("FROM_TIMESTAMP")) {
      return s.shards();
    }
    if (type.equals("AT_LATEST")) {
      return s.shards().stream().filter(StreamShard::open).toList();
    }
    if (type.equals("AFTER_SHARD_ID")) {
      return s.shards().stream().filter(x -> x.shardId().compareTo(filter.getShardId()) > 0)
          .toList();
    }
    throw KinesisErrors.ValidationException.exception("1 validation error detected: Value '"
        + type + "' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy "
        + "enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, "
        + "AT_TIMESTAMP, FROM_TIMESTAMP]");
  }

  @Override
  public void deleteStream(DeleteStreamRequest request,
      StreamObserver<DeleteStreamResponse> responses) {
    unary("DeleteStream", responses, () -> kinesis.deleteStream(
        stream(request.getStreamName(), request.getStreamArn()),
        request.getEnforceConsumerDeletion()), s -> DeleteStreamResponse.getDefaultInstance());
  }

  @Override
  public void increaseStreamRetentionPeriod(IncreaseStreamRetentionPeriodRequest request,
      StreamObserver<IncreaseStreamRetentionPeriodResponse> responses) {
    unary("IncreaseStreamRetentionPeriod", responses, () -> kinesis.setRetention(
        stream(request.getStreamName(), request.getStreamArn()),
        request.getRetentionPeriodHours(), true),
        s -> IncreaseStreamRetentionPeriodResponse.getDefaultInstance());
  }

  @Override
  public void decreaseStreamRetentionPeriod(DecreaseStreamRetentionPeriodRequest request,
      StreamObserver<DecreaseStreamRetentionPeriodResponse> responses) {
    unary("DecreaseStreamRetentionPeriod", responses, () -> kinesis.setRetention(
        stream(request.getStreamName(), request.getStreamArn()),
        request.getRetentionPeriodHours(), false),
        s -> DecreaseStreamRetentionPeriodResponse.getDefaultInstance());
  }

  @Override
  public void splitShard(SplitShardRequest request,
      StreamObserver<SplitShardResponse> responses) {
    unary("SplitShard", responses, () -> kinesis.splitShard(
        stream(request.getStreamName(), request.getStreamArn()), request.getShardToSplit(),
        request.getNewStartingHashKey()), s -> SplitShardResponse.getDefaultInstance());
  }

  @Override
  public void mergeShards(MergeShardsRequest request,
      StreamObserver<MergeShardsResponse> responses) {
    unary("MergeShards", responses, () -> kinesis.mergeShards(
        stream(request.getStreamName(), request.getStreamArn()), request.getShardToMerge(),
        request.getAdjacentShardToMerge()), s -> MergeShardsResponse.getDefaultInstance());
  }

  @Override
  public void updateShardCount(UpdateShardCountRequest request,
      StreamObserver<UpdateShardCountResponse> responses) {
    unary("UpdateShardCount", responses, () -> scaling.updateShardCount(
        stream(request.getStreamName(), request.getStreamArn()),
        request.getTargetShardCount(), request.getScalingType()),
        r -> UpdateShardCountResponse.newBuilder().setStreamName(r.stream().name())
            .setStreamArn(r.stream().arn()).setCurrentShardCount(r.currentShardCount())
            .setTargetShardCount(r.targetShardCount()).build());
  }

  @Override
  public void describeLimits(DescribeLimitsRequest request,
      StreamObserver<DescribeLimitsResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    unary("DescribeLimits", responses, () -> scaling.describeLimits(account),
        l -> DescribeLimitsResponse.newBuilder().setShardLimit(l.shardLimit())
            .setOpenShardCount(l.openShardCount())
            .setOnDemandStreamCount(l.onDemandStreamCount())
            .setOnDemandStreamCountLimit(l.onDemandStreamCountLimit()).build());
  }

  @Override
  public void updateStreamMode(UpdateStreamModeRequest request,
      StreamObserver<UpdateStreamModeResponse> responses) {
    unary("UpdateStreamMode", responses, () -> kinesis.command(stream(null,
        request.getStreamArn()), r -> new StreamCommand.SetMode(
            request.getStreamModeDetails().getStreamMode(), r)),
        s -> UpdateStreamModeResponse.getDefaultInstance());
  }

  @Override
  public void addTagsToStream(AddTagsToStreamRequest request,
      StreamObserver<AddTagsToStreamResponse> responses) {
    unary("AddTagsToStream", responses, () -> kinesis.command(stream(request.getStreamName(),
        request.getStreamArn()), r -> new StreamCommand.Tag(request.getTagsMap(), r)),
        s -> AddTagsToStreamResponse.getDefaultInstance());
  }

  @Override
  public void removeTagsFromStream(RemoveTagsFromStreamRequest request,
      StreamObserver<RemoveTagsFromStreamResponse> responses) {
    unary("RemoveTagsFromStream", responses, () -> kinesis.command(
        stream(request.getStreamName(), request.getStreamArn()),
        r -> new StreamCommand.Untag(request.getTagKeysList(), r)),
        s -> RemoveTagsFromStreamResponse.getDefaultInstance());
  }

  @Override
  public void listTagsForStream(ListTagsForStreamRequest request,
      StreamObserver<ListTagsForStreamResponse> responses) {
    unary("ListTagsForStream", responses, () -> kinesis.describe(stream(
        request.getStreamName(), request.getStreamArn())), s -> {
          int limit = request.getLimit() <= 0 ? 50 : request.getLimit();
          var b = ListTagsForStreamResponse.newBuilder();
          int n = 0;
          for (Map.Entry<String, String> t : s.tags().entrySet()) { // sorted by key
            if (t.getKey().compareTo(request.getExclusiveStartTagKey()) <= 0) {
              continue;
            }
            if (n++ == limit) {
              b.setHasMoreTags(true);
              break;
            }
            b.addTags(Tag.newBuilder().setKey(t.getKey()).setValue(t.getValue()));
          }
          return b.build();
        });
  }
}
