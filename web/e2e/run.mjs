// Browser tests: Playwright (playwright-core) driving Debian's chromium
// against a real `guigen serve --demo` on the embedded backend in a temp
// data dir. Usage (from web/): node e2e/run.mjs
//
// Environment: GUIGEN_BIN (a built binary; built from ../cmd/guigen when
// unset), CHROMIUM (default /usr/bin/chromium), E2E_OUT (screenshots,
// default web/test-results), E2E_ONLY (a substring of test names).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, '..');
const repo = resolve(webDir, '..');
const out = resolve(process.env.E2E_OUT ?? join(webDir, 'test-results'));
mkdirSync(out, { recursive: true });

const tmp = mkdtempSync(join(tmpdir(), 'guigen-e2e-'));
const dataDir = join(tmp, 'data');
let server = null;
let browser = null;
let serverLog = '';

function log(...a) {
  console.log(`[e2e ${new Date().toISOString().slice(11, 19)}]`, ...a);
}

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** The binary's environment: the embedded backend, whatever CI exports. */
function serveEnv() {
  const env = { ...process.env };
  for (const k of ['NEO4J_URI', 'NEO4J_USER', 'NEO4J_PASSWORD', 'NEO4J_DATABASE', 'GUIGEN_DATA', 'GUIGEN_ADDR']) delete env[k];
  return env;
}

async function token(bin, role, name) {
  const { stdout, stderr } = await run(bin, ['token', 'create', '--role', role, '--name', name, '--data', dataDir], { env: serveEnv() });
  const m = /gg_[A-Za-z0-9_-]{20,}/.exec(stdout + stderr);
  assert.ok(m, `no token in output of token create: ${stdout}${stderr}`);
  return m[0];
}

async function gqlPublic(base, query) {
  const r = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query }) });
  return r.json();
}

async function waitFor(what, fn, timeoutMs, everyMs = 500) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeoutMs) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
}

async function setup() {
  let bin = process.env.GUIGEN_BIN;
  if (!bin) {
    bin = join(tmp, 'guigen');
    log('building guigen …');
    await run('go', ['build', '-o', bin, './cmd/guigen'], { cwd: repo, env: process.env, maxBuffer: 1 << 24 });
  }
  const tokens = {
    cw1: await token(bin, 'caseworker', 'e2e 经办人一'),
    cw2: await token(bin, 'caseworker', 'e2e 经办人二'),
    volunteer: await token(bin, 'volunteer', 'e2e 志愿者'),
  };
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['serve', '--demo', '--data', dataDir, '--addr', `127.0.0.1:${port}`], { env: serveEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => (serverLog += d));
  server.stderr.on('data', (d) => (serverLog += d));
  server.on('exit', (code) => {
    if (code !== null && code !== 0) log(`guigen serve exited with ${code}`);
  });
  await waitFor('/readyz', async () => (await fetch(`${base}/readyz`)).ok, 60_000);
  log(`guigen serve ready at ${base}`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      // No --user-data-dir: Playwright refuses it here and starts every
      // launch with a fresh temporary profile of its own.
    ],
  });
  return { base, tokens };
}

/** A fresh browser context; with a token it is signed in (sessionStorage, as the sign-in form does). */
async function context(tok, opts = {}) {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 }, ...opts });
  if (tok) await ctx.addInitScript((t) => sessionStorage.setItem('guigen.token', t), tok);
  return ctx;
}

