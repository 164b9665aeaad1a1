import { type LiveSummary, type LiveUpdate, timeMode } from '@weft/protocol';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { createLiveClient, type LiveClient, type LiveConnState, liveUrl } from '../api/liveClient.js';
import { apiParams } from '../domain/focus.js';
import { useUrl } from './UrlContext.js';

/**
 * Live mode state for the whole app: one WebSocket to /api/v1/live while the URL says live=1 and the
 * user has not paused; the latest update is what the map draws and the header summarises.
 */
export interface LiveValue {
  /** URL says live and the user has not paused. */
  active: boolean;
  paused: boolean;
  setPaused: (p: boolean) => void;
  conn: LiveConnState;
  update: LiveUpdate | null;
  summary: LiveSummary | null;
  /** Parameter problems the server reported for the subscription. */
  error: string | null;
}

const Ctx = createContext<LiveValue | null>(null);

export function LiveProvider({ children }: { children: ReactNode }) {
  const { state } = useUrl();
  const [paused, setPaused] = useState(false);
  const [conn, setConn] = useState<LiveConnState>({ kind: 'closed' });
  const [update, setUpdate] = useState<LiveUpdate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const clientRef = useRef<LiveClient | null>(null);
  const active = timeMode(state) === 'live' && !paused;
  const filter = apiParams(state).toString();
  // Updates already in flight when the view changed answer the old question: drop those whose level
  // differs (the server tags each graph with its level).
  const levelRef = useRef(state.level);
  levelRef.current = state.level;

  useEffect(() => {
    if (!active) return;
    const client = createLiveClient({
      url: liveUrl(),
      onState: setConn,
      onMessage: (msg) => {
        if (msg.type === 'update') {
          if (msg.graph.level !== levelRef.current) return;
          setUpdate(msg);
          setError(null);
        } else {
          setError(msg.message);
        }
      },
    });
    clientRef.current = client;
    return () => {
      client.close();
      clientRef.current = null;
    };
  }, [active]);

  useEffect(() => {
    if (active) clientRef.current?.subscribe(filter);
  }, [active, filter]);

  // A new filter means the previous graph no longer answers the question on screen. Pausing keeps it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: clearing is the reaction to a new filter
  useEffect(() => {
    setUpdate(null);
  }, [filter]);

  const value = useMemo<LiveValue>(
    () => ({ active, paused, setPaused, conn, update, summary: update?.summary ?? null, error }),
    [active, paused, conn, update, error],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useLive(): LiveValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useLive outside LiveProvider');
  return v;
}
