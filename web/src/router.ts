// A small History API router: links are plain <a href>, so they work
// with the keyboard, open in new tabs and degrade to full page loads.
import { useEffect, useState } from 'preact/hooks';

type Listener = () => void;
const listeners = new Set<Listener>();

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((l) => l());
  if (!replace) window.scrollTo(0, 0);
}

const serverPaths = /^\/(graphql|graphiql|media|iiif|presentation|metrics|healthz|readyz)(\/|$)/;

export function installLinkInterceptor(): void {
  window.addEventListener('popstate', () => listeners.forEach((l) => l()));
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
    if (serverPaths.test(a.pathname)) return;
    // In-page anchors (#main, #rec-…): the browser scrolls and focuses.
    if (a.hash && a.pathname === location.pathname && a.search === location.search) return;
    e.preventDefault();
    navigate(a.pathname + a.search + a.hash);
  });
}

export interface Route {
  path: string;
  params: URLSearchParams;
}

export function useRoute(): Route {
  const [, tick] = useState(0);
  useEffect(() => {
    const l = () => tick((n) => n + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return { path: location.pathname, params: new URLSearchParams(location.search) };
}

/** Matches "/martyr/:id" style patterns; null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) out[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return out;
}
