import { useEffect, useRef, useState } from 'preact/hooks';
import { gqlStrict } from '../api';
import { sameOrigin, srcset } from '../format';
import { useAsync } from '../hooks';
import { useT } from '../i18n';
import { navigate } from '../router';
import { ErrorBox, Loading } from '../ui';

const PORTRAIT = `id width height captionZh captionEn reconstruction accessionNo archive rights artist basedOn revision
  painted { display } placeholder iiifInfoUrl manifestUrl images { width height url } martyr { id name }`;

const QE = `query Exhibits { exhibits(first: 50) { edges { node {
  id title titleEn venue description donatedTo collectionUrl start { display } end { display }
  portraits(first: 100) { totalCount edges { node { ${PORTRAIT} } } }
} } } }`;
const QP = `query Portrait($id: ID!) { node(id: $id) { ... on Portrait { ${PORTRAIT} } } }`;

export interface Portrait {
  id: string;
  width: number | null;
  height: number | null;
  captionZh: string | null;
  captionEn: string | null;
  reconstruction: boolean;
  accessionNo: string | null;
  archive: string | null;
  rights: string | null;
  artist: string | null;
  basedOn: string | null;
  revision: number | null;
  painted: { display: string } | null;
  placeholder: string | null;
  iiifInfoUrl: string | null;
  manifestUrl: string | null;
  images: { width: number; height: number; url: string }[];
  martyr: { id: string; name: string | null } | null;
}
interface Exhibit {
  id: string;
  title: string;
  titleEn: string | null;
  venue: string | null;
  description: string | null;
  donatedTo: string | null;
  collectionUrl: string | null;
  start: { display: string } | null;
  end: { display: string } | null;
  portraits: { totalCount: number; edges: { node: Portrait }[] };
}

const rightsNames: Record<string, [string, string]> = {
  'http://rightsstatements.org/vocab/InC/1.0/': ['受版权保护', 'In Copyright'],
  'http://rightsstatements.org/vocab/InC-EDU/1.0/': ['受版权保护，可用于教育', 'In Copyright – Educational Use Permitted'],
  'http://rightsstatements.org/vocab/NoC-US/1.0/': ['无版权（美国）', 'No Copyright – United States'],
  'https://creativecommons.org/licenses/by/4.0/': ['知识共享 署名 4.0', 'CC BY 4.0'],
  'https://creativecommons.org/publicdomain/zero/1.0/': ['公有领域 CC0', 'CC0'],
};

function Rights({ rights }: { rights: string | null }) {
  const { lang } = useT();
  if (!rights) return <>—</>;
  const known = rightsNames[rights];
  const label = known ? known[lang === 'zh' ? 0 : 1] : rights;
  return /^https?:\/\//.test(rights) ? (
    <a href={rights} rel="license noopener" target="_blank">
      {label}
    </a>
  ) : (
    <>{label}</>
  );
}

function altText(p: Portrait, lang: 'zh' | 'en'): string {
  const c = lang === 'zh' ? p.captionZh ?? p.captionEn : p.captionEn ?? p.captionZh;
  return c ?? p.martyr?.name ?? p.id;
}

function Img({ p, sizes, want, eager }: { p: Portrait; sizes: string; want: number; eager?: boolean }) {
  const { lang } = useT();
  const s = srcset(p.images.map((i) => ({ ...i, url: sameOrigin(i.url) })), want);
  const w = p.images[0]?.width ?? p.width ?? 4;
  const h = p.images[0]?.height ?? p.height ?? 5;
  return (
    <img
      class="portrait-img"
      src={s.src}
      srcset={s.srcset}
      sizes={sizes}
      alt={altText(p, lang)}
      width={w}
      height={h}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      style={p.placeholder ? { backgroundImage: `url("${p.placeholder}")` } : undefined}
    />
  );
}

