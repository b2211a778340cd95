import { useEffect, useState } from 'preact/hooks';
import { gqlStrict } from '../api';
import { formatReason, formatScore, reasonKindLabel, type MatchReason } from '../format';
import { useAsync } from '../hooks';
import { miscLabel, useT } from '../i18n';
import { navigate } from '../router';
import { ErrorBox, Loading } from '../ui';

const Q = `query Search($name: String!, $hometown: String, $birthYear: Int, $unit: String, $died: Int, $cemetery: ID, $first: Int) {
  searchMartyrs(name: $name, hometown: $hometown, birthYear: $birthYear, unit: $unit,
    diedFrom: $died, diedTo: $died, cemeteryId: $cemetery, first: $first) {
    total
    hits {
      score
      reasons { kind detail }
      martyr { id name unnamed sex hometownText unitText born { display year } died { display year } }
    }
  }
}`;

const QP = `query Places($q: String!) { searchPlaces(query: $q, first: 3) { score reasons place { id name current from to parent { name } } current { id name } } }`;

interface PlaceMatch {
  score: number;
  reasons: string[];
  place: { id: string; name: string; current: boolean; from: number | null; to: number | null; parent: { name: string } | null };
  current: { id: string; name: string }[];
}

interface Hit {
  score: number;
  reasons: MatchReason[];
  martyr: {
    id: string;
    name: string | null;
    unnamed: boolean;
    sex: string | null;
    hometownText: string | null;
    unitText: string | null;
    born: { display: string; year: number | null } | null;
    died: { display: string; year: number | null } | null;
  };
}

const fields = ['q', 'hometown', 'birthYear', 'unit', 'died', 'cemetery'] as const;
const QC = `query Cemeteries { cemeteries(first: 100) { edges { node { id name } } } }`;

