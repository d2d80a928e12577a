import { useEffect, useReducer, useRef } from 'react';
import { parseServerMessage } from '@proclens/shared';
import type { ClientMessage } from '@proclens/shared';
import { initialStreamState, reduceStream } from './snapshot-reducer.ts';
import type { StreamState } from './snapshot-reducer.ts';

const RETRY_MS = [250, 500, 1000, 2000, 3000];

/** Owns the WebSocket: connects, validates every frame, reconnects after the server restarts. */
export function useSnapshotStream(): StreamState {
  const [state, dispatch] = useReducer(reduceStream, initialStreamState);
  const socketRef = useRef<WebSocket | null>(null);

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = (): void => {
      const url = new URL('/ws', window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      const socket = new WebSocket(url);
      socketRef.current = socket;
      socket.onopen = () => {
        attempt = 0;
        dispatch({ kind: 'open' });
      };
      socket.onmessage = (event: MessageEvent<unknown>) => {
        if (typeof event.data !== 'string') return;
        const parsed = parseServerMessage(event.data);
        if (parsed.ok) dispatch({ kind: 'message', message: parsed.value, at: Date.now() });
        else console.warn('proclens: dropped an invalid server message:', parsed.error);
      };
      socket.onclose = () => {
        if (stopped) return;
        dispatch({ kind: 'closed' });
        timer = setTimeout(connect, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socketRef.current?.close();
    };
  }, []);

  useEffect(() => {
    const socket = socketRef.current;
    if (state.needsResync && socket?.readyState === WebSocket.OPEN) {
      const message: ClientMessage = { type: 'resync' };
      socket.send(JSON.stringify(message));
    }
  }, [state.needsResync]);

  return state;
}
