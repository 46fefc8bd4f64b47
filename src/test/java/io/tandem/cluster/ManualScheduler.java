package io.tandem.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Periodic tasks that run only when the test says so. */
final class ManualScheduler implements Scheduler {
  private record Task(Duration period, Runnable task) {}

  private final List<Task> tasks = new CopyOnWriteArrayList<>();

  @Override
  public Cancellable every(Duration period, Runnable task) {
    Task t = new Task(period, task);
    tasks.add(t);
    return () -> tasks.remove(t);
  }

  /** Runs once every task with this period; returns how many ran. */
  int fire(Duration period) {
    int n = 0;
    for (Task t : tasks) {
      if (t.period().equals(period)) {
        t.task().run();
        n++;
      }
    }
    return n;
  }

  int size() {
    return tasks.size();
  }
}
