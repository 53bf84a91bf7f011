// `reel studio` in Debian's chromium, driven by playwright-core (docs/studio.md):
// node studio.test.mjs path/to/reel
// Makes a draft of synthetic photos and a tone, starts the studio on it, and checks what a
// person would: the page loads with no console error, one thumbnail per photo, the frame shown
// after a seek is `reel still`'s (PSNR in the page), a chat edit changes the summary and the
// player and undo brings the draft back byte for byte, an edit on disk appears, requests
// without the token / from another origin / with a rebound Host are refused, and Export gives a
// playable file (ffprobe). Prints the figures (edit → changed frame, frames while dragging) and
// saves a screenshot (docs/studio.png when REEL_STUDIO_SCREENSHOT names it).
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checker, launchChromium, printed, request as requestTo, serveLine, sleep, studioLine, testEnv, writePng,
  writeTestDraft } from './studio-support.mjs';

const reel = path.resolve(process.argv[2] || '../../build/release/reel');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reel-studio-test-'));
const { failures, check } = checker();

const photos = 4, seconds = 1.5;
const { draftPath, text: originalText } = writeTestDraft(work, photos, seconds);

// ---- the studio -----------------------------------------------------------------------------

const env = testEnv(work);
const studio = spawn(reel, ['studio', draftPath, '--export-dir', path.join(work, 'exports')], { env });
process.on('exit', () => { if (studio.exitCode === null) studio.kill('SIGKILL'); });
let studioErr = '';
studio.stderr.on('data', (d) => { studioErr += d; });
const address = await printed(studio, studioLine, 'reel studio').then((m) => ({ url: m[1], port: Number(m[2]), token: m[3] }));
check(true, `reel studio printed ${address.url.replace(address.token, 'TOKEN')}`);
const origin = `http://127.0.0.1:${address.port}`;

// One raw request (node's http lets a test set Host and Origin as an attacker's page would).
const request = (pathname, headers = {}, method = 'GET', body = undefined, to = address) =>
  requestTo(to, pathname, headers, method, body);

// ---- safe by default ------------------------------------------------------------------------

{
  const none = await request('/api/draft');
  check(none.status === 401 && JSON.parse(none.text).error ===
    'reel studio refused the request: it carries no token; open the address `reel studio` printed (it ends with ?token=…)',
    `a request without the token is refused (${none.status}: ${none.text})`);
  const wrong = await request('/api/draft', { 'X-Reel-Token': '0'.repeat(32) });
  check(wrong.status === 403, `a wrong token is refused (${wrong.status})`);
  const page = await request('/', { 'X-Reel-Token': address.token });
  check(page.status === 200 && page.text.includes('<title>reel studio</title>'), 'the token opens the page');
  const other = await request('/api/draft', { 'X-Reel-Token': address.token, Origin: 'http://evil.example' });
  check(other.status === 403 && JSON.parse(other.text).error ===
    "reel studio refused the request: requests from the page 'http://evil.example' are not accepted; open the address reel printed",
    `a request from another origin is refused (${other.status}: ${other.text})`);
  const post = await request('/api/chat', { 'X-Reel-Token': address.token, Origin: 'http://evil.example',
    'Content-Type': 'application/json' }, 'POST', JSON.stringify({ text: 'no transitions', revision: 'x' }));
  check(post.status === 403 && fs.readFileSync(draftPath, 'utf8') === originalText,
    'an edit from another origin is refused and changes nothing');
  const rebound = await request('/api/draft', { 'X-Reel-Token': address.token, Host: `attacker.example:${address.port}` });
  check(rebound.status === 403 && JSON.parse(rebound.text).error ===
    `reel studio refused the request: the Host header 'attacker.example:${address.port}' is not this server's loopback address (DNS rebinding?)`,
    `a rebound Host is refused (${rebound.status}: ${rebound.text})`);
  const entry = await request(`/?token=${address.token}`);
  const cookie = String(entry.headers['set-cookie'] || '');
  check(entry.status === 302 && entry.headers.location === '/' && /HttpOnly/.test(cookie) && /SameSite=Strict/.test(cookie),
    `the printed address trades its token for an HttpOnly, SameSite=Strict cookie (${entry.status} ${cookie})`);
  const stale = await request('/api/chat', { 'X-Reel-Token': address.token, 'Content-Type': 'application/json' },
    'POST', JSON.stringify({ text: 'no transitions', revision: '0123456789abcdef' }));
  check(stale.status === 409 && fs.readFileSync(draftPath, 'utf8') === originalText,
    `an edit made on an older version is refused, not written (${stale.status})`);
}