function Meta({ p }: { p: Portrait }) {
  const { t, lang } = useT();
  return (
    <dl class="facts-dl portrait-meta">
      {p.martyr && (
        <>
          <dt>{t('martyrPage')}</dt>
          <dd>
            <a href={`/martyr/${encodeURIComponent(p.martyr.id)}`}>{p.martyr.name ?? p.martyr.id}</a>
          </dd>
        </>
      )}
      <dt>{lang === 'zh' ? '说明' : 'Caption'}</dt>
      <dd>
        <span lang="zh-CN">{p.captionZh ?? '—'}</span>
        <br />
        <span lang="en" class="muted">
          {p.captionEn ?? '—'}
        </span>
      </dd>
      {p.reconstruction && (
        <>
          <dt>{lang === 'zh' ? '类型' : 'Kind'}</dt>
          <dd>
            <span class="tag warn">{t('reconstruction')}</span>
          </dd>
        </>
      )}
      <dt>{t('accessionNo')}</dt>
      <dd class="accession">{p.accessionNo ?? '—'}</dd>
      <dt>{t('rights')}</dt>
      <dd>
        <Rights rights={p.rights} />
      </dd>
      {p.artist && (
        <>
          <dt>{t('artist')}</dt>
          <dd>{p.artist}</dd>
        </>
      )}
      {p.painted && (
        <>
          <dt>{t('painted')}</dt>
          <dd>{p.painted.display}</dd>
        </>
      )}
      {p.basedOn && (
        <>
          <dt>{t('basedOn')}</dt>
          <dd>{p.basedOn}</dd>
        </>
      )}
      {p.archive && (
        <>
          <dt>{t('archive')}</dt>
          <dd>{p.archive}</dd>
        </>
      )}
      {p.manifestUrl && (
        <>
          <dt>IIIF</dt>
          <dd>
            <a href={sameOrigin(p.manifestUrl)}>manifest</a>
          </dd>
        </>
      )}
    </dl>
  );
}

/** Deep zoom over the IIIF Image API; OpenSeadragon is loaded on first use (its own chunk). */
function DeepZoom({ p }: { p: Portrait }) {
  const { t, lang } = useT();
  const el = useRef<HTMLDivElement>(null);
  const viewer = useRef<import('openseadragon').Viewer | null>(null);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    let dead = false;
    if (!p.iiifInfoUrl || !el.current) return;
    import('openseadragon').then(
      ({ default: OSD }) => {
        if (dead || !el.current) return;
        viewer.current = OSD({
          element: el.current,
          tileSources: [sameOrigin(p.iiifInfoUrl)],
          // The 2D canvas drawer: it works without a GPU (kiosks, headless tests).
          drawer: 'canvas',
          showNavigationControl: false,
          showNavigator: false,
          crossOriginPolicy: false,
          visibilityRatio: 0.8,
          gestureSettingsMouse: { clickToZoom: true, scrollToZoom: true },
        });
        viewer.current.addHandler('open-failed', () => setErr(lang === 'zh' ? '无法打开图像' : 'Cannot open the image'));
      },
      (e) => setErr(String(e)),
    );
    return () => {
      dead = true;
      viewer.current?.destroy();
      viewer.current = null;
    };
  }, [p.iiifInfoUrl]);
  const zoom = (f: number) => viewer.current?.viewport.zoomBy(f).applyConstraints();
  return (
    <div class="deepzoom-wrap">
      <div class="deepzoom" ref={el} role="img" aria-label={`${t('deepZoom')}：${altText(p, lang)}`} data-iiif={p.iiifInfoUrl ?? ''} />
      <div class="dz-controls">
        <button type="button" onClick={() => zoom(1.5)} aria-label={t('zoomIn')}>
          ＋
        </button>
        <button type="button" onClick={() => zoom(1 / 1.5)} aria-label={t('zoomOut')}>
          －
        </button>
        <button type="button" onClick={() => viewer.current?.viewport.goHome()} aria-label={t('zoomHome')}>
          ⟲
        </button>
      </div>
      {err && <p class="error">{err}</p>}
    </div>
  );
}

