import { useCallback, useState } from 'react';
import { setApiKey, setCsrfToken } from './api';

const STORAGE = 'cloudloom.key';

/**
 * How this tab is signed in. An API key lives in session storage: it survives a reload, not the
 * closing of the tab. A person's session lives in an httpOnly cookie the page cannot read; the
 * console keeps only its CSRF token in memory and asks GET /sessions/current for it after a reload.
 */
export function useSession(): {
  key: string | undefined;
  signIn: (key: string) => void;
  personSignedIn: (csrfToken: string) => void;
  signOut: () => void;
} {
  const [key, setKey] = useState<string | undefined>(() => sessionStorage.getItem(STORAGE) ?? undefined);
  setApiKey(key);
  const signIn = useCallback((next: string) => {
    sessionStorage.setItem(STORAGE, next);
    setApiKey(next);
    setCsrfToken(undefined);
    setKey(next);
  }, []);
  const personSignedIn = useCallback((csrfToken: string) => {
    sessionStorage.removeItem(STORAGE);
    setApiKey(undefined);
    setCsrfToken(csrfToken);
    setKey(undefined);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE);
    setApiKey(undefined);
    setCsrfToken(undefined);
    setKey(undefined);
  }, []);
  return { key, signIn, personSignedIn, signOut };
}
