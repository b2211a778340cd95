import { gql, getToken } from '../api';
import { confidenceLabel, restrictedPaths, sameOrigin, srcset } from '../format';
import { useAsync } from '../hooks';
import { leadStateLabel, miscLabel, recordKindLabel, relationLabel, useT } from '../i18n';
import { ErrorBox, Loading, Restricted, Section } from '../ui';

const Q = `query Martyr($id: ID!) {
  martyr(id: $id) {
    id registryNo name unnamed sex position deathPlace burialText approvedBy certificateNo notes
    aliases { name kind source }
    born { display } enlisted { display } died { display }
    hometownText unitText
    hometown {
      id name current from to
      otherNames { name kind from to }
      lineage { ancestors { id name current lineage { successors { year place { id name current } } } } predecessors { year kind place { id name } } successors { year kind place { id name } } }
    }
    unit { id name succeededBy { year unit { name } } }
    cemetery { id name address }
    grave { text }
    events { id name start { display } }
    facts {
      field conflicting
      assertions { id value note citations { locator quote confidence record { id title kind institution } } }
    }
    portraits(first: 20) { edges { node { id captionZh captionEn reconstruction placeholder images { width height url } } } }
    hometownComrades: comrades(kind: HOMETOWN, first: 8) { totalCount edges { node { id name } } }
    unitComrades: comrades(kind: UNIT, first: 8) { totalCount edges { node { id name } } }
    cemeteryComrades: comrades(kind: CEMETERY, first: 8) { totalCount edges { node { id name } } }
    records(first: 50) { totalCount edges { node { id kind title institution volume page date { display } transcription } citations { locator quote confidence } } }
    relatives {
      relation line status note
      citations { recordId confidence }
      person { id name living hometownText personal { phone address idNumber dnaResults { outcome lab date { display } } } }
    }
  }
}`;

const QS = `{ stories(first: 100) { edges { node { id title date { display } martyrs { id } } } } }`;
const QL = `query Leads($id: ID!) { leads(filter: { martyrId: $id }, first: 50) { edges { node { id state summary updatedAt } } } }`;

interface Place {
  id: string;
  name: string;
}
interface Martyr {
  id: string;
  registryNo: string | null;
  name: string | null;
  unnamed: boolean;
  sex: string | null;
  position: string | null;
  deathPlace: string | null;
  burialText: string | null;
  approvedBy: string | null;
  certificateNo: string | null;
  notes: string | null;
  aliases: { name: string; kind: string; source: string | null }[];
  born: { display: string } | null;
  enlisted: { display: string } | null;
  died: { display: string } | null;
  hometownText: string | null;
  unitText: string | null;
  hometown: {
    id: string;
    name: string;
    current: boolean;
    from: number | null;
    to: number | null;
    otherNames: { name: string; kind: string | null; from: number | null; to: number | null }[];
    lineage: {
      ancestors: (Place & { current: boolean; lineage: { successors: { year: number | null; place: Place & { current: boolean } }[] } })[];
      predecessors: { year: number | null; kind: string; place: Place }[];
      successors: { year: number | null; kind: string; place: Place }[];
    };
  } | null;
  unit: { id: string; name: string; succeededBy: { year: number | null; unit: { name: string } }[] } | null;
  cemetery: { id: string; name: string; address: string | null } | null;
  grave: { text: string | null } | null;
  events: { id: string; name: string; start: { display: string } | null }[];
  facts: {
    field: string;
    conflicting: boolean;
    assertions: {
      id: string;
      value: string;
      note: string | null;
      citations: { locator: string | null; quote: string | null; confidence: number; record: { id: string; title: string; kind: string; institution: string | null } | null }[];
    }[];
  }[];
  portraits: { edges: { node: { id: string; captionZh: string | null; captionEn: string | null; reconstruction: boolean; placeholder: string | null; images: { width: number; height: number; url: string }[] } }[] };
  hometownComrades: { totalCount: number; edges: { node: { id: string; name: string | null } }[] };
  unitComrades: { totalCount: number; edges: { node: { id: string; name: string | null } }[] };
  cemeteryComrades: { totalCount: number; edges: { node: { id: string; name: string | null } }[] };
  records: {
    totalCount: number;
    edges: {
      node: { id: string; kind: string; title: string; institution: string | null; volume: string | null; page: string | null; date: { display: string } | null; transcription: string | null };
      citations: { locator: string | null; quote: string | null; confidence: number }[];
    }[];
  };
  relatives: {
    relation: string;
    line: string | null;
    status: string;
    note: string | null;
    citations: { recordId: string; confidence: number }[];
    person: {
      id: string;
      name: string;
      living: boolean;
      hometownText: string | null;
      personal: { phone: string | null; address: string | null; idNumber: string | null; dnaResults: { outcome: string; lab: string | null; date: { display: string } | null }[] } | null;
    };
  }[];
}

