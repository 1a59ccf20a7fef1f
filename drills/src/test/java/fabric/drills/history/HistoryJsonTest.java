package fabric.drills.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryJsonTest {

  private static History sample() {
    History h = new History(SteppingClock.millis());
    FaultEvent kill = h.faultStarted("kill-9", "node-2");
    Op w = h.invoke(1, Op.WRITE, "k1", OpValue.of("a \"quoted\" \u00e9 value"));
    Op r = h.invoke(2, Op.READ, "k1", null);
    Op c = h.invoke(3, Op.CAS, "k1", OpValue.cas(null, "b"));
    Op absent = h.invoke(4, Op.READ, "k2", null);
    h.ok(w);
    h.ok(absent, null);
    h.fail(c, "cas mismatch");
    h.info(r, "DEADLINE_EXCEEDED");
    h.faultHealed(kill);
    h.faultStarted("partition", "us-east-1a|us-east-1b");
    Op pending = h.invoke(5, Op.CAS, "k1", OpValue.cas("a", null));
    assertThat(pending).isNotNull();
    return h;
  }

  @Test
  void aHistoryRoundTripsThroughJson() {
    History h = sample();

    History back = HistoryJson.fromJson(HistoryJson.toJson(h));

    assertThat(back.ops()).isEqualTo(h.ops());
    assertThat(back.faults()).isEqualTo(h.faults());
    assertThat(back.calls()).isEqualTo(h.calls());
    assertThat(back.lastEventNanos()).isEqualTo(h.lastEventNanos());
  }

  /** Sends, receives and deletes of a queue: messages, and lists of them. */
  private static History queueSample() {
    History h = new History(SteppingClock.millis());
    Op send = h.invoke(1, Op.SEND, "q.fifo", OpValue.of("g0:0"));
    h.ok(send, OpValue.message("m-1", "g0:0"));
    Op empty = h.invoke(2, Op.RECEIVE, "q.fifo", null);
    h.ok(empty, OpValue.messages(List.of()));
    Op receive = h.invoke(2, Op.RECEIVE, "q.fifo", null);
    h.ok(receive, OpValue.messages(List.of(OpValue.message("m-1", "g0:0"),
        OpValue.message("m-2", "g0:\"1\""))));
    Op delete = h.invoke(2, Op.DELETE, "q.fifo", OpValue.messages(
        List.of(OpValue.message("m-1", "g0:0"), OpValue.message("m-2", "g0:\"1\""))));
    h.ok(delete, OpValue.messages(List.of(OpValue.message("m-2", "g0:\"1\""))));
    return h;
  }

  @Test
  void aQueueHistoryRoundTripsThroughJson() {
    History h = queueSample();

    String json = HistoryJson.toJson(h);
    History back = HistoryJson.fromJson(json);

    assertThat(back.ops()).isEqualTo(h.ops());
    assertThat(back.calls()).isEqualTo(h.calls());
    assertThat(json).contains("\"value\":{\"id\":\"m-1\",\"body\":\"g0:0\"}")
        .contains("\"value\":[]")
        .contains("\"value\":[{\"id\":\"m-1\",\"body\":\"g0:0\"},{\"id\":\"m-2\"");
  }

  @Test
  void aHistoryRoundTripsThroughAFile(@TempDir Path dir) {
    History h = sample();
    Path file = dir.resolve("history.json");

    HistoryJson.write(h, file);

    assertThat(HistoryJson.read(file).ops()).isEqualTo(h.ops());
  }

  @Test
  void theJsonIsSnakeCaseWithLowerCaseTypesAndCasPairs() {
    String json = HistoryJson.toJson(sample());

    assertThat(json).contains("\"format\":\"" + HistoryJson.FORMAT + "\"")
        .contains("\"time_nanos\":").contains("\"start_nanos\":").contains("\"end_nanos\":")
        .contains("\"type\":\"info\"").contains("\"error\":\"DEADLINE_EXCEEDED\"")
        .contains("\"value\":{\"expected\":null,\"new\":\"b\"}");
  }

  @Test
  void eachOpIsOnALineOfItsOwn() {
    History h = sample();

    long opLines = HistoryJson.toJson(h).lines().filter(l -> l.startsWith("{\"index\":")).count();

    assertThat(opLines).isEqualTo(h.ops().size());
  }

  @Test
  void aMalformedHistoryIsRejectedWithItsReason() {
    String orphanCompletion = "{\"ops\":[{\"index\":0,\"process\":1,\"type\":\"ok\",\"f\":\"read\","
        + "\"key\":\"k\",\"time_nanos\":1}]}";

    assertThatThrownBy(() -> HistoryJson.fromJson(orphanCompletion))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("malformed history");
    assertThatThrownBy(() -> HistoryJson.fromJson("{\"format\":\"other/9\",\"ops\":[]}"))
        .hasMessageContaining("unsupported history format");
  }
}
