import { useEffect, useState } from 'preact/hooks';
import { ApiError, getToken, gql, onConnection, setToken, subscribe } from '../api';
import { groupBy, restrictedPaths } from '../format';
import { useAsync } from '../hooks';
import { leadStateLabel, leadStateOrder, miscLabel, useT } from '../i18n';
import { ErrorBox, Loading, Restricted, Section } from '../ui';
import { SignIn } from './signin';

const LEAD_CARD = `id state summary assignee updatedAt version martyr { id name }`;
const QB = `{ leads(first: 100) { totalCount edges { node { ${LEAD_CARD} } } } }`;
const SUB = `subscription Board($leadId: ID) { leadEvents(leadId: $leadId) {
  lead { ${LEAD_CARD} }
  event { seq kind actor at from to note }
} }`;

interface LeadCard {
  id: string;
  state: string;
  summary: string | null;
  assignee: string | null;
  updatedAt: string;
  version: number;
  martyr: { id: string; name: string | null } | null;
}
interface LeadEvent {
  seq: number;
  kind: string;
  actor: string | null;
  at: string;
  from: string | null;
  to: string | null;
  assignee?: string | null;
  note: string | null;
  evidence?: string[];
}

function fmtTime(s: string, lang: 'zh' | 'en'): string {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

function useAuthGate(): [boolean, () => void] {
  const [tok, setTok] = useState(getToken());
  return [Boolean(tok), () => setTok(getToken())];
}

function SignedInBar({ onSignOut, live }: { onSignOut: () => void; live: boolean }) {
  const { t } = useT();
  return (
    <p class="signed-bar">
      <span class={`live-dot ${live ? 'on' : 'off'}`} data-live={live ? '1' : '0'}>
        {live ? t('live') : t('offline')}
      </span>
      <span class="muted">{t('signedIn')}</span>
      <button type="button" class="link" onClick={onSignOut}>
        {t('signOut')}
      </button>
    </p>
  );
}

/** Whether the subscription socket is up, and how many times it came up. */
function useLive(): [boolean, number] {
  const [live, setLive] = useState(false);
  const [ups, setUps] = useState(0);
  useEffect(
    () =>
      onConnection((up) => {
        setLive(up);
        if (up) setUps((n) => n + 1);
      }),
    [],
  );
  return [live, ups];
}

export function LeadBoardPage() {
  const { t, lang } = useT();
  const [signedIn, refresh] = useAuthGate();
  const [leads, setLeads] = useState<LeadCard[] | null>(null);
  const [err, setErr] = useState<Error | null>(null);
  const [latest, setLatest] = useState<{ lead: LeadCard; event: LeadEvent } | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [live, ups] = useLive();

  // The list loads on sign-in and again after the socket reconnects,
  // since moves made while it was down were not delivered.
  useEffect(() => {
    if (!signedIn) return;
    let dead = false;
    setErr(null);
    gql<{ leads: { edges: { node: LeadCard }[] } }>(QB).then(
      (r) => {
        if (dead) return;
        if (r.errors?.length && !r.data?.leads) setErr(new ApiError(r.errors[0].message, r.errors[0].extensions?.code ?? '', r.status));
        else setLeads(r.data!.leads.edges.map((e) => e.node));
      },
      (e: Error) => !dead && setErr(e),
    );
    return () => {
      dead = true;
    };
  }, [signedIn, ups > 1 ? ups : 0]);

  useEffect(() => {
    if (!signedIn) return;
    const stop = subscribe<{ leadEvents: { lead: LeadCard; event: LeadEvent } }>(SUB, { leadId: null }, (d) => {
      const ch = d.leadEvents;
      setLeads((ls) => {
        const list = ls ? [...ls] : [];
        const i = list.findIndex((l) => l.id === ch.lead.id);
        if (i >= 0) list[i] = ch.lead;
        else list.push(ch.lead);
        return list.sort((a, b) => a.id.localeCompare(b.id));
      });
      setLatest(ch);
      setFlash(ch.lead.id);
    });
    return stop;
  }, [signedIn]);

  if (!signedIn) return <SignIn onDone={refresh} />;
  const signOut = () => {
    setToken(null);
    setLeads(null);
    refresh();
  };
  if (err) {
    const code = err instanceof ApiError ? err.code : '';
    if (code === 'UNAUTHENTICATED') {
      setToken(null);
      return <SignIn onDone={refresh} message={t('badToken')} />;
    }
    return (
      <div class="page">
        <SignedInBar onSignOut={signOut} live={live} />
        {code === 'FORBIDDEN' ? <p class="error">{t('notAllowed')}</p> : <ErrorBox error={err} />}
      </div>
    );
  }
  if (!leads) return <Loading />;
  const groups = groupBy(leads, (l) => l.state, leadStateOrder);
  return (
    <div class="page board-page">
      <h1>{t('navLeads')}</h1>
      <SignedInBar onSignOut={signOut} live={live} />
      <p class="latest" aria-live="polite" data-latest={latest ? `${latest.lead.id}:${latest.lead.state}` : ''}>
        {latest && (
          <>
            {t('lastEvent')}：<a href={`/leads/${latest.lead.id}`}>{latest.lead.id}</a> {latest.event.from && leadStateLabel(latest.event.from, lang)} →{' '}
            {leadStateLabel(latest.lead.state, lang)}（{latest.event.actor ?? '?'}，{fmtTime(latest.event.at, lang)}）
          </>
        )}
      </p>
      <div class="board">
        {[...groups.entries()]
          .filter(([, ls]) => ls.length > 0)
          .map(([state, ls]) => (
            <section class="column" data-state={state} aria-labelledby={`col-${state}`}>
              <h2 id={`col-${state}`}>
                <span class={`state state-${state}`}>{leadStateLabel(state, lang)}</span> <span class="muted">{ls.length}</span>
              </h2>
              <ul>
                {ls.map((l) => (
                  <li class={`lead-card${flash === l.id ? ' flash' : ''}`} data-lead={l.id} data-state={l.state}>
                    <a href={`/leads/${encodeURIComponent(l.id)}`}>
                      <strong>{l.martyr?.name ?? t('unnamed')}</strong> <span class="muted small">{l.id}</span>
                    </a>
                    <p class="small">{l.summary}</p>
                    <p class="muted small">
                      {l.assignee && `${t('assignee')} ${l.assignee} · `}
                      {fmtTime(l.updatedAt, lang)}
                    </p>
                  </li>
                ))}
              </ul>
            </section>
          ))}
      </div>
    </div>
  );
}

const QL = `query Lead($id: ID!) { lead(id: $id) {
  id state source summary assignee createdBy createdAt updatedAt version next allowedMoves
  martyr { id name hometownText records(first: 50) { edges { node { id title kind } } } }
  people { id name living hometownText personal { phone address idNumber } }
  events { seq kind actor at from to assignee note evidence }
} }`;
const QN = `query Ev($ids: [ID!]!) { nodes(ids: $ids) { ... on ArchivalRecord { id kind title institution volume page date { display } } } }`;
const MOVE = `mutation Move($id: ID!, $to: LeadState!, $note: String, $evidence: [ID!], $v: Int, $consent: Boolean) {
  transitionLead(id: $id, to: $to, note: $note, evidence: $evidence, expectVersion: $v, familyConsent: $consent) { id state version }
}`;

interface Lead {
  id: string;
  state: string;
  source: string;
  summary: string | null;
  assignee: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  next: string[];
  // The moves the signed-in role may make (next, filtered by the server).
  allowedMoves: string[];
  martyr: { id: string; name: string | null; hometownText: string | null; records: { edges: { node: { id: string; title: string; kind: string } }[] } } | null;
  people: { id: string; name: string; living: boolean; hometownText: string | null; personal: { phone: string | null; address: string | null; idNumber: string | null } | null }[];
  events: LeadEvent[];
}
interface Rec {
  id: string;
  kind: string;
  title: string;
  institution: string | null;
  volume: string | null;
  page: string | null;
  date: { display: string } | null;
}

export function LeadPage({ id }: { id: string }) {
  const { t, lang } = useT();
  const [signedIn, refresh] = useAuthGate();
  const [live] = useLive();
  const res = useAsync(async () => {
    if (!signedIn) return null;
    const r = await gql<{ lead: Lead | null }>(QL, { id });
    const lead = r.data?.lead ?? null;
    if (!lead && r.errors?.length) throw new ApiError(r.errors[0].message, r.errors[0].extensions?.code ?? '', r.status);
    const ids = [...new Set(lead?.events.flatMap((e) => e.evidence ?? []) ?? [])];
    let recs: Rec[] = [];
    if (ids.length) {
      const n = await gql<{ nodes: (Rec | null)[] }>(QN, { ids });
      recs = (n.data?.nodes ?? []).filter((x): x is Rec => Boolean(x && x.id));
    }
    return { lead, recs, restricted: restrictedPaths(r.errors) };
  }, [id, signedIn]);
  const [note, setNote] = useState('');
  const [consent, setConsent] = useState(false);
  const [evidence, setEvidence] = useState<string[]>([]);
  const [moveErr, setMoveErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);

  useEffect(() => {
    if (!signedIn) return;
    return subscribe<{ leadEvents: { lead: LeadCard; event: LeadEvent } }>(SUB, { leadId: id }, (d) => {
      setMsg(`${t('moved')}：${leadStateLabel(d.leadEvents.lead.state, lang)}（${d.leadEvents.event.actor ?? '?'}）`);
      res.reload();
    });
  }, [id, signedIn]);

  if (!signedIn) return <SignIn onDone={refresh} />;
  if (res.loading && !res.data) return <Loading />;
  if (res.error) {
    if (res.error instanceof ApiError && res.error.code === 'UNAUTHENTICATED') {
      setToken(null);
      return <SignIn onDone={refresh} message={t('badToken')} />;
    }
    return <ErrorBox error={res.error} />;
  }
  const lead = res.data?.lead;
  if (!lead) return <p role="alert">{t('notFound')}</p>;
  const recTitle = new Map(res.data!.recs.map((r) => [r.id, r]));

  const move = async (to: string) => {
    setBusy(true);
    setMoveErr(null);
    try {
      const r = await gql<{ transitionLead: { id: string; state: string; version: number } | null }>(MOVE, {
        id: lead.id,
        to,
        note: note.trim() || null,
        evidence: evidence.length ? evidence : null,
        v: lead.version,
        consent: to === 'ANNOUNCED' ? consent : null,
      });
      if (r.errors?.length) {
        const e = r.errors[0];
        setMoveErr(`${e.extensions?.code ?? ''} ${e.message}`);
      } else {
        setNote('');
        setEvidence([]);
        setMsg(`${t('moved')}：${leadStateLabel(to, lang)}`);
        res.reload();
      }
    } catch (e) {
      setMoveErr(String((e as Error).message));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="page lead-page" data-lead={lead.id} data-state={lead.state}>
      <p>
        <a href="/leads">← {t('navLeads')}</a>
      </p>
      <h1>
        {lead.id} <span class={`state state-${lead.state}`}>{leadStateLabel(lead.state, lang)}</span>
      </h1>
      <SignedInBar
        onSignOut={() => {
          setToken(null);
          refresh();
        }}
        live={live}
      />
      <p aria-live="polite" class="notice">
        {msg}
      </p>
      <div class="grid-2">
        <Section title={t('summary')} id="sec-summary">
          <p>{lead.summary}</p>
          <dl class="facts-dl">
            <dt>{t('martyrPage')}</dt>
            <dd>
              {lead.martyr ? <a href={`/martyr/${encodeURIComponent(lead.martyr.id)}`}>{lead.martyr.name ?? t('unnamed')}</a> : '—'}
              {lead.martyr?.hometownText && <span class="muted small">（{lead.martyr.hometownText}）</span>}
            </dd>
            <dt>{t('assignee')}</dt>
            <dd>{lead.assignee ?? '—'}</dd>
            <dt>{lang === 'zh' ? '创建' : 'Created'}</dt>
            <dd>
              {lead.createdBy ?? '?'}，{fmtTime(lead.createdAt, lang)}
            </dd>
            <dt>{lang === 'zh' ? '版本' : 'Version'}</dt>
            <dd>{lead.version}</dd>
          </dl>
        </Section>
        <Section title={t('candidates')} id="sec-people">
          {lead.people.length === 0 && <p class="muted">—</p>}
          <ul class="people">
            {lead.people.map((p, i) => {
              const locked = res.data!.restricted.has(`lead.people.${i}.personal`);
              return (
                <li data-person={p.id}>
                  <strong>{p.name}</strong> <span class="muted small">{p.living ? t('living') : t('deceased')}</span>
                  {p.hometownText && <span class="small">（{p.hometownText}）</span>}
                  <div class="small personal">
                    {t('phone')}：{locked ? <Restricted /> : p.personal?.phone ?? '—'} · {t('address')}：{locked ? <Restricted /> : p.personal?.address ?? '—'}
                  </div>
                </li>
              );
            })}
          </ul>
        </Section>
      </div>

      <Section title={t('moves')} id="sec-moves">
        {lead.allowedMoves.length === 0 ? (
          <p class="muted">{t('noMoves')}</p>
        ) : (
          <div class="moves">
            <label class="field">
              <span>{t('note')}</span>
              <textarea rows={2} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
            </label>
            {lead.martyr && lead.martyr.records.edges.length > 0 && (
              <fieldset>
                <legend>{t('evidence')}</legend>
                {lead.martyr.records.edges.map(({ node: r }) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={evidence.includes(r.id)}
                      onChange={(e) => {
                        const on = (e.target as HTMLInputElement).checked;
                        setEvidence(on ? [...evidence, r.id] : evidence.filter((x) => x !== r.id));
                      }}
                    />{' '}
                    {r.title} <span class="muted small">{r.id}</span>
                  </label>
                ))}
              </fieldset>
            )}
            {lead.allowedMoves.includes('ANNOUNCED') && (
              <label class="check">
                <input type="checkbox" checked={consent} onChange={(e) => setConsent((e.target as HTMLInputElement).checked)} /> {t('familyConsent')}
              </label>
            )}
            <div class="move-buttons">
              {lead.allowedMoves.map((s) => (
                <button type="button" class="move" data-to={s} disabled={busy} onClick={() => move(s)}>
                  {t('moveTo')} {leadStateLabel(s, lang)}
                </button>
              ))}
            </div>
            {moveErr && (
              <p class="error" role="alert">
                {moveErr}
              </p>
            )}
          </div>
        )}
      </Section>

      <Section title={t('timeline')} id="sec-timeline">
        <ol class="timeline">
          {lead.events.map((e) => (
            <li data-seq={e.seq}>
              <time dateTime={e.at}>{fmtTime(e.at, lang)}</time>{' '}
              <strong>{miscLabel(e.kind, lang)}</strong>{' '}
              {e.from || e.to ? (
                <span>
                  {e.from && leadStateLabel(e.from, lang)} → {e.to && leadStateLabel(e.to, lang)}
                </span>
              ) : null}
              {e.assignee && <span>
                {' '}
                {t('assignee')} {e.assignee}
              </span>}
              <span class="muted small"> · {e.actor ?? '?'}</span>
              {e.note && <p class="small">{e.note}</p>}
              {(e.evidence?.length ?? 0) > 0 && (
                <ul class="evidence">
                  {e.evidence!.map((r) => {
                    const rec = recTitle.get(r);
                    return (
                      <li>
                        {rec ? `${rec.title}${rec.institution ? `（${rec.institution}）` : ''}` : r} <span class="muted small">{r}</span>
                      </li>
                    );
                  })}
                </ul>
              )}
            </li>
          ))}
        </ol>
      </Section>
    </article>
  );
}
