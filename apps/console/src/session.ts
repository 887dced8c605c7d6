import { useCallback, useState } from 'react';
import { setApiKey } from './api';

const STORAGE = 'cloudloom.key';

/** The API key lives in session storage: it survives a reload, not the closing of the tab. */
export function useSession(): { key: string | undefined; signIn: (key: string) => void; signOut: () => void } {
  const [key, setKey] = useState<string | undefined>(() => sessionStorage.getItem(STORAGE) ?? undefined);
  setApiKey(key);
  const signIn = useCallback((next: string) => {
    sessionStorage.setItem(STORAGE, next);
    setApiKey(next);
    setKey(next);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE);
    setApiKey(undefined);
    setKey(undefined);
  }, []);
  return { key, signIn, signOut };
}
