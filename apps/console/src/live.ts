import { useEffect, useRef, useState } from 'react';
import { EVENT_TYPES } from '@cloudloom/contracts';
import { API_BASE } from './api';
import type { MarketEvent } from './types';

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/**
 * The live feed (server-sent events). EventSource cannot send an Authorization header, so the
 * key travels as `access_token`; a signed-in person's session cookie goes along by itself (same
 * origin, path /api). EventSource reconnects by itself and resumes from Last-Event-ID.
 */
export function useLiveFeed(key: string | undefined, onEvent: (event: MarketEvent) => void): FeedState {
  const [state, setState] = useState<FeedState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    const source = new EventSource(key ? `${API_BASE}/events?access_token=${encodeURIComponent(key)}` : `${API_BASE}/events`);
    let failures = 0;
    source.onopen = () => {
      failures = 0;
      setState('live');
    };
    source.onerror = () => {
      failures += 1;
      // CLOSED means the server refused the stream (a bad key, or no feed): stop retrying.
      setState(source.readyState === EventSource.CLOSED || failures > 5 ? 'offline' : 'reconnecting');
    };
    const listener = (e: MessageEvent<string>): void => {
      let data: { payload?: Record<string, unknown>; orderId?: string } = {};
      try {
        data = JSON.parse(e.data) as typeof data;
      } catch {
        return;
      }
      handler.current({ id: e.lastEventId, type: e.type, payload: { ...(data.payload ?? {}), ...(data.orderId ? { orderId: data.orderId } : {}) }, receivedAt: Date.now() });
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, listener);
    source.addEventListener('message', listener);
    return () => source.close();
  }, [key]);

  return state;
}
