import { useCallback, useEffect, useReducer, useRef } from 'react';
import { parseServerMessage } from '@proclens/shared';
import type { ClientMessage } from '@proclens/shared';
import { useApiBase } from './api-base.ts';
import { initialStreamState, reduceStream } from './snapshot-reducer.ts';
import type { StreamState } from './snapshot-reducer.ts';

const RETRY_MS = [250, 500, 1000, 2000, 3000];

export interface Stream extends StreamState {
  /** Sends a message to the server if connected (dropped otherwise: the server's state is what counts). */
  send: (message: ClientMessage) => void;
}

/** Owns the WebSocket: connects, validates every frame, reconnects after the server restarts. */
export function useSnapshotStream(): Stream {
  const [state, dispatch] = useReducer(reduceStream, initialStreamState);
  const socketRef = useRef<WebSocket | null>(null);
  // `/ws`, or `/ws?host=NAME` at a hub.
  const wsPath = useApiBase().ws;

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = (): void => {
      const url = new URL(wsPath, window.location.href);
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
        if (parsed.ok) dispatch({ kind: 'message', message: parsed.value, at: Date.now(), receivedAt: performance.now() });
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
  }, [wsPath]);

  useEffect(() => {
    const socket = socketRef.current;
    if (state.needsResync && socket?.readyState === WebSocket.OPEN) {
      const message: ClientMessage = { type: 'resync' };
      socket.send(JSON.stringify(message));
    }
  }, [state.needsResync]);

  const send = useCallback((message: ClientMessage) => {
    const socket = socketRef.current;
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }, []);
  return { ...state, send };
}