// ---- the page -------------------------------------------------------------------------------

const browser = await launchChromium(path.join(work, 'chromium'));
const figures = {};
try {
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(address.url);
  check(page.url() === `${origin}/`, `the token leaves the address bar (${page.url()})`);
  await page.waitForFunction(() => document.querySelector('#summary').textContent.startsWith('Timeline'));
  const summary0 = await page.textContent('#summary');
  check(summary0 === 'Timeline (3 tracks): 1. Video: 4 photos (0-6s) 2. Text: "Hello studio" (0.2-1.5s) 3. BGM: tone (0-6s, 50%)',
    `the summary line: ${summary0}`);

  // One thumbnail per video segment, each a picture the engine made.
  await page.waitForFunction((n) => {
    const imgs = [...document.querySelectorAll('.lane.video img.thumb')];
    return imgs.length === n && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, photos, { timeout: 20000 });
  const thumbs = await page.$$eval('.lane.video img.thumb', (imgs) => imgs.map((i) => `${i.naturalWidth}x${i.naturalHeight}`));
  check(thumbs.length === photos && thumbs.every((t) => t === '192x108'), `one thumbnail per photo: ${thumbs.join(' ')}`);
  const cuts = await page.$$eval('.lane.video .cut', (c) => c.length);
  check(cuts === photos - 1, `the transitions are marked on the cuts (${cuts})`);
  await page.waitForFunction(() => document.querySelector('.lane.audio canvas')?.width > 50, null, { timeout: 10000 });
  const wave = await page.$eval('.lane.audio canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let lit = 0;
    for (let i = 3; i < d.length; i += 4) lit += d[i] > 0;
    return lit / (d.length / 4);
  });
  check(wave > 0.2 && wave < 0.95, `the music lane shows its waveform (${(wave * 100).toFixed(0)}% of it drawn)`);
  const words = await page.textContent('.lane.text .words');
  check(words === 'Hello studio', 'the text lane shows the words');

  // Seeks: the frame on screen is `reel still`'s at that time.
  const box = await page.$eval('#timeline', (t) => { const r = t.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  const frameShown = async () => page.evaluate(async () => {
    const f = document.querySelector('#frame');
    return { atMs: Number(f.dataset.atMs), hidden: f.hidden, revision: f.dataset.revision };
  });
  const psnrWithStill = async (atMs) => {
    const png = path.join(work, `still-${atMs}.png`);
    execFileSync(reel, ['still', draftPath, '--at', String(atMs / 1000), '--preset', 'preview', '-o', png], { env });
    const b64 = fs.readFileSync(png).toString('base64');
    return page.evaluate(async (b64) => {
      // Both decoded by chromium: the picture on screen, and reel still's PNG.
      const shown = document.querySelector('#frame');
      const still = new Image();
      still.src = `data:image/png;base64,${b64}`;
      await still.decode();
      const pixels = (img, w, h) => {
        const c = new OffscreenCanvas(w, h);
        const g = c.getContext('2d');
        g.drawImage(img, 0, 0);
        return g.getImageData(0, 0, w, h).data;
      };
      if (shown.width !== still.naturalWidth || shown.height !== still.naturalHeight) return { psnr: -1, size: `${shown.width}x${shown.height}` };
      const a = pixels(shown, shown.width, shown.height), b = pixels(still, still.naturalWidth, still.naturalHeight);
      let se = 0;
      for (let i = 0; i < a.length; i += 4) for (let c = 0; c < 3; c++) se += (a[i + c] - b[i + c]) ** 2;
      const mse = se / ((a.length / 4) * 3);
      return { psnr: mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse), size: `${shown.width}x${shown.height}` };
    }, b64);
  };
  for (const fraction of [0.08, 0.37, 0.61, 0.93]) {
    await page.mouse.click(box.x + box.w * fraction, box.y + box.h - 6);
    const want = Math.round(fraction * 6000);
    await page.waitForFunction((want) => {
      const f = document.querySelector('#frame');
      return !f.hidden && Math.abs(Number(f.dataset.atMs) - want) <= 60 && f.dataset.shown === 'yes';
    }, want, { timeout: 10000 });
    const shown = await frameShown();
    const { psnr, size } = await psnrWithStill(shown.atMs);
    check(psnr >= 40, `seek to ${shown.atMs} ms: the frame shown (${size}) equals \`reel still --at ${shown.atMs / 1000}\` (PSNR ${psnr} dB)`);
  }
  const clock = await page.textContent('#clock');
  check(/^00:05\.\d{3} · frame \d+ of 150 · 25 fps$/.test(clock), `the time readout in the draft's frame clock: ${clock}`);

  // Frame steps move by exactly one frame of the draft's clock.
  const before = (await frameShown()).atMs;
  await page.click('#step-forward');
  await page.waitForFunction((b) => Number(document.querySelector('#frame').dataset.atMs) === b + 40, before, { timeout: 5000 }).catch(() => {});
  check((await frameShown()).atMs === before + 40, `a frame step forward moves 40 ms at 25 fps (${before} → ${(await frameShown()).atMs})`);

  // Dragging: each still the engine makes while the pointer moves, measured from its request.
  await page.evaluate(() => { Object.assign(window.studioMetrics, { dragFrameMs: [], dragServerMs: [], dragBytesMs: [], dragShownAt: [] }); });
  await page.mouse.move(box.x + box.w * 0.05, box.y + box.h - 6);
  await page.mouse.down();
  for (let i = 0; i <= 30; i++) {
    await page.mouse.move(box.x + box.w * (0.05 + 0.9 * (i / 30)), box.y + box.h - 6);
    await sleep(40);
  }
  await page.mouse.up();
  await sleep(500);
  const m = await page.evaluate(() => window.studioMetrics);
  const sorted = (a) => [...a].sort((x, y) => x - y);
  const stats = (a) => { const s = sorted(a); return `median ${s[Math.floor(s.length / 2)]?.toFixed(0)} ms, 90th percentile ${s[Math.floor(s.length * 0.9)]?.toFixed(0)} ms, worst ${s.at(-1)?.toFixed(0)} ms`; };
  const drag = m.dragFrameMs;
  const gaps = m.dragShownAt.slice(1).map((t, i) => t - m.dragShownAt[i]);
  console.log(`figure: seek while dragging at 960x540, ${drag.length} frames shown: from the pointer's move to the frame on screen ${stats(drag)}; the engine's part ${stats(m.dragServerMs)}; its bytes in the page ${stats(m.dragBytesMs)}; between frames shown ${stats(gaps)}`);
  console.log(`figure: each frame while dragging, in order (ms): ${drag.map((x) => x.toFixed(0)).join(', ')}`);
  check(drag.length >= 5, `frames are shown while dragging (${drag.length})`);

  // The player: the preview video plays.
  await page.waitForFunction(() => document.querySelector('#video').readyState >= 2, null, { timeout: 60000 });
  const videoSrc0 = await page.$eval('#video', (v) => v.src);
  await page.mouse.click(box.x + box.w * 0.1, box.y + box.h - 6);
  await page.click('#play');
  await sleep(700);
  const played = await page.$eval('#video', (v) => ({ t: v.currentTime, paused: v.paused, hidden: document.querySelector('#frame').hidden }));
  await page.click('#play');
  check(played.t > 0 && !played.paused && played.hidden, `the preview plays (${played.t.toFixed(2)} s in)`);

  // A one-segment change through the form: the changed frame on screen, timed, with the
  // studio's part of it (the edit's answer, the still's) from their Server-Timing headers.
  const editFrames = [], editServer = [], editStill = [];
  for (const [i, kb] of [[1, 'up'], [2, 'down'], [3, 'left'], [1, 'right'], [2, 'in'], [3, 'up']]) {
    await page.click(`.seg[data-pointer="/t/0/sg/${i}"]`);
    await page.waitForFunction(() => !document.querySelector('#segment').hidden);
    await page.waitForFunction(() => !document.querySelector('#frame').hidden && document.querySelector('#frame').dataset.shown === 'yes');
    await sleep(300);
    const rev = await page.evaluate(() => window.studioMetricsRevision = document.querySelector('#frame').dataset.revision);
    await page.selectOption('#f-kb', kb);
    await page.evaluate(() => { window.studioMetrics.editToFrameMs = []; performance.clearResourceTimings(); });
    await page.click('#segment button[type=submit]');
    await page.waitForFunction((rev) => window.studioMetrics.editToFrameMs.length > 0 &&
      document.querySelector('#frame').dataset.revision !== rev, rev, { timeout: 10000 });
    const { total, server, still } = await page.evaluate(() => {
      const entries = performance.getEntriesByType('resource');
      const dur = (re) => entries.filter((e) => re.test(e.name)).map((e) => e.serverTiming?.[0]?.duration ?? NaN)[0];
      return { total: window.studioMetrics.editToFrameMs[0], server: dur(/\/api\/segment$/),
        still: dur(new RegExp(`/api/still\\?.*rev=${document.querySelector('#frame').dataset.revision}`)) };
    });
    editFrames.push(total);
    editServer.push(server);
    editStill.push(still);
  }
  figures.edit = editFrames;
  console.log(`figure: edit (Ken Burns of one photo) → the changed frame on screen, ${editFrames.length} edits: ${editFrames.map((t) => t.toFixed(0)).join(', ')} ms (${stats(editFrames)}); the studio's answer to the edit ${stats(editServer)}; the still of the new version ${stats(editStill)}`);
  const editMedian = [...editFrames].sort((x, y) => x - y)[Math.floor(editFrames.length / 2)];
  // Printed, not asserted: the bar is the issue's for a studio that has the cores, and CI
  // machines are shared (docs/studio.md, Measured).
  console.log(`figure: the issue's 300 ms for an edit's frame: ${editMedian <= 300 ? 'met' : 'NOT met'} by the median (${editMedian.toFixed(0)} ms)`);
  const kbNow = JSON.parse(fs.readFileSync(draftPath, 'utf8')).t[0].sg.map((s) => s.m.kb);
  check(kbNow.join(' ') === 'in right in up', `the form wrote the draft file (${kbNow.join(' ')})`);
  const afterForm = fs.readFileSync(draftPath, 'utf8');

  // A chat edit changes the summary and the player; undo brings the draft back.
  await page.fill('#chat-text', 'make photo 2 longer');
  await page.press('#chat-text', 'Enter');
  await page.waitForFunction((s) => document.querySelector('#summary').textContent !== s, summary0, { timeout: 10000 });
  const summary1 = await page.textContent('#summary');
  const agentSaid = await page.textContent('#agent');
  check(summary1 !== summary0 && /Video: 4 photos \(0-[\d.]+s\)/.test(summary1) && !summary1.includes('(0-6s)'),
    `a chat edit changes the summary: ${summary1} (the agent: ${agentSaid})`);
  const revision1 = await page.evaluate(() => window.__rev = document.querySelector('#frame').dataset.revision);
  await page.waitForFunction(() => {
    const v = document.querySelector('#video');
    return v.readyState >= 1 && Math.abs(v.duration - (document.querySelector('#summary').textContent.match(/Video: 4 photos \(0-([\d.]+)s\)/)?.[1] ?? 0)) < 0.1;
  }, null, { timeout: 60000 });
  const videoSrc1 = await page.$eval('#video', (v) => ({ src: v.src, d: v.duration }));
  check(videoSrc1.src !== videoSrc0, `the player shows the edited preview (${videoSrc1.d.toFixed(2)} s long)`);
  {
    // The first part, offered while the rest renders, is a playable MP4 of the first chunk.
    const auth = { 'X-Reel-Token': address.token };
    const p = JSON.parse((await request('/api/preview', auth)).text);
    const first = await request(p.first || '/none', auth);
    const ranged = await request(p.video || '/none', { ...auth, Range: 'bytes=0-99' });
    const file = path.join(work, 'first.mp4');
    fs.writeFileSync(file, first.bytes);
    const probe = first.status === 200 ? JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries',
      'format=duration:stream=codec_type,codec_name', '-of', 'json', file]).toString()) : { format: {}, streams: [] };
    const seconds = Number(probe.format.duration);
    check(p.state === 'ready' && first.status === 200 && seconds > 0.2 && seconds < videoSrc1.d - 1 &&
      probe.streams.map((x) => x.codec_name).join() === 'h264',
      `the preview's first part plays alone: ${seconds.toFixed(2)} s of h264 (of ${videoSrc1.d.toFixed(2)} s; ${p.chunks} chunks, ${p.chunks_rendered} rendered for this edit)`);
    check(ranged.status === 206 && ranged.bytes.length === 100 && /^bytes 0-99\//.test(ranged.headers['content-range']),
      `the preview is served with Range for <video> (${ranged.status}, ${ranged.headers['content-range']})`);
  }
  await page.click('#undo');
  await page.waitForFunction((s) => document.querySelector('#summary').textContent === s, summary0, { timeout: 10000 });
  check(fs.readFileSync(draftPath, 'utf8') === afterForm, 'undo brings back the draft as it was, byte for byte');
  check((await page.textContent('#summary')) === summary0, 'undo brings back the summary');
  check(revision1 !== '', 'the frame followed the chat edit');

  // An edit made on disk (an editor, another tool) appears within a second.
  const onDisk = JSON.parse(afterForm);
  onDisk.t[1].sg[0].m.text = 'Changed on disk';
  const t0 = Date.now();
  fs.writeFileSync(draftPath + '.tmp', JSON.stringify(onDisk, null, 2) + '\n');
  fs.renameSync(draftPath + '.tmp', draftPath);
  await page.waitForFunction(() => document.querySelector('.lane.text .words')?.textContent === 'Changed on disk', null, { timeout: 5000 });
  const appeared = Date.now() - t0;
  figures.disk = appeared;
  console.log(`figure: an edit on disk appears on the page after ${appeared} ms`);
  check(appeared <= 1000, `an edit on disk appears within a second (${appeared} ms)`);

  // Problems are live and link to their segment.
  const broken = JSON.parse(JSON.stringify(onDisk));
  broken.t[0].sg[2].m.tr = { type: 'fadee', d: 400 };
  fs.writeFileSync(draftPath, JSON.stringify(broken, null, 2) + '\n');
  await page.waitForFunction(() => [...document.querySelectorAll('#problems li.error')].some((l) => l.textContent.includes('fadee')), null, { timeout: 5000 });
  await page.click('#problems li.error');
  const selected = await page.$eval('.seg.selected', (s) => s.dataset.pointer);
  check(selected === '/t/0/sg/2', `a problem links to its segment (${selected})`);
  fs.writeFileSync(draftPath, JSON.stringify(onDisk, null, 2) + '\n');
  await page.waitForFunction(() => document.querySelectorAll('#problems li.error').length === 0, null, { timeout: 5000 });

  // Export (no cloud configured: the local engine) gives a playable file, offered for download.
  await page.click('#export');
  await page.waitForSelector('#jobs li[data-state="done"] a', { timeout: 90000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#jobs li[data-state="done"] a')]);
  const saved = path.join(work, 'downloaded.mp4');
  await download.saveAs(saved);
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name,width,height',
    '-of', 'json', saved]).toString());
  const streams = probe.streams.map((s) => `${s.codec_type}:${s.codec_name}${s.width ? `:${s.width}x${s.height}` : ''}`).join(' ');
  const duration = Number(probe.format.duration);
  check(Math.abs(duration - 6) < 0.1 && streams === 'video:h264:960x540 audio:aac',
    `the export is playable: ${duration.toFixed(3)} s, ${streams}`);
  const jobText = await page.textContent('#jobs li[data-state="done"]');
  check(jobText.includes('no cloud is configured'), `the export says it rendered here: ${jobText}`);
  const bench = await (async () => { await page.click('#bench'); await page.waitForFunction(() => !document.querySelector('#bench-out').textContent.startsWith('benching')); return page.textContent('#bench-out'); })();
  check(bench.startsWith('offline: no cloud is configured'), `bench offline says so: ${bench}`);

  // Render (the local final) in a queue: one cancelled while it runs, one while it waits.
  {
    const auth = { 'X-Reel-Token': address.token, 'Content-Type': 'application/json' };
    const add = async () => JSON.parse((await request('/api/jobs', auth, 'POST', JSON.stringify({ kind: 'render' }))).text);
    const jobs = async () => JSON.parse((await request('/api/jobs', auth)).text).jobs;
    const until = async (id, states) => {
      for (let i = 0; i < 1200; i++) {
        const j = (await jobs()).find((x) => x.id === id);
        if (states.includes(j.state)) return j;
        await sleep(25);
      }
      return { state: 'timed out' };
    };
    // The export's chunks would make these renders instant: they start from nothing.
    fs.rmSync(path.join(work, 'cache', 'reel', 'chunks'), { recursive: true, force: true });
    const first = await add();
    const running = await until(first.id, ['running', 'done']);
    const cancelRunning = await request(`/api/jobs/${first.id}/cancel`, auth, 'POST', '{}');
    const a = await until(first.id, ['cancelled', 'done', 'failed']);
    fs.rmSync(path.join(work, 'cache', 'reel', 'chunks'), { recursive: true, force: true });
    const second = await add(), third = await add();
    const queued = await request(`/api/jobs/${third.id}/cancel`, auth, 'POST', '{}');
    const [b, c] = [await until(second.id, ['done', 'failed']), await until(third.id, ['cancelled', 'done', 'failed'])];
    const names = fs.readdirSync(path.join(work, 'exports')).sort();
    check(running.state === 'running' && cancelRunning.status === 200 && a.state === 'cancelled' &&
      a.message === 'cancelled; no file was written' && queued.status === 200 && b.state === 'done' &&
      c.state === 'cancelled' && c.message === 'cancelled before it started' &&
      names.join(' ') === `draft-export-1.mp4 draft-render-${second.id}.mp4`,
      `Render queues, and Cancel stops a running and a queued job with no file left: ${a.state}, ${b.state}, ${c.state} (${names.join(' ')})`);
    const file = path.join(work, 'exports', `draft-render-${second.id}.mp4`);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', file]).toString());
    check(Math.abs(Number(probe.format.duration) - 6) < 0.1, `the render is the local final: ${probe.format.duration} s (${b.message})`);
  }

  // The screenshot for docs/studio.md, the playhead on the second photo.
  await page.mouse.click(box.x + box.w * 0.4, box.y + box.h - 6);
  await page.waitForFunction(() => !document.querySelector('#frame').hidden && document.querySelector('#frame').dataset.shown === 'yes');
  await page.click('.seg[data-pointer="/t/0/sg/1"]');
  await page.evaluate(() => window.scrollTo(0, 0));
  await sleep(800);
  // Into the test's own folder; REEL_STUDIO_SCREENSHOT=docs/studio.png refreshes the docs' copy.
  await page.screenshot({ path: process.env.REEL_STUDIO_SCREENSHOT || path.join(work, 'studio.png') });
  check(consoleErrors.length === 0, `no console errors${consoleErrors.length ? ': ' + consoleErrors.join(' | ') : ''}`);

  // Ctrl-C ends the studio cleanly and at once, the page still open (its change feed waiting).
  const stopped = Date.now();
  studio.kill('SIGINT');
  const code = await new Promise((r) => studio.on('exit', (c) => r(c)));
  const took = Date.now() - stopped;
  check(code === 0 && studioErr.includes('reel: studio stopped') && took < 3000,
    `Ctrl-C stops the studio with exit 0 in ${took} ms, a page open`);
} finally {
  await browser.close();
}

