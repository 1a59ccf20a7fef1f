package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.epoch.LeaderEpoch;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcLeaderEpochStoreTest {
  @TempDir
  Path dataDir;

  @Test
  void ofTwoClaimsOfOneEpochOnlyOneWinsAndANewStoreReadsThem() throws Exception {
    ExecutorService io = Executors.newSingleThreadExecutor();
    EmbeddedJournal.acquire(dataDir);
    try {
      var store = new JdbcLeaderEpochStore(EmbeddedJournal.url(dataDir), io);
      assertThat(store.claim("Bucket|a", new LeaderEpoch(1, 1, "node-1"))
          .toCompletableFuture().join()).isTrue();
      assertThat(store.claim("Bucket|a", new LeaderEpoch(1, 9, "node-2"))
          .toCompletableFuture().join()).isFalse();
      assertThat(store.claim("Bucket|a", new LeaderEpoch(2, 9, "node-2"))
          .toCompletableFuture().join()).isTrue();
      var reopened = new JdbcLeaderEpochStore(EmbeddedJournal.url(dataDir), io);
      assertThat(reopened.load("Bucket|a").toCompletableFuture().join().epochs())
          .containsExactly(new LeaderEpoch(1, 1, "node-1"), new LeaderEpoch(2, 9, "node-2"));
      assertThat(reopened.load("Bucket|b").toCompletableFuture().join().epochs()).isEmpty();
    } finally {
      EmbeddedJournal.release(dataDir);
      io.shutdown();
    }
  }
}
