package fabric.drills.report;

/** A drill passes only if nothing was lost, nothing was inconsistent, everything recovered. */
public enum DrillVerdict {
  PASS,
  FAIL
}