// ---- with a cloud: a render node on loopback ----------------------------------------------

{
  const node = spawn(reel, ['serve', '--listen', '127.0.0.1:0', '--data', path.join(work, 'node'), '--grace', '0', '-q'], { env });
  const cloudStudio = { child: null };
  process.on('exit', () => { for (const c of [node, cloudStudio.child]) if (c && c.exitCode === null) c.kill('SIGKILL'); });
  try {
    const api = (await printed(node, serveLine, 'reel serve'))[1];
    cloudStudio.child = spawn(reel, ['studio', draftPath, '--api', api, '--export-dir', path.join(work, 'cloud-exports')], { env });
    const m = await printed(cloudStudio.child, studioLine, 'reel studio --api');
    const to = { port: Number(m[2]) };
    const auth = { 'X-Reel-Token': m[3], 'Content-Type': 'application/json' };
    const job = async (id) => {
      for (let i = 0; i < 600; i++) {
        const { jobs } = JSON.parse((await request('/api/jobs', auth, 'GET', undefined, to)).text);
        const j = jobs.find((x) => x.id === id);
        if (j && !['queued', 'running'].includes(j.state)) return j;
        await sleep(250);
      }
      return { state: 'timed out' };
    };
    // A second studio on a port in use says so (exit 6) rather than sharing it.
    const twin = spawnSync(reel, ['studio', draftPath, '--port', String(to.port)], { env, timeout: 10000 });
    check(twin.status === 6 && String(twin.stderr).includes(`cannot listen on 127.0.0.1:${to.port} (in use?)`),
      `a studio on a port in use is refused (${twin.status}: ${String(twin.stderr).trim()})`);
    const exported = JSON.parse((await request('/api/jobs', auth, 'POST', JSON.stringify({ kind: 'export' }), to)).text);
    const done = await job(exported.id);
    check(done.state === 'done' && done.message.startsWith(`exported through ${api}`), `Export goes through the cloud: ${done.state}: ${done.message}`);
    const file = await request(done.download || '/none', auth, 'GET', undefined, to);
    const saved = path.join(work, 'cloud.mp4');
    fs.writeFileSync(saved, file.bytes);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name',
      '-of', 'json', saved]).toString());
    const streams = probe.streams.map((x) => `${x.codec_type}:${x.codec_name}`).join(' ');
    check(file.status === 200 && Math.abs(Number(probe.format.duration) - 6) < 0.1 && streams === 'video:h264 audio:aac',
      `the cloud's export downloads and plays: ${Number(probe.format.duration).toFixed(3)} s, ${streams}`);
    const bench = JSON.parse((await request('/api/bench', auth, 'POST', '{}', to)).text);
    const benched = bench.job ? await job(bench.job.id) : { state: 'not started', message: bench.message };
    const psnr = /PSNR local final vs cloud final: (inf|[\d.]+)/.exec(benched.message || '');
    check(benched.state === 'done' && /local final/.test(benched.message) && /cloud final/.test(benched.message) && psnr,
      `Bench with a cloud: local and cloud times and the PSNR between them:\n${benched.message}`);
  } finally {
    if (cloudStudio.child) cloudStudio.child.kill('SIGINT');
    node.kill('SIGINT');
  }
}
// ---- from photos: reel make's draft beside them, never over a file ------------------------

