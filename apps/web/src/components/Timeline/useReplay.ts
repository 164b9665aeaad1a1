import { useCallback, useEffect, useRef, useState } from 'react';
import { useUrlStore } from '../../app/UrlContext.js';
import { isoSecond } from '../../domain/isoSecond.js';
import {
  REPLAY_FRAME_MS,
  type ReplaySpeed,
  replayEnd,
  replayPatch,
  replayStep,
} from '../../domain/replay.js';

/**
 * Plays the moment forward: one URL `at` per frame, written with replaceState (the replay's start is
 * the one history entry, so Back leaves it). Anything else moving `at` (a click, Back to live, the
 * browser's Back) stops it.
 */
export interface Replay {
  playing: boolean;
  speed: ReplaySpeed;
  setSpeed: (s: ReplaySpeed) => void;
  play: () => void;
  stop: () => void;
}

export function useReplay(rateWindowMs: number): Replay {
  const store = useUrlStore();
  const [speed, setSpeed] = useState<ReplaySpeed>(60);
  const [playing, setPlaying] = useState(false);
  /** The `at` the replay wrote last: any other value means someone else moved the moment. */
  const written = useRef('');

  const play = useCallback(() => {
    const patch = replayPatch(store.get().state, Date.now(), rateWindowMs);
    written.current = patch.at ?? '';
    store.navigate(patch);
    setPlaying(true);
  }, [store, rateWindowMs]);
  const stop = useCallback(() => setPlaying(false), []);

  useEffect(() => {
    if (!playing) return;
    const unsubscribe = store.subscribe(() => {
      if (store.get().state.at !== written.current) setPlaying(false);
    });
    let last = performance.now();
    const timer = setInterval(() => {
      const state = store.get().state;
      const current = Date.parse(state.at);
      if (state.at !== written.current || !Number.isFinite(current)) {
        setPlaying(false);
        return;
      }
      const t = performance.now();
      const { at, done } = replayStep(current, speed, t - last, replayEnd(state, Date.now()));
      last = t;
      written.current = isoSecond(at);
      store.navigate({ at: written.current }, { replace: true });
      if (done) setPlaying(false);
    }, REPLAY_FRAME_MS);
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }, [playing, speed, store]);

  return { playing, speed, setSpeed, play, stop };
}
