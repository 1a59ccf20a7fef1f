package fabric.core.cassandra;

import java.util.ArrayList;
import java.util.List;

/**
 * The module flags Cassandra's own conf/jvm17-server.options passes: without them
 * Cassandra 5.0 fails on Java 17 when it reaches into JDK internals (direct buffers,
 * RMI/JMX, class loading).
 */
final class Java17Flags {

  private static final String[] EXPORTS = {
    "java.base/jdk.internal.misc",
    "java.base/jdk.internal.ref",
    "java.base/sun.nio.ch",
    "java.management.rmi/com.sun.jmx.remote.internal.rmi",
    "java.rmi/sun.rmi.registry",
    "java.rmi/sun.rmi.server",
    "java.sql/java.sql",
  };

  private static final String[] OPENS = {
    "java.base/java.lang.module",
    "java.base/jdk.internal.loader",
    "java.base/jdk.internal.ref",
    "java.base/jdk.internal.reflect",
    "java.base/jdk.internal.math",
    "java.base/jdk.internal.module",
    "java.base/jdk.internal.util.jar",
    "jdk.management/com.sun.management.internal",
    "java.base/java.io",
    "java.base/java.nio",
    "java.base/sun.nio.ch",
    "java.base/java.lang",
    "java.base/java.util",
    "java.base/java.util.concurrent",
    "java.base/java.util.concurrent.atomic",
    "java.base/java.net",
  };

  static final List<String> ARGS = build();

  private Java17Flags() {}

  private static List<String> build() {
    List<String> args = new ArrayList<>();
    for (String e : EXPORTS) {
      args.add("--add-exports=" + e + "=ALL-UNNAMED");
    }
    for (String o : OPENS) {
      args.add("--add-opens=" + o + "=ALL-UNNAMED");
    }
    return List.copyOf(args);
  }
}
