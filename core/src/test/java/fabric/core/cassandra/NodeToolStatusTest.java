package fabric.core.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Plain parsing test, no Cassandra needed; the sample follows nodetool 5.0 status output. */
class NodeToolStatusTest {

  private static final String SAMPLE = String.join("\n",
      "Datacenter: us-east-1a",
      "======================",
      "Status=Up/Down",
      "|/ State=Normal/Leaving/Joining/Moving",
      "--  Address    Load       Tokens  Owns (effective)  Host ID"
          + "                               Rack",
      "UN  127.0.0.1  80.12 KiB  16      ?                 "
          + "5b0f8a58-6d6e-4b0e-9c4f-0b1c7f1b2a01  rack1",
      "",
      "Datacenter: us-east-1c",
      "======================",
      "Status=Up/Down",
      "|/ State=Normal/Leaving/Joining/Moving",
      "--  Address         Load       Tokens  Owns (effective)  Host ID"
          + "                               Rack",
      "DN  127.0.0.3:7000  75.3 KiB   16      ?                 "
          + "0c1d2e3f-6d6e-4b0e-9c4f-0b1c7f1b2a03  rack1",
      "");

  @Test
  void readsDcStateAndAddressPerRow() {
    assertThat(NodeToolStatus.parse(SAMPLE))
        .containsExactly("us-east-1a UN 127.0.0.1", "us-east-1c DN 127.0.0.3");
  }
}
