package fabric.node.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraDisksTest {
  @Test
  void onlyTheFabricsOwnTmpfsDisksUnderItsDataDirAreFound() {
    List<String> mounts = List.of(
        "/dev/sda1 / ext4 rw,relatime 0 0",
        "fabric-cassandra-disk /tmp/d/cassandra/node1-us-east-1a tmpfs rw,size=524288k 0 0",
        "fabric-cassandra-disk /tmp/my\\040data/cassandra/node2-us-east-1b tmpfs rw 0 0",
        "fabric-cassandra-disk /tmp/other/cassandra/node1-us-east-1a tmpfs rw 0 0",
        "tmpfs /tmp/d/cassandra/node3-us-east-1c tmpfs rw 0 0");
    assertThat(CassandraDisks.mountedUnder(Path.of("/tmp/d"), mounts))
        .containsExactly(Path.of("/tmp/d/cassandra/node1-us-east-1a"));
    assertThat(CassandraDisks.mountedUnder(Path.of("/tmp/my data"), mounts))
        .containsExactly(Path.of("/tmp/my data/cassandra/node2-us-east-1b"));
  }
}
