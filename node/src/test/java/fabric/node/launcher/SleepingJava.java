package fabric.node.launcher;

/** A java process that only waits to be stopped: stands in for a node in down's tests. */
public final class SleepingJava {
  private SleepingJava() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("sleeping");
    System.out.flush();
    Thread.sleep(120_000);
  }
}