export function SearchPage({ params }: { params: URLSearchParams }) {
  const { t, lang } = useT();
  const init = Object.fromEntries(fields.map((f) => [f, params.get(f) ?? ''])) as Record<(typeof fields)[number], string>;
  const [form, setForm] = useState(init);
  const [more, setMore] = useState(Boolean(init.hometown || init.birthYear || init.unit || init.died || init.cemetery));
  const key = fields.map((f) => params.get(f) ?? '').join('\u0000');
  // Back and forward change the URL under the page: the form follows it.
  useEffect(() => setForm(init), [key]);
  const name = params.get('q')?.trim() ?? '';

  const res = useAsync(async () => {
    if (!name) return null;
    const by = parseInt(params.get('birthYear') ?? '', 10);
    const dy = parseInt(params.get('died') ?? '', 10);
    const d = await gqlStrict<{ searchMartyrs: { total: number; hits: Hit[] } }>(Q, {
      name,
      hometown: params.get('hometown')?.trim() || null,
      birthYear: Number.isFinite(by) ? by : null,
      unit: params.get('unit')?.trim() || null,
      died: Number.isFinite(dy) ? dy : null,
      cemetery: params.get('cemetery')?.trim() || null,
      first: 30,
    });
    return d.searchMartyrs;
  }, [key]);

  const hometown = params.get('hometown')?.trim() ?? '';
  const places = useAsync(async () => {
    if (!hometown) return null;
    const d = await gqlStrict<{ searchPlaces: PlaceMatch[] }>(QP, { q: hometown });
    return d.searchPlaces;
  }, [hometown]);

  const hits = res.data?.hits ?? [];
  // The cemeteries for the filter, loaded once the filters are open.
  const cemeteries = useAsync(async () => {
    if (!more) return null;
    const d = await gqlStrict<{ cemeteries: { edges: { node: { id: string; name: string } }[] } }>(QC, {});
    return d.cemeteries.edges.map((e) => e.node);
  }, [more]);

  const submit = (e: Event) => {
    e.preventDefault();
    const sp = new URLSearchParams();
    for (const f of fields) if (form[f].trim()) sp.set(f, form[f].trim());
    navigate(`/search?${sp}`);
  };
  const input = (f: (typeof fields)[number], label: string, type = 'text', extra: Record<string, string> = {}) => (
    <label class="field">
      <span>{label}</span>
      <input
        type={type}
        name={f}
        value={form[f]}
        onInput={(e) => setForm({ ...form, [f]: (e.target as HTMLInputElement).value })}
        {...extra}
      />
    </label>
  );

  return (
    <div class="page search-page">
      <h1>{t('searchTitle')}</h1>
      <form class="search-form" role="search" onSubmit={submit}>
        <div class="search-row">
          <label class="field grow">
            <span class="sr-only">{t('name')}</span>
            <input
              type="search"
              name="q"
              value={form.q}
              placeholder={lang === 'zh' ? '姓名：刘德善 / liudeshan / lds' : 'Name: 刘德善 / liudeshan / lds'}
              aria-describedby="search-help"
              onInput={(e) => setForm({ ...form, q: (e.target as HTMLInputElement).value })}
              autoFocus
              required
            />
          </label>
          <button type="submit" class="primary">
            {t('search')}
          </button>
        </div>
        <p id="search-help" class="muted small">
          {t('searchHelp')}
        </p>
        <button type="button" class="link" aria-expanded={more} aria-controls="filters" onClick={() => setMore(!more)}>
          {t('moreFilters')} {more ? '▴' : '▾'}
        </button>
        <div id="filters" class="filters" hidden={!more}>
          {input('hometown', t('hometown'), 'text', { placeholder: lang === 'zh' ? '胶州市 / 胶县' : '胶州市 / 胶县' })}
          {input('birthYear', t('birthYear'), 'number', { min: '1850', max: '2000', inputMode: 'numeric' })}
          {input('unit', t('unit'))}
          {input('died', t('diedYear'), 'number', { min: '1900', max: '2000', inputMode: 'numeric' })}
          <label class="field">
            <span>{t('cemetery')}</span>
            <select name="cemetery" value={form.cemetery} onChange={(e) => setForm({ ...form, cemetery: (e.target as HTMLSelectElement).value })}>
              <option value="">{lang === 'zh' ? '不限' : 'Any'}</option>
              {(cemeteries.data ?? []).map((c) => (
                <option value={c.id}>{c.name}</option>
              ))}
            </select>
          </label>
        </div>
      </form>

      <div aria-live="polite" class="results">
        {name && res.loading && <Loading />}
        {res.error && <ErrorBox error={res.error} />}
        {places.data && places.data.length > 0 && (
          <p class="place-reading small" data-place={places.data[0].place.id}>
            {lang === 'zh' ? `籍贯「${hometown}」理解为：` : `Hometown “${hometown}” read as: `}
            {places.data.map((pm, i) => (
              <span>
                {i > 0 && (lang === 'zh' ? '；或 ' : '; or ')}
                <strong>
                  {pm.place.parent ? `${pm.place.parent.name} ` : ''}
                  {pm.place.name}
                </strong>
                {!pm.place.current && pm.current.length > 0 && ` → ${pm.current.map((c) => c.name).join('、')}`}
                {pm.reasons.length > 0 && <span class="muted">（{pm.reasons.join('，')}）</span>}
              </span>
            ))}
          </p>
        )}
        {res.data && (
          <>
            <p class="muted">
              {hits.length} {t('hits')}
            </p>
            {hits.length === 0 && <p>{t('noHits')}</p>}
            <ol class="hits">
              {hits.map((h) => {
                const sc = formatScore(h.score, lang);
                const nm = h.martyr.name ?? t('unnamed');
                return (
                  <li class="hit" data-id={h.martyr.id}>
                    <div class="hit-head">
                      <a class="hit-name" href={`/martyr/${encodeURIComponent(h.martyr.id)}`}>
                        {nm}
                      </a>
                      <span class="muted small">{h.martyr.id}</span>
                      <span
                        role="img"
                        class={`score score-${sc.level}`}
                        title={`${t('score')} ${h.score.toFixed(3)}`}
                        aria-label={`${t('score')} ${sc.percent}，${sc.word}`}
                      >
                        <span class="bar" style={{ width: sc.percent }} aria-hidden="true" />
                        <span class="pct">{sc.percent}</span>
                      </span>
                    </div>
                    <p class="hit-meta">
                      {[
                        h.martyr.hometownText,
                        h.martyr.unitText,
                        h.martyr.born && `${t('born')} ${h.martyr.born.display}`,
                        h.martyr.died && `${t('died')} ${h.martyr.died.display}`,
                        miscLabel(h.martyr.sex, lang),
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </p>
                    {h.reasons.length > 0 && (
                      <ul class="reasons" aria-label={t('reasons')}>
                        {h.reasons.map((r) => (
                          <li class={`reason reason-${r.kind}`} title={formatReason(r, lang)}>
                            <span class="reason-kind">{reasonKindLabel(r.kind, lang)}</span>
                            <span class="reason-detail">{r.detail}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                );
              })}
            </ol>
          </>
        )}
      </div>
    </div>
  );
}
