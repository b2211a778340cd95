// Pure helpers shared by the pages: no DOM, no fetch, so vitest covers them.

export type Lang = 'zh' | 'en';

export interface MatchReason {
  kind: string;
  detail: string;
}

const reasonKinds: Record<string, [string, string]> = {
  exact: ['完全相符', 'exact'],
  variant: ['异体字', 'variant form'],
  traditional: ['繁简', 'traditional form'],
  homophone: ['同音', 'homophone'],
  dialect: ['方音', 'dialect'],
  shape: ['形近', 'look-alike'],
  wildcard: ['缺字', 'unknown character'],
  missing: ['少字', 'missing character'],
  extra: ['多字', 'extra character'],
  pinyin: ['拼音', 'pinyin'],
  initials: ['首字母', 'initials'],
  alias: ['别名', 'alias'],
  hometown: ['籍贯', 'hometown'],
  birth_year: ['生年', 'birth year'],
  unit: ['部队', 'unit'],
  memories: ['回忆', 'memories'],
  other: ['不同', 'differs'],
};

/** The label of a reason kind; unknown kinds are shown as they come. */
export function reasonKindLabel(kind: string, lang: Lang): string {
  const k = reasonKinds[kind];
  if (!k) return kind;
  return lang === 'zh' ? k[0] : k[1];
}

/**
 * One line per reason, "label：detail". The detail is the API's own
 * explanation (得/德 同音, 胶县→胶州市 (1987)), shown verbatim because it
 * names the characters involved.
 */
export function formatReason(r: MatchReason, lang: Lang): string {
  const label = reasonKindLabel(r.kind, lang);
  return lang === 'zh' ? `${label}：${r.detail}` : `${label}: ${r.detail}`;
}

/** How strong a match is, as a percentage and a word. */
export function formatScore(score: number, lang: Lang): { percent: string; word: string; level: 'high' | 'mid' | 'low' } {
  const s = Math.max(0, Math.min(1, Number.isFinite(score) ? score : 0));
  const percent = `${Math.round(s * 100)}%`;
  const level = s >= 0.85 ? 'high' : s >= 0.6 ? 'mid' : 'low';
  const words = { high: ['高度吻合', 'strong'], mid: ['部分吻合', 'partial'], low: ['弱', 'weak'] } as const;
  return { percent, word: words[level][lang === 'zh' ? 0 : 1], level };
}

/** GEDCOM QUAY confidence 0-3 as words. */
export function confidenceLabel(c: number, lang: Lang): string {
  const zh = ['不可靠', '存疑', '间接证据', '直接原始证据'];
  const en = ['unreliable', 'questionable', 'secondary evidence', 'direct primary evidence'];
  const i = Math.max(0, Math.min(3, Math.trunc(c)));
  return (lang === 'zh' ? zh : en)[i];
}

export interface Segment {
  text: string;
  mark: boolean;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#34': '"' };

function unescapeHTML(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e in entities) return entities[e];
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
    }
    return m;
  });
}

/**
 * Splits a fragment's `marked` form (HTML-escaped text with <mark>…</mark>)
 * into plain text segments. The page renders them as text nodes, so even
 * a server that failed to escape could not inject markup; any tag other
 * than mark is kept as literal text.
 */
export function parseMarked(marked: string): Segment[] {
  const out: Segment[] = [];
  let mark = false;
  const re = /<(\/?)mark>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const push = (raw: string) => {
    if (!raw) return;
    const text = unescapeHTML(raw);
    const prev = out[out.length - 1];
    if (prev && prev.mark === mark) prev.text += text;
    else out.push({ text, mark });
  };
  while ((m = re.exec(marked)) !== null) {
    push(marked.slice(last, m.index));
    mark = m[1] !== '/';
    last = re.lastIndex;
  }
  push(marked.slice(last));
  return out;
}

/**
 * Segments from the plain text and rune (code point) offsets, for when
 * `marked` is absent. Out-of-range or overlapping spans are clipped.
 */
export function segmentsFromSpans(text: string, spans: { start: number; end: number }[]): Segment[] {
  const runes = Array.from(text);
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let pos = 0;
  for (const s of sorted) {
    const start = Math.max(pos, Math.min(runes.length, s.start));
    const end = Math.max(start, Math.min(runes.length, s.end));
    if (start > pos) out.push({ text: runes.slice(pos, start).join(''), mark: false });
    if (end > start) out.push({ text: runes.slice(start, end).join(''), mark: true });
    pos = end;
  }
  if (pos < runes.length) out.push({ text: runes.slice(pos).join(''), mark: false });
  return out;
}

export interface CitationInput {
  id: string;
  title: string;
  author?: string | null;
  date?: string | null;
  url: string;
  accessed: Date;
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * A citation of a story for a journalist to paste: Chinese in the GB/T
 * 7714 manner for electronic resources ([EB/OL]), English in a plain
 * author-title-site-date-URL form; both carry the story id, which is
 * stable across exports.
 */
export function citationText(c: CitationInput, lang: Lang): string {
  const author = c.author?.trim();
  const date = c.date?.trim();
  if (lang === 'zh') {
    const who = author ? `${author}. ` : '';
    const when = date ? `（${date}）` : '';
    return `${who}${c.title}[EB/OL]${when}. 归根 Guigen, 编号 ${c.id}. ${c.url}（${isoDay(c.accessed)} 访问）.`;
  }
  const who = author ? `${author}. ` : '';
  const when = date ? ` (${date})` : '';
  return `${who}"${c.title}"${when}. Guigen, id ${c.id}. ${c.url} (accessed ${isoDay(c.accessed)}).`;
}

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [k: string]: unknown };
}

/** The paths (joined with '.') where the API refused a field for want of rights. */
export function restrictedPaths(errors: GqlError[] | undefined): Set<string> {
  const s = new Set<string>();
  for (const e of errors ?? []) {
    const code = e.extensions?.code;
    if ((code === 'FORBIDDEN' || code === 'UNAUTHENTICATED') && e.path) s.add(e.path.join('.'));
  }
  return s;
}

/**
 * The srcset of a portrait's derivatives (narrowest first) and a default
 * src: the narrowest at least `want` pixels wide, else the widest.
 */
export function srcset(images: { width: number; url: string }[], want = 320): { src: string; srcset: string } {
  if (images.length === 0) return { src: '', srcset: '' };
  const sorted = [...images].sort((a, b) => a.width - b.width);
  const pick = sorted.find((i) => i.width >= want) ?? sorted[sorted.length - 1];
  return { src: pick.url, srcset: sorted.map((i) => `${i.url} ${i.width}w`).join(', ') };
}

/** Site-relative form of an absolute URL the API built from its own host, so the page works behind a proxy too. */
export function sameOrigin(url: string | null | undefined): string {
  if (!url) return '';
  const m = /^https?:\/\/[^/]+(\/.*)$/.exec(url);
  return m ? m[1] : url;
}

/** Groups items by a key in the given key order; keys without items are kept (empty). */
export function groupBy<T, K extends string>(items: T[], key: (t: T) => K, order: readonly K[]): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const k of order) m.set(k, []);
  for (const it of items) {
    const k = key(it);
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(it);
  }
  return m;
}
