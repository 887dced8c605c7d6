import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who caused what a request writes: `person:<id>`, `key:<id>` or `operator` (the environment's
 * key). One scope per HTTP request (opened by bootstrap/security.ts before any handler runs),
 * filled in by the AuthGuard once it knows the caller, read by the events writer, so every
 * event a request writes carries its actor without each service passing it along. Work the
 * platform does on its own (matcher, sweep, expiry) runs outside any request: no actor.
 */
export type Actor = `person:${string}` | `key:${string}` | 'operator';

interface ActorScope {
  actor?: Actor;
}

const scopes = new AsyncLocalStorage<ActorScope>();

/** Runs `work` (the rest of a request) in a scope of its own; the guard fills it in. */
export function withActorScope<T>(work: () => T): T {
  return scopes.run({}, work);
}

export function setActor(actor: Actor): void {
  const scope = scopes.getStore();
  if (scope) scope.actor = actor;
}

export function currentActor(): Actor | null {
  return scopes.getStore()?.actor ?? null;
}
