package fabric.node.launcher;

import java.util.List;
import java.util.stream.Collectors;

/** Refuses to start a second fabric on a data dir whose recorded processes still run. */
final class StillRunning {
  private StillRunning() {}

  static void refuse(LaunchPlan plan) {
    FabricState previous = StateFile.read(plan.stateFile()).orElse(null);
    if (previous == null) {
      return;
    }
    List<RecordedProcesses.Live> live = RecordedProcesses.all(previous);
    if (!live.isEmpty()) {
      throw new IllegalStateException("a fabric started on " + plan.dataDir()
          + " still runs (" + live.stream().map(Object::toString)
              .collect(Collectors.joining(", "))
          + "); stop it first with ./fabric down --data-dir " + plan.dataDir());
    }
  }
}
