import { useEffect, useState } from 'preact/hooks';
import { gqlStrict } from '../api';
import { citationText, confidenceLabel, parseMarked, segmentsFromSpans, type Segment } from '../format';
import { useAsync } from '../hooks';
import { useT } from '../i18n';
import { navigate } from '../router';
import { ErrorBox, Loading } from '../ui';

const QS = `query Stories($q: String!, $year: Int, $place: ID, $unit: ID, $after: String) {
  searchStories(query: $q, first: 20, year: $year, place: $place, unit: $unit, after: $after) {
    total
    pageInfo { hasNextPage endCursor }
    facets { years { value count } places { value count } units { value count } }
    hits { score story { id title author date { display } } fragments { field text marked highlights { start end } } }
  }
}`;
const QALL = `{ stories(first: 100) { totalCount edges { node { id title author date { display } martyrs { id name } } } } }`;
const QNAMES = `query Names($ids: [ID!]!) { nodes(ids: $ids) { id ... on Place { name } ... on Unit { name } } }`;
const QONE = `query Story($id: ID!) { story(id: $id) {
  id title body author date { display }
  martyrs { id name } places { id name } units { id name }
  sources { locator quote confidence record { id kind title institution volume page date { display } } }
} }`;

interface Facet {
  value: string;
  count: number;
}
interface Hit {
  score: number;
  story: { id: string; title: string; author: string | null; date: { display: string } | null };
  fragments: { field: string; text: string; marked: string; highlights: { start: number; end: number }[] }[];
}

function Marked({ segs }: { segs: Segment[] }) {
  // Text nodes only: the API's escaped form is parsed, never inserted as HTML.
  return <>{segs.map((s) => (s.mark ? <mark>{s.text}</mark> : s.text))}</>;
}

