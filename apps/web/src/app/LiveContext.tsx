import { type LiveSummary, type LiveUpdate, timeMode } from '@weft/protocol';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { createLiveClient, type LiveClient, type LiveConnState, liveUrl } from '../api/liveClient.js';
import { apiParams } from '../domain/focus.js';
import { followsNow } from '../domain/selectionRange.js';
import { useUrl } from './UrlContext.js';

/**
 * Live mode state for the whole app: one WebSocket to /api/v1/live while the URL names no time (no
 * from, to or at) and the user has not paused; the latest update is what the map draws and the header
 * summarises. Pausing is the client's own: it holds the last answer, the URL stays live.
 */
export interface LiveValue {
  /** The URL is live and the user has not paused. */
  active: boolean;
  paused: boolean;
  /** When the user paused (ms), for the label; null while not paused. */
  pausedAt: number | null;
  setPaused: (p: boolean) => void;
  /** REST answers move with now and refresh: live and not paused, or a range whose end is relative. */
  follows: boolean;
  conn: LiveConnState;
  update: LiveUpdate | null;
  summary: LiveSummary | null;
  /** Parameter problems the server reported for the subscription. */
  error: string | null;
}

const Ctx = createContext<LiveValue | null>(null);

/** `initialPaused`: start paused (tests render live views without opening a WebSocket). */
export function LiveProvider({
  children,
  initialPaused = false,
}: {
  children: ReactNode;
  initialPaused?: boolean;
}) {
  const { state } = useUrl();
  const [pausedAt, setPausedAt] = useState<number | null>(() => (initialPaused ? Date.now() : null));
  const paused = pausedAt !== null;
  const setPaused = useCallback((p: boolean) => setPausedAt(p ? Date.now() : null), []);
  const [conn, setConn] = useState<LiveConnState>({ kind: 'closed' });
  const [update, setUpdate] = useState<LiveUpdate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const clientRef = useRef<LiveClient | null>(null);
  const mode = timeMode(state);
  const active = mode === 'live' && !paused;
  const follows = mode === 'live' ? !paused : followsNow(state);
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

  // Leaving live ends a pause: "back to live" later means live, not the answer held an hour ago.
  useEffect(() => {
    if (mode !== 'live') setPausedAt(null);
  }, [mode]);

  // A new filter means the previous graph no longer answers the question on screen. Pausing keeps it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: clearing is the reaction to a new filter
  useEffect(() => {
    setUpdate(null);
  }, [filter]);

  const value = useMemo<LiveValue>(
    () => ({
      active,
      paused,
      pausedAt,
      setPaused,
      follows,
      conn,
      update,
      summary: update?.summary ?? null,
      error,
    }),
    [active, paused, pausedAt, setPaused, follows, conn, update, error],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useLive(): LiveValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useLive outside LiveProvider');
  return v;
}
