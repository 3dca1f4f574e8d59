/** One thing to stop at shutdown, named so that one that hangs can be reported. */
export interface ShutdownStep {
  name: string;
  stop(): Promise<void>;
  /** A server Earshot started itself: stopped last, with a reserve of the time (see runShutdown). */
  last?: boolean;
}

const LAST_CHANCE_MS = 250;

/**
 * Runs the steps in reverse order of start, each within what is left of `withinMs`.
 * Steps marked `last` (the servers Earshot started itself) keep a reserve of that time,
 * so a step hung on a dead service cannot stop them from being stopped. A step that
 * fails or overruns is abandoned and named; the next ones still run. Past the deadline each
 * remaining step still gets LAST_CHANCE_MS, which the reserve absorbs.
 * Resolves to the names of the steps that did not finish.
 */
export async function runShutdown(steps: readonly ShutdownStep[], withinMs: number, onError: (name: string, error: unknown) => void): Promise<string[]> {
  const deadline = Date.now() + withinMs;
  const reserveMs = steps.some((step) => step.last) ? Math.min(10_000, withinMs / 3) : 0;
  const unfinished: string[] = [];
  for (const step of [...steps].reverse()) {
    const leftMs = deadline - Date.now() - (step.last ? 0 : reserveMs);
    // Past the deadline, a step still gets a moment: one that would stop at once is not reported as hung.
    const outcome = await within(Promise.resolve().then(() => step.stop()), Math.max(LAST_CHANCE_MS, leftMs));
    if (outcome === 'overran') unfinished.push(step.name);
    else if (outcome !== 'done') onError(step.name, outcome.error);
  }
  return unfinished;
}

async function within(work: Promise<void>, ms: number): Promise<'done' | 'overran' | { error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const overran = new Promise<'overran'>((resolve) => {
    timer = setTimeout(() => resolve('overran'), ms);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const, (error: unknown) => ({ error })), overran]);
  } finally {
    clearTimeout(timer);
  }
}