function Viewer({ p, onClose }: { p: Portrait; onClose: () => void }) {
  const { t, lang } = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    const opener = document.activeElement as HTMLElement | null;
    return () => opener?.focus?.();
  }, []);
  return (
    <dialog ref={ref} class="viewer" aria-labelledby="viewer-title" onClose={onClose} onCancel={onClose}>
      <div class="viewer-head">
        <h2 id="viewer-title">{altText(p, lang)}</h2>
        <button type="button" class="close" onClick={() => ref.current?.close()} aria-label={t('close')}>
          ✕
        </button>
      </div>
      <div class="viewer-body">
        <DeepZoom p={p} />
        <Meta p={p} />
      </div>
    </dialog>
  );
}

export function GalleryPage({ exhibitId, portraitId }: { exhibitId: string | null; portraitId: string | null }) {
  const { t, lang } = useT();
  const res = useAsync(() => gqlStrict<{ exhibits: { edges: { node: Exhibit }[] } }>(QE).then((d) => d.exhibits.edges.map((e) => e.node)), []);
  const single = useAsync(async () => {
    if (!portraitId) return null;
    const d = await gqlStrict<{ node: Portrait | null }>(QP, { id: portraitId });
    return d.node && 'images' in d.node ? d.node : null;
  }, [portraitId]);

  if (res.loading && !res.data) return <Loading />;
  if (res.error) return <ErrorBox error={res.error} />;
  const exhibits = res.data ?? [];
  const ex = exhibits.find((e) => e.id === exhibitId) ?? exhibits[0];
  const q = (over: Record<string, string | null>) => {
    const sp = new URLSearchParams();
    const ps = { exhibit: exhibitId, portrait: portraitId, ...over };
    for (const [k, v] of Object.entries(ps)) if (v) sp.set(k, v);
    const s = sp.toString();
    return `/gallery${s ? `?${s}` : ''}`;
  };
  const open = single.data ?? ex?.portraits.edges.find((e) => e.node.id === portraitId)?.node ?? null;

  return (
    <div class="page gallery-page">
      <h1>{t('galleryTitle')}</h1>
      {exhibits.length === 0 && <p>{t('noExhibits')}</p>}
      {exhibits.length > 1 && (
        <nav class="tabs" aria-label={t('exhibits')}>
          {exhibits.map((e) => (
            <a href={q({ exhibit: e.id, portrait: null })} aria-current={e.id === ex?.id ? 'page' : undefined}>
              {lang === 'zh' ? e.title : e.titleEn ?? e.title}
            </a>
          ))}
        </nav>
      )}
      {ex && (
        <section class="exhibit" aria-labelledby="ex-title">
          <header class="exhibit-head">
            <h2 id="ex-title">
              {lang === 'zh' ? ex.title : ex.titleEn ?? ex.title}
              {lang === 'zh' && ex.titleEn && <span class="muted small"> {ex.titleEn}</span>}
            </h2>
            <p class="muted">
              {[ex.venue, ex.start?.display && `${ex.start.display}${ex.end ? `–${ex.end.display}` : ''}`, ex.donatedTo].filter(Boolean).join(' · ')}
            </p>
            {ex.description && <p>{ex.description}</p>}
            <p>
              <a class="button" href={`/kiosk?exhibit=${encodeURIComponent(ex.id)}`}>
                ▶ {t('kiosk')}
              </a>{' '}
              {ex.collectionUrl && <a href={sameOrigin(ex.collectionUrl)}>IIIF collection</a>}
            </p>
          </header>
          <ul class="portrait-grid">
            {ex.portraits.edges.map(({ node: p }) => (
              <li class="portrait-card" data-portrait={p.id}>
                <a href={q({ exhibit: ex.id, portrait: p.id })} aria-label={`${t('deepZoom')}：${altText(p, lang)}`}>
                  <Img p={p} sizes="(max-width: 600px) 45vw, (max-width: 1200px) 25vw, 320px" want={320} />
                </a>
                <div class="caption">
                  <p class="cap-zh" lang="zh-CN">
                    {p.captionZh}
                  </p>
                  <p class="cap-en muted small" lang="en">
                    {p.captionEn}
                  </p>
                  <p class="small">
                    {p.reconstruction && <span class="tag warn">{lang === 'zh' ? '复原' : 'Reconstruction'}</span>}{' '}
                    <span class="muted">
                      {t('accessionNo')} {p.accessionNo ?? '—'}
                    </span>
                  </p>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {open && <Viewer p={open} onClose={() => navigate(q({ portrait: null }), true)} />}
    </div>
  );
}

const slideMs = 8000;

export function KioskPage({ exhibitId }: { exhibitId: string | null }) {
  const { t } = useT();
  const res = useAsync(() => gqlStrict<{ exhibits: { edges: { node: Exhibit }[] } }>(QE).then((d) => d.exhibits.edges.map((e) => e.node)), []);
  const [i, setI] = useState(0);
  const [playing, setPlaying] = useState(true);
  const ex = res.data?.find((e) => e.id === exhibitId) ?? res.data?.[0];
  const items = ex?.portraits.edges.map((e) => e.node) ?? [];
  const n = items.length;

  useEffect(() => {
    if (!playing || n < 2) return;
    const h = setInterval(() => setI((x) => (x + 1) % n), slideMs);
    return () => clearInterval(h);
  }, [playing, n]);
  useEffect(() => {
    const k = (e: KeyboardEvent) => {
      if (e.key === 'ArrowRight') setI((x) => (x + 1) % Math.max(1, n));
      else if (e.key === 'ArrowLeft') setI((x) => (x - 1 + n) % Math.max(1, n));
      else if (e.key === ' ' && (e.target as HTMLElement).tagName !== 'BUTTON') {
        e.preventDefault();
        setPlaying((p) => !p);
      }
    };
    window.addEventListener('keydown', k);
    return () => window.removeEventListener('keydown', k);
  }, [n]);

  if (res.loading && !res.data) return <Loading />;
  if (res.error) return <ErrorBox error={res.error} />;
  if (!ex || n === 0) return <p class="kiosk-empty">{t('noExhibits')}</p>;
  const p = items[i % n];
  const fs = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void document.documentElement.requestFullscreen?.().catch(() => {});
  };
  return (
    <div class="kiosk-stage" aria-roledescription="slideshow" aria-label={ex.title}>
      <figure class="kiosk-slide" aria-live={playing ? 'off' : 'polite'} key={p.id}>
        <Img p={p} sizes="(orientation: portrait) 100vw, 60vh" want={1280} eager />
        <figcaption>
          <p class="kiosk-title">{ex.title}</p>
          <p class="cap-zh" lang="zh-CN">
            {p.captionZh}
          </p>
          <p class="cap-en" lang="en">
            {p.captionEn}
          </p>
          {p.reconstruction && (
            <p>
              <span class="tag warn">{t('reconstruction')}</span>
            </p>
          )}
          <p class="small">
            {t('accessionNo')} {p.accessionNo ?? '—'} · {t('rights')} <Rights rights={p.rights} />
          </p>
          <p class="small muted">
            {i + 1} / {n}
          </p>
        </figcaption>
      </figure>
      <div class="kiosk-controls">
        <button type="button" onClick={() => setI((i - 1 + n) % n)} aria-label={t('prev')}>
          ◀
        </button>
        <button type="button" onClick={() => setPlaying(!playing)} aria-label={playing ? t('pause') : t('play')}>
          {playing ? '❚❚' : '▶'}
        </button>
        <button type="button" onClick={() => setI((i + 1) % n)} aria-label={t('next')}>
          ▶▶
        </button>
        <button type="button" onClick={fs}>
          {t('fullscreen')}
        </button>
      </div>
    </div>
  );
}
