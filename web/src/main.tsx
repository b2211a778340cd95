import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './style.css';
import { setAnonymous } from './api';
import type { Lang } from './format';
import { LangContext, translate } from './i18n';
import { installLinkInterceptor, match, useRoute } from './router';
import { SearchPage } from './pages/search';
import { MartyrPage } from './pages/martyr';
import { GalleryPage, KioskPage } from './pages/gallery';
import { LeadBoardPage, LeadPage } from './pages/leads';
import { StoriesPage, StoryPage } from './pages/stories';

function initialLang(): Lang {
  const q = new URLSearchParams(location.search).get('lang');
  if (q === 'en' || q === 'zh') return q;
  try {
    const s = localStorage.getItem('guigen.lang');
    if (s === 'en' || s === 'zh') return s;
  } catch {
    /* no storage */
  }
  return 'zh';
}

function App() {
  const route = useRoute();
  const [lang, setLang] = useState<Lang>(initialLang);
  const t = (k: Parameters<typeof translate>[1]) => translate(lang, k);
  const kiosk = route.path === '/kiosk' || route.params.get('kiosk') === '1';
  setAnonymous(kiosk);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    try {
      localStorage.setItem('guigen.lang', lang);
    } catch {
      /* no storage */
    }
  }, [lang]);

  let page;
  let m: Record<string, string> | null;
  if (kiosk) page = <KioskPage exhibitId={route.params.get('exhibit')} />;
  else if (route.path === '/' || route.path === '/search') page = <SearchPage params={route.params} />;
  else if ((m = match('/martyr/:id', route.path))) page = <MartyrPage id={m.id} />;
  else if (route.path === '/gallery') page = <GalleryPage exhibitId={route.params.get('exhibit')} portraitId={route.params.get('portrait')} />;
  else if (route.path === '/leads') page = <LeadBoardPage />;
  else if ((m = match('/leads/:id', route.path))) page = <LeadPage id={m.id} />;
  else if (route.path === '/stories') page = <StoriesPage params={route.params} />;
  else if ((m = match('/stories/:id', route.path))) page = <StoryPage id={m.id} />;
  else page = <p role="alert">{t('notFound')}</p>;

  const nav = [
    ['/', 'navSearch'],
    ['/gallery', 'navGallery'],
    ['/stories', 'navStories'],
    ['/leads', 'navLeads'],
  ] as const;
  const current = (href: string) =>
    href === '/' ? route.path === '/' || route.path === '/search' || route.path.startsWith('/martyr/') : route.path.startsWith(href);

  return (
    <LangContext.Provider value={lang}>
      {kiosk ? (
        <main id="main" class="kiosk">
          {page}
        </main>
      ) : (
        <>
          <a class="skip" href="#main">
            {t('skip')}
          </a>
          <header class="top">
            <a class="brand" href="/">
              <span class="brand-zh">{t('appName')}</span>
              <span class="brand-sub">{t('tagline')}</span>
            </a>
            <nav aria-label={lang === 'zh' ? '主导航' : 'Main'}>
              {nav.map(([href, k]) => (
                <a href={href} aria-current={current(href) ? 'page' : undefined}>
                  {t(k)}
                </a>
              ))}
            </nav>
            <button type="button" class="lang" aria-label={t('switchLangLabel')} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
              {t('switchLang')}
            </button>
          </header>
          <main id="main" tabIndex={-1}>
            {page}
          </main>
          <footer class="foot">
            <span>{lang === 'zh' ? '演示数据均为虚构。' : 'Demo data are fictional.'}</span>{' '}
            <a href="/graphiql/">GraphiQL</a>
          </footer>
        </>
      )}
    </LangContext.Provider>
  );
}

installLinkInterceptor();
render(<App />, document.getElementById('app')!);
