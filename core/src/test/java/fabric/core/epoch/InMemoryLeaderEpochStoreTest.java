package fabric.core.epoch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemoryLeaderEpochStoreTest {
  @Test
  void ofTwoClaimsOfOneEpochOnlyTheFirstWins() {
    var store = new InMemoryLeaderEpochStore();
    assertThat(store.claim("Bucket|a", new LeaderEpoch(1, 1, "n1")).toCompletableFuture().join())
        .isTrue();
    assertThat(store.claim("Bucket|a", new LeaderEpoch(1, 3, "n2")).toCompletableFuture().join())
        .isFalse();
    assertThat(store.claim("Bucket|b", new LeaderEpoch(1, 1, "n2")).toCompletableFuture().join())
        .isTrue();
    assertThat(store.load("Bucket|a").toCompletableFuture().join().epochs())
        .containsExactly(new LeaderEpoch(1, 1, "n1"));
  }
}
