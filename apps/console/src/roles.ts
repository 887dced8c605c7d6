import { createContext, useContext } from 'react';

/** A person's role (DESIGN.md §11); the same names as the server's PersonRole. */
export type PersonRole = 'owner' | 'merchandiser' | 'dispatcher' | 'viewer' | 'operator';

/** What the console offers a button or form for. */
export type Action = 'postOrder' | 'attachFiles' | 'changeOrder' | 'answerOffers' | 'editLines' | 'recordProduction' | 'managePeople' | 'manageWebhooks' | 'editProfile' | 'rematch';

/**
 * Which roles may do what, mirroring the routes' @People(...) declarations (OpenAPI
 * `x-person-roles`): POST /orders, attachments and the order's cancel are owner + merchandiser (cancel also operator);
 * offers, lines, lots and progress are owner + dispatcher; /me/people and /me/webhooks are
 * owner (+ operator); PATCH /me and /me/keys are owner. The console only hides what a role may not do: the server is the
 * authority and answers 403 to anything else, whatever this table says.
 */
const ALLOWED: Readonly<Record<Action, readonly PersonRole[]>> = {
  postOrder: ['owner', 'merchandiser'],
  attachFiles: ['owner', 'merchandiser'],
  changeOrder: ['owner', 'merchandiser', 'operator'],
  answerOffers: ['owner', 'dispatcher'],
  editLines: ['owner', 'dispatcher'],
  recordProduction: ['owner', 'dispatcher'],
  managePeople: ['owner', 'operator'],
  manageWebhooks: ['owner', 'operator'],
  editProfile: ['owner'],
  rematch: ['operator'],
};

/** The signed-in person's role, or undefined for an API key (which acts as its organization's owner). */
export const RoleContext = createContext<PersonRole | undefined>(undefined);

export function may(role: PersonRole | undefined, action: Action): boolean {
  return role === undefined || ALLOWED[action].includes(role);
}

/** Whether the signed-in person may do this; a key may do everything its organization may. */
export function useCan(): (action: Action) => boolean {
  const role = useContext(RoleContext);
  return (action) => may(role, action);
}
