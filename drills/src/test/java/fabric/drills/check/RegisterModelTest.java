package fabric.drills.check;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.drills.history.Call;
import fabric.drills.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegisterModelTest {
  private final RegisterModel model = new RegisterModel(null);
  private final RegisterHistory h = new RegisterHistory("x");

  private List<String> neededDescriptions() {
    List<Call> relevant = h.history.calls().stream().filter(model::relevant).toList();
    return model.needed(relevant).stream()
        .map(c -> c.f() + " " + c.invoke().value()).toList();
  }

  @Test
  void failedOpsAndIndeterminateReadsAreNotRelevant() {
    h.fail(h.write(1, "1"));
    h.fail(h.cas(2, "0", "1"));
    h.info(h.read(3));
    h.fail(h.read(4));
    h.ok(h.send(5, "x", "m"));

    assertThat(h.history.calls()).noneMatch(model::relevant);
  }

  @Test
  void anIndeterminateWriteNobodyObservesIsNotSearched() {
    h.writeNow(1, "1");
    h.info(h.write(2, "2"));
    h.readNow(3, "1");

    assertThat(neededDescriptions()).containsExactly("write \"1\"", "read null");
  }

  @Test
  void anIndeterminateWriteSomeReadObservesIsSearched() {
    h.info(h.write(2, "2"));
    h.readNow(3, "2");

    assertThat(neededDescriptions()).containsExactly("write \"2\"", "read null");
  }

  @Test
  void indeterminateOpsFeedingAnObservedCasAreSearched() {
    h.info(h.write(1, "1"));
    h.info(h.cas(2, "1", "2"));
    h.info(h.cas(3, "9", "3"));
    h.readNow(4, "2");

    assertThat(neededDescriptions())
        .containsExactly("write \"1\"", "cas \"1\"->\"2\"", "read null");
  }

  @Test
  void acknowledgedOpsAreAlwaysSearched() {
    Op w = h.write(1, "1");
    h.ok(w);
    h.ok(h.cas(2, "1", "2"));

    assertThat(neededDescriptions()).containsExactly("write \"1\"", "cas \"1\"->\"2\"");
  }
}