export function MartyrPage({ id }: { id: string }) {
  const { t, lang } = useT();
  const res = useAsync(async () => {
    const r = await gql<{ martyr: Martyr | null }>(Q, { id });
    return { martyr: r.data?.martyr ?? null, restricted: restrictedPaths(r.errors) };
  }, [id]);
  const stories = useAsync(async () => {
    const r = await gql<{ stories: { edges: { node: { id: string; title: string; date: { display: string } | null; martyrs: { id: string }[] } }[] } }>(QS);
    return (r.data?.stories.edges ?? []).map((e) => e.node).filter((s) => s.martyrs.some((m) => m.id === id));
  }, [id]);
  const signedIn = Boolean(getToken());
  const leads = useAsync(async () => {
    if (!signedIn) return null;
    const r = await gql<{ leads: { edges: { node: { id: string; state: string; summary: string | null; updatedAt: string } }[] } }>(QL, { id });
    return r.data?.leads.edges.map((e) => e.node) ?? null;
  }, [id, signedIn]);

  if (res.loading && !res.data) return <Loading />;
  if (res.error) return <ErrorBox error={res.error} />;
  const m = res.data?.martyr;
  if (!m) return <p role="alert">{t('notFound')}</p>;
  const restricted = res.data!.restricted;

  const row = (label: string, v: string | null | undefined) =>
    v ? (
      <>
        <dt>{label}</dt>
        <dd>{v}</dd>
      </>
    ) : null;

  const caption = (p: { captionZh: string | null; captionEn: string | null }) => (lang === 'zh' ? p.captionZh ?? p.captionEn : p.captionEn ?? p.captionZh) ?? m.name ?? '';

  return (
    <article class="page martyr-page">
      <header class="martyr-head">
        <h1>
          {m.name ?? t('unnamed')}
          {m.unnamed && <span class="tag">{t('unnamed')}</span>}
        </h1>
        <p class="muted">
          {m.id}
          {m.registryNo && ` · ${t('registryNo')} ${m.registryNo}`}
        </p>
      </header>

      <div class="grid-2">
        <Section title={lang === 'zh' ? '基本情况' : 'Record'} id="sec-record">
          <dl class="facts-dl">
            {row(t('aliases'), m.aliases.map((a) => `${a.name}（${a.source ?? a.kind}）`).join('；'))}
            {row(lang === 'zh' ? '性别' : 'Sex', miscLabel(m.sex, lang))}
            {row(t('born'), m.born?.display)}
            {row(t('enlisted'), m.enlisted?.display)}
            {row(t('died'), m.died?.display)}
            {row(t('hometown'), m.hometownText)}
            {row(t('unit'), m.unitText ?? m.unit?.name)}
            {row(t('position'), m.position)}
            {row(t('deathPlace'), m.deathPlace)}
            {row(lang === 'zh' ? '战役' : 'Battles', m.events.map((e) => e.name).join('、'))}
            {row(t('burial'), m.burialText)}
            {row(t('cemetery'), m.cemetery?.name)}
            {row(t('grave'), m.grave?.text)}
            {row(t('approvedBy'), m.approvedBy)}
            {row(t('certificateNo'), m.certificateNo)}
            {row(lang === 'zh' ? '备注' : 'Notes', m.notes)}
          </dl>
        </Section>

        <Section title={t('lineage')} id="sec-lineage">
          {m.hometown ? (
            <div class="lineage">
              <p>
                {t('resolvedTo')}：
                <strong>
                  {[...m.hometown.lineage.ancestors].reverse().map((a) => a.name).join(' › ')}
                  {m.hometown.lineage.ancestors.length > 0 && ' › '}
                  {m.hometown.name}
                </strong>
                {!m.hometown.current && <span class="tag">{lang === 'zh' ? '旧地名' : 'former'}</span>}
                {(m.hometown.from || m.hometown.to) && (
                  <span class="muted small">
                    {' '}
                    （{m.hometown.from ?? '?'}–{m.hometown.to ?? (lang === 'zh' ? '今' : 'now')}）
                  </span>
                )}
              </p>
              {m.hometown.lineage.predecessors.length > 0 && (
                <p>
                  {t('formerly')}：
                  {m.hometown.lineage.predecessors.map((l) => `${l.place.name}${l.year ? `（${l.year}）` : ''}`).join(' ← ')}
                </p>
              )}
              {m.hometown.lineage.ancestors
                .filter((a) => !a.current && a.lineage.successors.length > 0)
                .map((a) => (
                  <p class="renamed">
                    {a.name} → {a.lineage.successors.filter((s) => s.place.current).map((s) => `${s.place.name}${s.year ? `（${s.year}）` : ''}`).join('、') ||
                      a.lineage.successors.map((s) => s.place.name).join(' → ')}
                  </p>
                ))}
              {m.hometown.lineage.successors.length > 0 && (
                <p>
                  {t('laterBecame')}：{m.hometown.lineage.successors.map((l) => `${l.place.name}${l.year ? `（${l.year}）` : ''}`).join(' → ')}
                </p>
              )}
              {m.hometown.otherNames.length > 0 && (
                <p class="small">
                  {lang === 'zh' ? '其他名称' : 'Other names'}：
                  {m.hometown.otherNames.map((n) => `${n.name}${n.from || n.to ? `（${n.from ?? '?'}–${n.to ?? ''}）` : ''}`).join('、')}
                </p>
              )}
              <ul class="lineage-chain" aria-hidden="true">
                {m.hometown.lineage.ancestors
                  .slice()
                  .reverse()
                  .map((a) => (
                    <li>{a.name}</li>
                  ))}
                <li class="here">{m.hometown.name}</li>
              </ul>
            </div>
          ) : (
            <p class="muted">{m.hometownText ?? t('unknown')}</p>
          )}
        </Section>
      </div>

      <Section title={t('facts')} id="sec-facts">
        {m.facts.length === 0 && <p class="muted">—</p>}
        {m.facts.map((f) => (
          <div class={`fact${f.conflicting ? ' conflicting' : ''}`}>
            <h3>
              {miscLabel(f.field, lang)}
              {f.conflicting && <span class="tag warn">⚠ {t('conflicting')}</span>}
            </h3>
            <div class="assertions">
              {f.assertions.map((a) => (
                <div class="assertion">
                  <p class="value">{a.value}</p>
                  {a.note && <p class="small">{a.note}</p>}
                  <ul class="citations">
                    {a.citations.map((c) => (
                      <li>
                        <span class={`conf conf-${c.confidence}`} title={`${t('confidence')} ${c.confidence}/3`}>
                          {confidenceLabel(c.confidence, lang)}
                        </span>{' '}
                        {c.record ? (
                          <a href={`#rec-${c.record.id}`}>
                            <cite>{c.record.title}</cite>
                          </a>
                        ) : (
                          <span class="muted">—</span>
                        )}
                        {c.locator && <span class="muted">，{c.locator}</span>}
                        {c.quote && <q>{c.quote}</q>}
                        {c.record && <span class="muted small"> [{c.record.id}]</span>}
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          </div>
        ))}
      </Section>

      {m.portraits.edges.length > 0 && (
        <Section title={t('portraits')} id="sec-portraits">
          <ul class="thumbs">
            {m.portraits.edges.map(({ node: p }) => {
              const s = srcset(p.images.map((i) => ({ ...i, url: sameOrigin(i.url) })), 160);
              return (
                <li>
                  <a href={`/gallery?portrait=${encodeURIComponent(p.id)}`}>
                    <img src={s.src} srcset={s.srcset} sizes="160px" width={160} height={200} alt={caption(p)} loading="lazy" style={p.placeholder ? { backgroundImage: `url("${p.placeholder}")` } : undefined} />
                  </a>
                  {p.reconstruction && <span class="tag">{lang === 'zh' ? '复原' : 'reconstruction'}</span>}
                </li>
              );
            })}
          </ul>
        </Section>
      )}

      <div class="grid-2">
        <Section title={t('comrades')} id="sec-comrades">
          {[
            [t('sameHometown'), m.hometownComrades],
            [t('sameUnit'), m.unitComrades],
            [t('sameCemetery'), m.cemeteryComrades],
          ].map(([label, c]) => {
            const cc = c as Martyr['unitComrades'];
            return cc.totalCount > 0 ? (
              <p>
                <strong>{label as string}</strong>（{cc.totalCount}）：
                {cc.edges.map((e, i) => (
                  <>
                    {i > 0 && '、'}
                    <a href={`/martyr/${encodeURIComponent(e.node.id)}`}>{e.node.name ?? t('unnamed')}</a>
                  </>
                ))}
                {cc.totalCount > cc.edges.length && ' …'}
              </p>
            ) : null;
          })}
        </Section>
        <Section title={t('stories')} id="sec-stories">
          {stories.data && stories.data.length === 0 && <p class="muted">—</p>}
          <ul>
            {stories.data?.map((s) => (
              <li>
                <a href={`/stories/${encodeURIComponent(s.id)}`}>{s.title}</a> <span class="muted small">{s.date?.display}</span>
              </li>
            ))}
          </ul>
        </Section>
      </div>

      {m.records.edges.length > 0 && (
        <Section title={`${t('records')}（${m.records.totalCount}）`} id="sec-records">
          <ol class="records">
            {m.records.edges.map(({ node: r, citations }) => (
              <li id={`rec-${r.id}`} tabIndex={-1}>
                <span class="tag">{recordKindLabel(r.kind, lang)}</span> <cite>{r.title}</cite>
                <span class="muted small">
                  {[r.institution, r.volume, r.page, r.date?.display].filter(Boolean).map((x) => `，${x}`)} [{r.id}]
                </span>
                {r.transcription && <p class="small transcription">{r.transcription}</p>}
                {citations.length > 0 && (
                  <ul class="citations">
                    {citations.map((c) => (
                      <li>
                        <span class={`conf conf-${c.confidence}`}>{confidenceLabel(c.confidence, lang)}</span> {c.locator}
                        {c.quote && <q>{c.quote}</q>}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </Section>
      )}

      <Section title={t('relatives')} id="sec-relatives">
        {m.relatives.length === 0 ? (
          <p class="muted">{t('relativesNone')}</p>
        ) : (
          <table class="relatives">
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{lang === 'zh' ? '关系' : 'Relation'}</th>
                <th scope="col">{lang === 'zh' ? '状态' : 'Status'}</th>
                <th scope="col">{t('phone')}</th>
                <th scope="col">{t('address')}</th>
              </tr>
            </thead>
            <tbody>
              {m.relatives.map((r, i) => {
                const locked = restricted.has(`martyr.relatives.${i}.person.personal`);
                const p = r.person.personal;
                return (
                  <tr data-person={r.person.id}>
                    <td>
                      {r.person.name}{' '}
                      <span class="muted small">{r.person.living ? t('living') : t('deceased')}</span>
                    </td>
                    <td>
                      {relationLabel(r.relation, lang)}
                      {r.line && <span class="muted small">（{miscLabel(r.line, lang)}）</span>}
                    </td>
                    <td>
                      {r.status === 'CONFIRMED' ? miscLabel('CONFIRMED_KIN', lang) : miscLabel(r.status, lang)}
                      {r.note && <div class="small">{r.note}</div>}
                    </td>
                    <td class="personal" data-label={t('phone')}>
                      {locked ? <Restricted /> : p?.phone ?? '—'}
                    </td>
                    <td class="personal" data-label={t('address')}>
                      {locked ? <Restricted /> : p?.address ?? '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Section>

      {signedIn && leads.data && (
        <Section title={t('leads')} id="sec-leads">
          {leads.data.length === 0 && <p class="muted">—</p>}
          <ul>
            {leads.data.map((l) => (
              <li>
                <a href={`/leads/${encodeURIComponent(l.id)}`}>{l.id}</a> <span class={`state state-${l.state}`}>{leadStateLabel(l.state, lang)}</span> {l.summary}
              </li>
            ))}
          </ul>
        </Section>
      )}
    </article>
  );
}
