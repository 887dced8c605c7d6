import { useState } from 'react';
import { type ApiProblem, asProblem } from './api';

/**
 * A button's action: busy while it runs, the problem document if it fails. Every form and
 * button in the console reports errors the same way.
 */
export function useAction(): { busy: boolean; problem: ApiProblem | undefined; run: (work: () => Promise<unknown>) => Promise<void> } {
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    try {
      await work();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, run };
}
