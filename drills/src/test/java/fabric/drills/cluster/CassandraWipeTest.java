package fabric.drills.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Destroying an AZ's Cassandra data keeps the node's identity (system keyspaces) only. */
class CassandraWipeTest {
  @TempDir
  Path node;

  private Path file(String relative) throws Exception {
    Path f = node.resolve(relative);
    Files.createDirectories(f.getParent());
    return Files.writeString(f, "x");
  }

  @Test
  void deletesUserKeyspacesCommitLogAndHintsButKeepsSystemKeyspacesAndDirectories()
      throws Exception {
    Path journal = file("data/fabric/messages-1a2b/nb-1-big-Data.db");
    Path zonal = file("data/fabric_blobs_us_east_1a/chunks-3c4d/nb-1-big-Data.db");
    Path local = file("data/system/local-7ad5/nb-1-big-Data.db");
    Path schema = file("data/system_schema/tables-afdd/nb-1-big-Data.db");
    Path segment = file("commitlog/CommitLog-7-1.log");
    Path hint = file("hints/abc-1.hints");

    assertThat(CassandraWipe.userData(node)).isEqualTo(4);

    assertThat(journal).doesNotExist();
    assertThat(zonal).doesNotExist();
    assertThat(segment).doesNotExist();
    assertThat(hint).doesNotExist();
    assertThat(local).exists();
    assertThat(schema).exists();
    assertThat(journal.getParent()).isDirectory(); // Cassandra expects its table dirs
    assertThat(node.resolve("commitlog")).isDirectory();
  }

  @Test
  void aDirectoryThatIsNoCassandraNodeIsRefused() {
    assertThatThrownBy(() -> CassandraWipe.userData(node))
        .hasMessageContaining("not a Cassandra data dir");
  }
}