function watchErrors(page, errors) {
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource.*(401|403|404)/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('search by a wrong name finds the right martyr with the reason', async ({ base }) => {
  const ctx = await context(null);
  const page = await ctx.newPage();
  const errors = [];
  watchErrors(page, errors);
  await page.goto(`${base}/`);
  // The box has focus on load: typing and Enter is the whole search.
  // (Wait for the app to render and focus it: keys typed before that are
  // lost, which a loaded machine made happen.)
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'q', null, { timeout: 15_000 });
  await page.keyboard.type('刘得善');
  await page.keyboard.press('Enter');
  const first = page.locator('ol.hits > li.hit').first();
  await first.waitFor({ timeout: 15_000 });
  assert.equal(await first.getAttribute('data-id'), 'm-0001');
  assert.equal((await first.locator('.hit-name').textContent())?.trim(), '刘德善');
  const reasons = await first.locator('.reasons').innerText();
  assert.match(reasons, /得\/德 同音/);
  assert.match(reasons, /同音/);
  assert.match(await first.locator('.score .pct').innerText(), /^\d+%$/);
  assert.match(page.url(), /\/search\?q=/);
  await page.screenshot({ path: join(out, 'search-zh.png'), fullPage: true });

  // With the old county name as hometown the hometown reason shows too.
  await page.goto(`${base}/search?q=${encodeURIComponent('刘得善')}&hometown=${encodeURIComponent('胶州市')}`);
  await page.locator('li.hit[data-id="m-0001"] .reason-hometown').waitFor({ timeout: 15_000 });
  assert.match(await page.locator('li.hit[data-id="m-0001"] .reasons').innerText(), /胶县/);
  await page.locator('.place-reading').waitFor({ timeout: 15_000 });
  assert.match(await page.locator('.place-reading').innerText(), /胶州市/);
  await page.screenshot({ path: join(out, 'search-hometown.png'), fullPage: true });

  // The death-year filter is applied by the server: every hit died then.
  await page.goto(`${base}/search?q=${encodeURIComponent('王')}&died=1951`);
  await page.locator('ol.hits > li.hit').first().waitFor({ timeout: 15_000 });
  const diedTexts = await page.locator('ol.hits > li.hit').allInnerTexts();
  assert.ok(diedTexts.length > 0);
  for (const text of diedTexts) assert.match(text, /1951/);
  // The cemetery filter lists the cemeteries.
  const options = page.locator('select[name="cemetery"] option');
  await page.waitForFunction(() => document.querySelectorAll('select[name="cemetery"] option').length > 1, null, { timeout: 15_000 });
  assert.ok((await options.count()) > 1);
  await page.goto(`${base}/search?q=${encodeURIComponent('刘得善')}&hometown=${encodeURIComponent('胶州市')}`);
  await page.locator('li.hit[data-id="m-0001"] .reason-hometown').waitFor({ timeout: 15_000 });

  // English switch keeps the API's detail and translates the label.
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.locator('li.hit[data-id="m-0001"] .reason-kind', { hasText: 'homophone' }).waitFor();
  await page.screenshot({ path: join(out, 'search-en.png'), fullPage: true });

  // Click through to the martyr page: the conflicting name is side by side.
  await page.locator('li.hit[data-id="m-0001"] a.hit-name').click();
  await page.locator('.fact.conflicting').first().waitFor({ timeout: 15_000 });
  const fact = await page.locator('.fact.conflicting').first().innerText();
  assert.match(fact, /刘德善/);
  assert.match(fact, /刘德喜/);
  // Each citation links to the record it cites, listed on the page.
  const cite = page.locator('.fact.conflicting a[href^="#rec-"]').first();
  const target = (await cite.getAttribute('href')).slice(1);
  assert.equal(await page.locator(`[id="${target}"]`).count(), 1, `no record ${target} on the page`);
  await cite.click();
  await page.waitForFunction((id) => location.hash === `#${id}` && document.getElementById(id).getBoundingClientRect().top < innerHeight, target);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, 'martyr-m-0001.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a caseworker moves a lead and a second browser sees it live', async ({ base, tokens }) => {
  const ctxA = await context(null);
  const ctxB = await context(tokens.cw2);
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  const errors = [];
  watchErrors(a, errors);
  watchErrors(b, errors);

  // B: the board, signed in, subscribed.
  await b.goto(`${base}/leads`);
  await b.locator('.lead-card[data-lead="lead-0001"][data-state="INVESTIGATING"]').waitFor({ timeout: 15_000 });
  await b.locator('.live-dot[data-live="1"]').waitFor({ timeout: 15_000 });
  await b.evaluate(() => {
    window.__sameDocument = true;
  });

  // A: signs in by pasting the token, opens the lead, makes a move.
  await a.goto(`${base}/leads`);
  // A forged token is refused and not kept.
  await a.locator('input[name="token"]').fill('gg_forged_forged_forged_forged_forged_0000');
  await a.keyboard.press('Enter');
  await a.locator('form.signin [role="alert"]', { hasText: '令牌无效' }).waitFor({ timeout: 10_000 });
  assert.equal(await a.evaluate(() => sessionStorage.getItem('guigen.token')), null);
  await a.locator('input[name="token"]').fill(tokens.cw1);
  await a.keyboard.press('Enter');
  await a.locator('.lead-card[data-lead="lead-0001"] a').click();
  await a.locator('.lead-page[data-state="INVESTIGATING"]').waitFor({ timeout: 15_000 });
  const tl = await a.locator('.timeline').innerText();
  assert.match(tl, /已做口述记录/);
  // Evidence of the audit trail is shown with its record titles.
  assert.match(tl, /刘氏族谱/);
  await a.screenshot({ path: join(out, 'lead-before.png'), fullPage: true });
  // Give B's subscription a moment to be registered server-side after the ack.
  await b.waitForTimeout(1000);
  await a.locator('textarea').fill('e2e：等待族谱原件');
  const t0 = Date.now();
  await a.locator('button.move[data-to="ON_HOLD"]').click();
  await a.locator('.lead-page[data-state="ON_HOLD"]').waitFor({ timeout: 20_000 });
  const moved = Date.now() - t0;
  assert.match(await a.locator('.timeline').innerText(), /e2e：等待族谱原件/);

  // Generous: on a loaded 2-core CI box the demo is still painting portraits now.
  await b.locator('.column[data-state="ON_HOLD"] .lead-card[data-lead="lead-0001"]').waitFor({ timeout: 20_000 });
  const ms = Date.now() - t0;
  assert.equal(await b.evaluate(() => window.__sameDocument), true, 'board reloaded instead of updating live');
  assert.equal(await b.locator('.column[data-state="INVESTIGATING"] .lead-card[data-lead="lead-0001"]').count(), 0);
  assert.match((await b.locator('.latest').getAttribute('data-latest')) ?? '', /lead-0001:ON_HOLD/);
  log(`move shown to the mover ${moved} ms, live update seen by the second browser ${ms} ms after the click`);
  await a.screenshot({ path: join(out, 'lead-after.png'), fullPage: true });
  await b.screenshot({ path: join(out, 'board-live.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await ctxA.close();
  await ctxB.close();
});

test('a public visitor does not see a relative\'s phone number; a caseworker does', async ({ base, tokens }) => {
  const phone = '139****0002';
  const pub = await context(null);
  const p = await pub.newPage();
  await p.goto(`${base}/martyr/m-0005`);
  const row = p.locator('table.relatives tr[data-person="p-0005"]');
  await row.waitFor({ timeout: 15_000 });
  assert.match(await row.innerText(), /无权查看/);
  assert.equal((await p.content()).includes(phone), false, 'public page contains the phone number');
  await p.screenshot({ path: join(out, 'martyr-m-0005-public.png'), fullPage: true });
  await pub.close();

  const cw = await context(tokens.cw1);
  const c = await cw.newPage();
  await c.goto(`${base}/martyr/m-0005`);
  const crow = c.locator('table.relatives tr[data-person="p-0005"]');
  await crow.waitFor({ timeout: 15_000 });
  assert.match(await crow.innerText(), new RegExp(phone.replace(/\*/g, '\\*')));
  assert.equal(await crow.locator('[data-restricted]').count(), 0);
  await c.screenshot({ path: join(out, 'martyr-m-0005-caseworker.png'), fullPage: true });
  await cw.close();

  // A volunteer not assigned to the lead sees the candidates but not their phones.
  const vol = await context(tokens.volunteer);
  const v = await vol.newPage();
  await v.goto(`${base}/leads/lead-0002`);
  const li = v.locator('ul.people li[data-person="p-0005"]');
  await li.waitFor({ timeout: 15_000 });
  assert.match(await li.innerText(), /无权查看/);
  assert.equal((await v.content()).includes(phone), false);
  await vol.close();
});

test('stories: highlighted fragments and a citation to copy', async ({ base }) => {
  const ctx = await context(null, { permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await ctx.newPage();
  await page.goto(`${base}/stories?q=${encodeURIComponent('胶县')}`);
  const hit = page.locator('li.story-hit').first();
  await hit.waitFor({ timeout: 15_000 });
  assert.ok((await hit.locator('mark').count()) > 0);
  assert.equal((await hit.locator('mark').first().textContent())?.trim(), '胶县');
  await page.screenshot({ path: join(out, 'stories.png'), fullPage: true });
  await hit.locator('h2 a').click();
  await page.locator('#citation').waitFor();
  await page.getByRole('button', { name: '复制引用' }).click();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(clip, /胶县就是胶州\[EB\/OL\]/);
  assert.match(clip, /\/stories\/s-0003/);
  await ctx.close();
});

test('the gallery loads real images and opens deep zoom over IIIF', async ({ base }) => {
  // The demo paints its portraits in the background after start.
  const t0 = Date.now();
  await waitFor(
    'the demo exhibit',
    async () => {
      const d = await gqlPublic(base, '{ exhibits(first: 1) { edges { node { portraits(first: 1) { totalCount } } } } }');
      return (d.data?.exhibits.edges[0]?.node.portraits.totalCount ?? 0) > 0;
    },
    300_000,
    1000,
  );
  log(`demo exhibit ready ${Date.now() - t0} ms into the gallery test`);
  const ctx = await context(null);
  const page = await ctx.newPage();
  const errors = [];
  watchErrors(page, errors);
  const tiles = [];
  page.on('response', (r) => {
    if (/\/iiif\/[0-9a-f]{64}\/(?!info\.json)/.test(r.url())) tiles.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] });
  });
  await page.goto(`${base}/gallery`);
  const cards = page.locator('li.portrait-card');
  await cards.first().waitFor({ timeout: 15_000 });
  const imgs = page.locator('li.portrait-card img');
  const n = await imgs.count();
  assert.ok(n >= 1, 'no portraits in the grid');
  // Lazy images: bring them into view, then every one must have decoded.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForFunction(
    () => [...document.querySelectorAll('li.portrait-card img')].every((i) => i.complete && i.naturalWidth > 0),
    null,
    { timeout: 30_000 },
  );
  const first = await imgs.first().evaluate((i) => ({ w: i.naturalWidth, alt: i.alt, srcset: i.srcset, cur: i.currentSrc }));
  assert.ok(first.w > 0);
  assert.ok(first.alt.length > 0, 'image without alt text');
  assert.match(first.srcset, /\/media\/[0-9a-f]{64}\/w\d+\.jpg \d+w/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, 'gallery.png'), fullPage: true });

  await cards.first().locator('a').first().click();
  const dlg = page.locator('dialog.viewer[open]');
  await dlg.waitFor({ timeout: 10_000 });
  assert.match(await dlg.innerText(), /馆藏号/);
  assert.match(await dlg.innerText(), /复原画像/);
  // OpenSeadragon's 2D canvas must draw tiles fetched from /iiif/.
  await page.waitForFunction(
    () => {
      const c = document.querySelector('dialog.viewer .deepzoom canvas');
      if (!c || c.width === 0) return false;
      const ctx = c.getContext('2d');
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let lit = 0;
      for (let i = 0; i < d.length; i += 4 * 97) if (d[i + 3] > 0 && d[i] + d[i + 1] + d[i + 2] > 30) lit++;
      return lit > 50;
    },
    null,
    { timeout: 30_000 },
  );
  const ok = tiles.filter((t) => t.status === 200 && /^image\//.test(t.type ?? ''));
  assert.ok(ok.length > 0, `no image tiles from /iiif/: ${JSON.stringify(tiles.slice(0, 5))}`);
  // Zooming in asks the IIIF service for more detailed tiles.
  const before = tiles.length;
  await page.locator('.dz-controls button').first().click();
  await page.locator('.dz-controls button').first().click();
  await waitFor('tiles at a deeper zoom', async () => tiles.filter((t) => t.status === 200).length > before, 15_000, 200);
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'deepzoom.png') });
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
  assert.equal(await page.locator('dialog.viewer[open]').count(), 0, 'Escape did not close the viewer');
  log(`deep zoom drew ${ok.length} IIIF tile(s) at first, ${tiles.filter((t) => t.status === 200).length} after zooming in`);

  // Kiosk: no login, slideshow, large captions on a 1080p screen.
  const kctx = await context(null, { viewport: { width: 1920, height: 1080 } });
  const k = await kctx.newPage();
  await k.goto(`${base}/kiosk`);
  const slide = k.locator('figure.kiosk-slide');
  await slide.waitFor({ timeout: 15_000 });
  await k.waitForFunction(() => {
    const i = document.querySelector('figure.kiosk-slide img');
    return i && i.complete && i.naturalWidth > 0;
  });
  const cap1 = await slide.locator('.cap-zh').innerText();
  assert.equal(await k.locator('header.top').count(), 0, 'kiosk shows the site header');
  await k.screenshot({ path: join(out, 'kiosk-1080p.png') });
  await k.keyboard.press('ArrowRight');
  await k.waitForFunction((c) => document.querySelector('figure.kiosk-slide .cap-zh')?.textContent !== c, cap1);
  await kctx.close();

  // Phone layout of the gallery.
  const mctx = await context(null, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const m = await mctx.newPage();
  await m.goto(`${base}/gallery`);
  await m.locator('li.portrait-card img').first().waitFor();
  await m.waitForFunction(() => {
    const i = document.querySelector('li.portrait-card img');
    return i && i.complete && i.naturalWidth > 0;
  });
  await m.screenshot({ path: join(out, 'gallery-phone.png') });
  const overflow = await m.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `phone layout scrolls sideways by ${overflow}px`);
  await mctx.close();
  assert.deepEqual(errors, []);
  await ctx.close();
});

