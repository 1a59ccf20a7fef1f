package fabric.kinesis.service;

import fabric.kinesis.model.KinesisErrors;
import fabric.kinesis.model.StreamNames;
import fabric.kinesis.stream.Consumer;
import fabric.kinesis.stream.StreamCommand;
import fabric.kinesis.stream.StreamState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Enhanced fan-out consumers: Register/List/Describe/DeregisterStreamConsumer and the lookup
 * SubscribeToShard makes. A consumer is CREATING for {@code activationDelay} after it
 * registers (AWS: a few seconds), then ACTIVE; only an ACTIVE one may subscribe.
 *
 * <p>Activation is lazy: whoever reads the consumers (a describe, a list, a subscribe) once
 * the delay has passed activates the overdue ones first (idempotent in the stream entity).
 * No timer to lose with a node: a consumer is never stuck CREATING, and its status is
 * ACTIVE to every reader after the delay.
 */
public final class KinesisConsumers {
  /** The longest delay allowed: AWS's is seconds; a bound keeps a typo in config (an
   *  hour for a second) from leaving every new consumer unusable for that long. */
  static final Duration MAX_ACTIVATION_DELAY = Duration.ofMinutes(1);
  private final KinesisService kinesis;
  private final long activationDelayMillis;

  /** @param activationDelay how long a registered consumer stays CREATING (0..1 minute) */
  public KinesisConsumers(KinesisService kinesis, Duration activationDelay) {
    if (activationDelay.isNegative() || activationDelay.compareTo(MAX_ACTIVATION_DELAY) > 0) {
      throw new IllegalArgumentException("fabric.kinesis.consumer-activation-delay "
          + activationDelay + " outside 0.." + MAX_ACTIVATION_DELAY);
    }
    this.kinesis = kinesis;
    this.activationDelayMillis = activationDelay.toMillis();
  }

  /** A consumer and the stream it belongs to. */
  public record Found(StreamState stream, Consumer consumer) {}

  /** RegisterStreamConsumer: the consumer as registered (CREATING, as AWS answers). */
  public CompletionStage<Found> register(StreamId id, String name) {
    StreamNames.check(name, "consumerName");
    long now = kinesis.clock().millis();
    return kinesis.command(id, r -> new StreamCommand.RegisterConsumer(name,
        id.consumerArn(name, now), now, r)).thenApply(s -> new Found(s, named(s, name)));
  }

  /** The stream with its consumers, those past their CREATING time activated first. */
  public CompletionStage<StreamState> current(StreamId id) {
    return kinesis.describe(id).thenCompose(s -> activateOverdue(id, s));
  }

  private CompletionStage<StreamState> activateOverdue(StreamId id, StreamState stream) {
    long now = kinesis.clock().millis();
    CompletionStage<StreamState> done = CompletableFuture.completedFuture(stream);
    for (Consumer c : stream.consumers()) {
      if ("CREATING".equals(c.status()) && now - c.createdMillis() >= activationDelayMillis) {
        done = done.thenCompose(s -> kinesis.command(id,
            r -> new StreamCommand.ActivateConsumer(c.name(), r)));
      }
    }
    return done;
  }

  /**
   * DescribeStreamConsumer: by ConsumerARN alone, or by StreamARN and ConsumerName (AWS
   * accepts either). An ARN names one registration: a consumer deregistered and registered
   * again under the same name has a new ARN, and the old one is not found.
   */
  public CompletionStage<Found> describe(String account, String streamArn, String name,
      String consumerArn) {
    if (consumerArn != null && !consumerArn.isEmpty()) {
      return byArn(account, consumerArn);
    }
    if (streamArn == null || streamArn.isEmpty() || name == null || name.isEmpty()) {
      throw KinesisErrors.invalid("Either ConsumerARN or both StreamARN and ConsumerName "
          + "must be provided.");
    }
    StreamNames.check(name, "consumerName");
    StreamId id = kinesis.stream(account, null, streamArn);
    return current(id).thenApply(s -> {
      Consumer c = named(s, name);
      if (c == null) {
        throw KinesisErrors.ResourceNotFoundException.exception("Consumer " + name
            + " under stream " + id.name() + " under account " + account + " not found.");
      }
      return new Found(s, c);
    });
  }

  /** The consumer a ConsumerARN names (arn:...:stream/NAME/consumer/CONSUMER:SECONDS). */
  public CompletionStage<Found> byArn(String account, String consumerArn) {
    StreamId id = streamOfArn(kinesis, account, consumerArn);
    return current(id).thenApply(s -> {
      Consumer c = s.consumers().stream().filter(x -> x.arn().equals(consumerArn))
          .findFirst().orElseThrow(() -> KinesisErrors.ResourceNotFoundException.exception(
              "Consumer " + consumerArn + " under account " + account + " not found."));
      return new Found(s, c);
    });
  }

  /** The stream a ConsumerARN names; ValidationException if it is not a consumer ARN. */
  static StreamId streamOfArn(KinesisService kinesis, String account, String consumerArn) {
    int at = consumerArn == null ? -1 : consumerArn.indexOf("/consumer/");
    if (at < 0) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value '"
          + consumerArn + "' at 'consumerARN' failed to satisfy constraint: Member must be a "
          + "consumer ARN (arn:aws:kinesis:<region>:<account>:stream/<name>/consumer/...)");
    }
    return kinesis.stream(account, null, consumerArn.substring(0, at));
  }

  /** DeregisterStreamConsumer, by ConsumerARN or StreamARN and ConsumerName. */
  public CompletionStage<StreamState> deregister(String account, String streamArn,
      String name, String consumerArn) {
    return describe(account, streamArn, name, consumerArn).thenCompose(found -> kinesis
        .command(streamOf(found.stream()),
            r -> new StreamCommand.DeregisterConsumer(found.consumer().name(), r)));
  }

  /** The id of a stream read from its entity ({@code <account>/<region>/<name>}). */
  private static StreamId streamOf(StreamState s) {
    String[] parts = s.entityId().split("/", 3);
    return new StreamId(parts[1], parts[0], parts[2]);
  }

  private static Consumer named(StreamState s, String name) {
    return s.consumers().stream().filter(c -> c.name().equals(name)).findFirst()
        .orElse(null);
  }
}