export function StoriesPage({ params }: { params: URLSearchParams }) {
  const { t, lang } = useT();
  const q = params.get('q')?.trim() ?? '';
  const year = params.get('year');
  const place = params.get('place');
  const unit = params.get('unit');
  const [value, setValue] = useState(q);
  const key = [q, year, place, unit].join('\u0000');
  useEffect(() => setValue(q), [q]);

  const res = useAsync(async () => {
    if (!q) return null;
    const d = await gqlStrict<{ searchStories: { total: number; hits: Hit[]; facets: { years: Facet[]; places: Facet[]; units: Facet[] } } }>(QS, {
      q,
      year: year ? parseInt(year, 10) : null,
      place,
      unit,
    });
    const ids = [...d.searchStories.facets.places, ...d.searchStories.facets.units].map((f) => f.value).slice(0, 100);
    const names = new Map<string, string>();
    if (ids.length) {
      const n = await gqlStrict<{ nodes: ({ id: string; name?: string } | null)[] }>(QNAMES, { ids });
      for (const x of n.nodes) if (x?.name) names.set(x.id, x.name);
    }
    return { ...d.searchStories, names };
  }, [key]);
  const all = useAsync(async () => (q ? null : (await gqlStrict<{ stories: { edges: { node: Hit['story'] & { martyrs: { id: string; name: string | null }[] } }[] } }>(QALL)).stories.edges.map((e) => e.node)), [q]);

  const link = (over: Record<string, string | null>) => {
    const sp = new URLSearchParams();
    const ps: Record<string, string | null> = { q, year, place, unit, ...over };
    for (const [k, v] of Object.entries(ps)) if (v) sp.set(k, v);
    return `/stories?${sp}`;
  };
  const facet = (label: string, key: 'year' | 'place' | 'unit', fs: Facet[], names?: Map<string, string>) =>
    fs.length > 0 && (
      <div class="facet">
        <h3>{label}</h3>
        <ul>
          {fs.map((f) => {
            const on = params.get(key) === f.value;
            return (
              <li>
                <a href={link({ [key]: on ? null : f.value })} aria-current={on ? 'true' : undefined}>
                  {names?.get(f.value) ?? f.value} <span class="muted">({f.count})</span>
                </a>
              </li>
            );
          })}
        </ul>
      </div>
    );

  return (
    <div class="page stories-page">
      <h1>{t('storiesTitle')}</h1>
      <form
        role="search"
        class="search-row"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(value.trim() ? `/stories?q=${encodeURIComponent(value.trim())}` : '/stories');
        }}
      >
        <label class="field grow">
          <span class="sr-only">{t('storiesTitle')}</span>
          <input type="search" name="q" value={value} placeholder={lang === 'zh' ? '胶县、张玉山、证明书…' : '胶县, 张玉山 …'} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="primary">
          {t('search')}
        </button>
      </form>
      <p class="muted small">{t('storiesHelp')}</p>
      {res.loading && q && <Loading />}
      {res.error && <ErrorBox error={res.error} />}
      {res.data && (
        <div class="with-facets">
          <aside aria-label={lang === 'zh' ? '筛选' : 'Facets'}>
            {facet(t('years'), 'year', res.data.facets.years)}
            {facet(t('places'), 'place', res.data.facets.places, res.data.names)}
            {facet(t('units'), 'unit', res.data.facets.units, res.data.names)}
            {(year || place || unit) && <a href={link({ year: null, place: null, unit: null })}>{t('clear')}</a>}
          </aside>
          <div>
            <p class="muted" aria-live="polite">
              {res.data.total} {t('hits')}
            </p>
            <ol class="story-hits">
              {res.data.hits.map((h) => (
                <li class="story-hit">
                  <h2>
                    <a href={`/stories/${encodeURIComponent(h.story.id)}`}>{h.story.title}</a>
                  </h2>
                  <p class="muted small">
                    {[h.story.author, h.story.date?.display, `${t('score')} ${h.score.toFixed(2)}`].filter(Boolean).join(' · ')}
                  </p>
                  {h.fragments.map((f) => (
                    <p class="fragment">
                      <Marked segs={f.marked ? parseMarked(f.marked) : segmentsFromSpans(f.text, f.highlights)} />
                    </p>
                  ))}
                </li>
              ))}
            </ol>
          </div>
        </div>
      )}
      {!q && all.data && (
        <section aria-labelledby="all-stories">
          <h2 id="all-stories">{t('allStories')}</h2>
          <ul class="story-list">
            {all.data.map((s) => (
              <li>
                <a href={`/stories/${encodeURIComponent(s.id)}`}>{s.title}</a>{' '}
                <span class="muted small">
                  {[s.author, s.date?.display, s.martyrs.map((m) => m.name).filter(Boolean).join('、')].filter(Boolean).join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

interface Story {
  id: string;
  title: string;
  body: string;
  author: string | null;
  date: { display: string } | null;
  martyrs: { id: string; name: string | null }[];
  places: { id: string; name: string }[];
  units: { id: string; name: string }[];
  sources: { locator: string | null; quote: string | null; confidence: number; record: { id: string; kind: string; title: string; institution: string | null; volume: string | null; page: string | null; date: { display: string } | null } | null }[];
}

export function StoryPage({ id }: { id: string }) {
  const { t, lang } = useT();
  const res = useAsync(() => gqlStrict<{ story: Story | null }>(QONE, { id }).then((d) => d.story), [id]);
  const [copied, setCopied] = useState(false);
  if (res.loading && !res.data) return <Loading />;
  if (res.error) return <ErrorBox error={res.error} />;
  const s = res.data;
  if (!s) return <p role="alert">{t('notFound')}</p>;
  const cite = citationText(
    { id: s.id, title: s.title, author: s.author, date: s.date?.display, url: `${location.origin}/stories/${encodeURIComponent(s.id)}`, accessed: new Date() },
    lang,
  );
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(cite);
    } catch {
      // Older browsers and non-secure origins: select the text for Ctrl+C.
      const el = document.getElementById('citation');
      if (el) getSelection()?.selectAllChildren(el);
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <article class="page story-page">
      <p>
        <a href="/stories">← {t('navStories')}</a>
      </p>
      <h1>{s.title}</h1>
      <p class="muted">{[s.author, s.date?.display].filter(Boolean).join(' · ')}</p>
      <div class="story-body">
        {s.body.split(/\n{1,}/).map((para) => (para.trim() ? <p>{para}</p> : null))}
      </div>
      {(s.martyrs.length > 0 || s.places.length > 0 || s.units.length > 0) && (
        <p class="small">
          {s.martyrs.map((m) => (
            <a class="chip" href={`/martyr/${encodeURIComponent(m.id)}`}>
              {m.name ?? m.id}
            </a>
          ))}
          {s.places.map((p) => (
            <span class="chip">{p.name}</span>
          ))}
          {s.units.map((u) => (
            <span class="chip">{u.name}</span>
          ))}
        </p>
      )}
      <section class="card" aria-labelledby="sources">
        <h2 id="sources">{t('sources')}</h2>
        {s.sources.length === 0 && <p class="muted">—</p>}
        <ol class="citations">
          {s.sources.map((c) => (
            <li id={c.record ? `src-${c.record.id}` : undefined}>
              {c.record ? (
                <>
                  <cite>{c.record.title}</cite>
                  {[c.record.institution, c.record.volume, c.record.page, c.record.date?.display].filter(Boolean).map((x) => `，${x}`)}
                  {c.locator && `，${c.locator}`}
                  <span class="muted small"> [{c.record.id}]</span>
                </>
              ) : (
                '—'
              )}
              {c.quote && (
                <>
                  {' '}
                  <q>{c.quote}</q>
                </>
              )}{' '}
              <span class={`conf conf-${c.confidence}`}>{confidenceLabel(c.confidence, lang)}</span>
            </li>
          ))}
        </ol>
      </section>
      <section class="card" aria-labelledby="cite-h">
        <h2 id="cite-h">{lang === 'zh' ? '引用本文' : 'Cite this story'}</h2>
        <p id="citation" class="citation-text">
          {cite}
        </p>
        <button type="button" class="primary" onClick={copy}>
          {copied ? `✓ ${t('copied')}` : t('copyCitation')}
        </button>
        <span class="sr-only" aria-live="polite">
          {copied ? t('copied') : ''}
        </span>
      </section>
    </article>
  );
}
