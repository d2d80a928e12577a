/**
 * Wraps an async job so that one run happens at a time: a call during a run gets that run's
 * promise and makes the job run once more after it (so what changed meanwhile is seen), however
 * many calls came. A failing run rejects every caller waiting on it.
 */
export function runOneAtATime(job: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await job();
        } while (again);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
}
