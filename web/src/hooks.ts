import { useEffect, useState } from 'preact/hooks';

export interface Async<T> {
  loading: boolean;
  error: Error | null;
  data: T | null;
  reload: () => void;
}

/** Runs an async load when deps change; stale answers are dropped. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ loading: boolean; error: Error | null; data: T | null }>({ loading: true, error: null, data: null });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => live && setState({ loading: false, error: null, data }),
      (error: Error) => live && setState({ loading: false, error, data: null }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}