{
  const photosDir = path.join(work, 'from-photos');
  fs.mkdirSync(photosDir);
  for (let i = 0; i < 2; i++) writePng(path.join(photosDir, `p${i + 1}.png`), 400, 300, i);
  for (const name of ['reel-studio.json', 'reel-studio-2.json']) {
    const child = spawn(reel, ['studio', path.join(photosDir, 'p1.png'), path.join(photosDir, 'p2.png')], { env });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    try {
      const m = await printed(child, studioLine, 'reel studio PHOTOS');
      const d = JSON.parse((await request('/api/draft', { 'X-Reel-Token': m[3] }, 'GET', undefined, { port: Number(m[2]) })).text);
      check(d.path === path.join(photosDir, name) && d.timeline.tracks[0].segments.length === 2 &&
        d.timeline.tracks[0].segments.every((x, i) => x.source === `p${i + 1}.png`) && err.includes(`the studio edits the new draft ${d.path}`),
        `reel studio PHOTOS starts from reel make's draft, written to ${path.basename(d.path)}: ${d.summary}`);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.on('exit', r));
    }
  }
}

if (failures.length === 0) fs.rmSync(work, { recursive: true, force: true });
else console.log(`the test's files are kept in ${work}; the studio said:\n${studioErr}`);
console.log(failures.length ? `${failures.length} failed` : 'all passed');
process.exit(failures.length ? 1 : 0);