async function main() {
  const only = process.env.E2E_ONLY;
  const started = Date.now();
  let env;
  const results = [];
  try {
    env = await setup();
    for (const t of tests) {
      if (only && !t.name.includes(only)) continue;
      const t0 = Date.now();
      try {
        await t.fn(env);
        results.push({ name: t.name, ok: true, ms: Date.now() - t0 });
        log(`PASS ${t.name} (${Date.now() - t0} ms)`);
      } catch (e) {
        results.push({ name: t.name, ok: false, ms: Date.now() - t0, err: e });
        log(`FAIL ${t.name} (${Date.now() - t0} ms)\n${e?.stack ?? e}`);
      }
    }
  } catch (e) {
    log(`setup failed: ${e?.stack ?? e}`);
    results.push({ name: 'setup', ok: false, ms: 0, err: e });
  } finally {
    await browser?.close().catch(() => {});
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => {
        const h = setTimeout(() => {
          server.kill('SIGKILL');
          r();
        }, 15_000);
        server.once('exit', () => {
          clearTimeout(h);
          r();
        });
      });
    }
    writeFileSync(join(out, 'guigen-serve.log'), serverLog);
    rmSync(tmp, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok);
  log(`${results.length - failed.length} passed, ${failed.length} failed in ${Date.now() - started} ms; screenshots in ${out}`);
  if (failed.length) {
    log(`server log: ${join(out, 'guigen-serve.log')}`);
    process.exit(1);
  }
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server?.kill('SIGTERM');
    process.exit(130);
  });
}
await main();
