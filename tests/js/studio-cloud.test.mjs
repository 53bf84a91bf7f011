// `reel studio --api` against a real render node on loopback (`reel serve`), in Debian's
// chromium (docs/studio.md): node studio-cloud.test.mjs path/to/reel
// A chat line on the page goes to the node's agent (the page says which agent answered), the
// draft file becomes the session's draft (with the file's own media names), undo brings the
// file back byte for byte and the next turn works on the file as it is then (the session is
// given the local draft first); with the backend down the local agent answers and says why.
// A cloud Export shows progress before it ends, a cancelled one leaves no file, and the export
// downloads and plays.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checker, launchChromium, printed, request, serveLine, sleep, studioLine, testEnv, writeTestDraft } from './studio-support.mjs';

const reel = path.resolve(process.argv[2] || '../../build/release/reel');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reel-studio-cloud-test-'));
const { failures, check } = checker();
// 24 s: a cloud render long enough to be cancelled while it runs. Its text is a title (the
// agents' words for its look: "make the title yellow").
const { draftPath } = writeTestDraft(work, 8, 3);
const titled = JSON.parse(fs.readFileSync(draftPath, 'utf8'));
titled.t[1].sg[0].m.kind = 'title';
const originalText = JSON.stringify(titled, null, 2) + '\n';
fs.writeFileSync(draftPath, originalText);
const exportsDir = path.join(work, 'exports');
// Polls of the cloud render every 100-200 ms, so its progress shows at once.
const env = testEnv(work, { REEL_POLL_FIRST_MS: '100', REEL_POLL_MAX_MS: '200' });
const children = [];
process.on('exit', () => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); });
const start = (args, what, pattern) => {
  const child = spawn(reel, args, { env, cwd: work });
  children.push(child);
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  return { child, stderr: () => err, address: printed(child, pattern, what) };
};
const readDraft = () => JSON.parse(fs.readFileSync(draftPath, 'utf8'));
const textColor = (d) => d.t[1].sg[0].m.style?.color;
// The session's draft as `reel state --json` reads it (the studio's project: the same folder).
const sessionDraft = (api) => JSON.parse(execFileSync(reel, ['state', '--json', '--api', api], { env, cwd: work }).toString()).state.draft;
// The file's draft is the session's when they differ only in that the session names each
// uploaded photo and sound by its address (…/<random>-photo1.png) where the file names it.
function sameAsSession(file, session) {
  const a = JSON.parse(JSON.stringify(file)), b = JSON.parse(JSON.stringify(session));
  let mapped = 0;
  for (const [t, track] of a.t.entries())
    for (const [s, seg] of track.sg.entries()) {
      const theirs = b.t?.[t]?.sg?.[s];
      if (!seg.src || !theirs) continue;
      if (theirs.src !== seg.src && !(/^http:\/\/127\.0\.0\.1:\d+\//.test(theirs.src) && theirs.src.endsWith(`-${seg.src}`))) return false;
      mapped += theirs.src !== seg.src;
      delete seg.src;
      delete theirs.src;
    }
  return mapped > 0 && JSON.stringify(a) === JSON.stringify(b);
}

// Chat lines of at most 1 kB: a longer one is the node's refusal the page must show.
const node = start(['serve', '--listen', '127.0.0.1:0', '--data', path.join(work, 'node'), '--grace', '0', '-q',
  '--max-message-kb', '1'], 'reel serve', serveLine);
const api = (await node.address)[1];
const studio = start(['studio', draftPath, '--api', api, '--export-dir', exportsDir], 'reel studio --api', studioLine);
const m = await studio.address;
const to = { port: Number(m[2]) };
const auth = { 'X-Reel-Token': m[3], 'Content-Type': 'application/json' };
const jobs = async () => JSON.parse((await request(to, '/api/jobs', auth)).text).jobs;

const browser = await launchChromium(path.join(work, 'chromium'));
try {
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(m[1]);
  await page.waitForFunction(() => document.querySelector('#summary').textContent.startsWith('Timeline'));
  await page.waitForFunction(() => document.querySelector('#chat-with').textContent !== '');
  const chatWith = await page.textContent('#chat-with');
  check(chatWith === `Chat: the cloud agent at ${api} (the local agent when the cloud does not answer)`, `the page says who chats: ${chatWith}`);

  // A chat line goes to the node's agent; the file becomes the session's draft.
  const say = async (words) => {
    await page.evaluate(() => { document.querySelector('#agent-who').textContent = ''; });
    await page.fill('#chat-text', words);
    await page.press('#chat-text', 'Enter');
    await page.waitForFunction(() => document.querySelector('#agent-who').textContent !== '', null, { timeout: 30000 });
    return { who: await page.textContent('#agent-who'), agent: await page.getAttribute('#agent-who', 'data-agent'),
      said: await page.textContent('#agent') };
  };
  const yellow = await say('make the title yellow');
  const afterYellow = fs.readFileSync(draftPath, 'utf8');
  check(yellow.agent === 'cloud' && yellow.who === `answered by the cloud agent at ${api}` && yellow.said !== '',
    `a chat line goes to the node's agent, and the page says so: ${yellow.who}: ${yellow.said}`);
  check(textColor(readDraft()) === '#FFD400', `the agent's edit is in the draft file (the text's colour ${textColor(readDraft())})`);
  const session1 = sessionDraft(api);
  check(sameAsSession(readDraft(), session1), 'the draft file is the session\'s draft, with the file\'s own media names');

  // Undo is the file's: the draft as it was, byte for byte.
  await page.click('#undo');
  const undone = await page.waitForFunction(() => document.querySelector('#agent').textContent.startsWith('Undone'), null, { timeout: 20000 })
    .then(() => true, () => false);
  check(undone, `Undo answers (${await page.textContent('#agent')})`);
  check(fs.readFileSync(draftPath, 'utf8') === originalText, 'undo brings the file back byte for byte');

  // A local edit, then a chat line: the agent works on the file as it is now.
  await page.click('.seg[data-pointer="/t/0/sg/1"]');
  await page.waitForFunction(() => !document.querySelector('#segment').hidden);
  await page.selectOption('#f-kb', 'up');
  await page.click('#segment button[type=submit]');
  const formDone = await page.waitForFunction(() => document.querySelector('#agent').textContent.includes('/t/0/sg/1'), null, { timeout: 20000 })
    .then(() => true, () => false);
  check(formDone, `the form's edit is written (${await page.textContent('#agent')})`);
  const red = await say('make the title red');
  const now = readDraft();
  check(red.agent === 'cloud' && textColor(now) === '#FF3B30' && now.t[0].sg[1].m.kb === 'up' && sameAsSession(now, sessionDraft(api)),
    `after undo and a form edit, the next turn edits the file as it is (colour ${textColor(now)}, Ken Burns ${now.t[0].sg[1].m.kb}): ${red.said}`);
  check(afterYellow !== fs.readFileSync(draftPath, 'utf8'), 'the second turn wrote the file again');

  // The cloud refuses: the page says why, the local agent does not step in, the file stays.
  {
    const before = fs.readFileSync(draftPath, 'utf8');
    await page.fill('#chat-text', `make the title yellow ${'please '.repeat(200)}`);
    await page.press('#chat-text', 'Enter');
    await page.waitForFunction(() => document.querySelector('#agent').classList.contains('error-text'), null, { timeout: 30000 });
    const said = await page.textContent('#agent');
    check(said.startsWith(`the cloud agent at ${api} failed: `) && said.includes('this node takes at most 1024') &&
      said.endsWith('; the draft file was not changed') && fs.readFileSync(draftPath, 'utf8') === before,
      `a refusal of the cloud is shown and nothing is written: ${said}`);
  }

  // Export through the cloud: its progress shows before it ends; Cancel stops it, no file left.
  const exportJob = async () => JSON.parse((await request(to, '/api/jobs', auth, 'POST', JSON.stringify({ kind: 'export' }))).text);
  const watch = async (id, until) => {
    const seen = [];
    for (const deadline = Date.now() + 120000; Date.now() < deadline;) {
      const j = (await jobs()).find((x) => x.id === id);
      seen.push(j);
      if (until(j)) return { job: j, seen };
      await sleep(50);
    }
    return { job: { state: 'timed out' }, seen };
  };
  // Cancelled once the node renders (its progress from 10%), the page's bar showing it.
  await page.click('#export');
  await page.waitForFunction(() => document.querySelector('#jobs li[data-state="running"] progress')?.value >= 0.1,
    null, { timeout: 60000 }).catch(() => {});
  const barShown = await page.evaluate(() => document.querySelector('#jobs li[data-state="running"] progress')?.value ?? -1);
  const first = (await jobs()).at(-1);
  const running = await watch(first.id, (j) => j.state !== 'running' || (j.progress >= 0.1 && /^cloud render \d+%$/.test(j.message)));
  await page.click('#jobs li[data-state="running"] button');
  const cancelled = await watch(first.id, (j) => !['queued', 'running'].includes(j.state));
  await page.waitForSelector(`#jobs li[data-id="${first.id}"][data-state="cancelled"]`, { timeout: 10000 });
  const left = fs.existsSync(exportsDir) ? fs.readdirSync(exportsDir) : [];
  // The node's own records: its render stopped (every job so far, the drafts the chat gave
  // the session included, was cancelled; none was completed or still runs).
  const cancelledAt = Date.now();
  const nodeJobs = async () => {
    for (const deadline = Date.now() + 30000; Date.now() < deadline; await sleep(100)) {
      const jobsOnNode = Object.values(JSON.parse(fs.readFileSync(path.join(work, 'node', 'node.json'), 'utf8')).jobs || {});
      if (jobsOnNode.length && jobsOnNode.every((j) => j.status === 'cancelled')) return jobsOnNode;
    }
    return Object.values(JSON.parse(fs.readFileSync(path.join(work, 'node', 'node.json'), 'utf8')).jobs || {});
  };
  const onNode = await nodeJobs();
  check(onNode.length === 3 && onNode.every((j) => j.status === 'cancelled'),
    `the node's render was stopped: its jobs ${onNode.map((j) => j.status).join(', ')} (two drafts the chat gave the session, the export), ${Date.now() - cancelledAt} ms after the studio's job said cancelled`);
  check(running.job.state === 'running' && running.job.progress >= 0.1 && barShown >= 0.1 && cancelled.job.state === 'cancelled' &&
    cancelled.job.message === 'cancelled; no file was written' && left.length === 0,
    `Cancel stops a cloud export while the cloud renders (${running.job.message}, bar ${barShown}): ${cancelled.job.state}, ${left.length} files left`);

  const second = await exportJob();
  const done = await watch(second.id, (j) => !['queued', 'running'].includes(j.state));
  const progress = done.seen.filter((j) => j.state === 'running').map((j) => j.progress);
  check(done.job.state === 'done' && progress.some((p) => p > 0 && p < 1) && done.job.message.startsWith(`exported through ${api}`),
    `a cloud export shows its progress before it ends (${progress.length} polls, up to ${Math.max(0, ...progress).toFixed(2)}): ${done.job.message}`);
  const file = await request(to, done.job.download || '/none', auth);
  const saved = path.join(work, 'cloud.mp4');
  fs.writeFileSync(saved, file.bytes);
  const probe = file.status === 200 ? JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries',
    'format=duration:stream=codec_type,codec_name', '-of', 'json', saved]).toString()) : { format: {}, streams: [] };
  const streams = probe.streams.map((x) => `${x.codec_type}:${x.codec_name}`).join(' ');
  check(Math.abs(Number(probe.format.duration) - 24) < 0.1 && streams === 'video:h264 audio:aac',
    `the cloud's export downloads and plays: ${Number(probe.format.duration).toFixed(3)} s, ${streams}`);
  // The one error expected: the browser logs the refused chat line's 502.
  const unexpected = consoleErrors.filter((e) => e !== 'Failed to load resource: the server responded with a status of 502 (Bad Gateway)');
  check(unexpected.length === 0 && consoleErrors.length === 1, `no other console errors${unexpected.length ? ': ' + unexpected.join(' | ') : ''}`);
} finally {
  await browser.close();
}

// The backend down: the local agent answers, and says why.
{
  node.child.kill('SIGINT');
  await new Promise((r) => (node.child.exitCode === null ? node.child.on('exit', r) : r()));
  const before = fs.readFileSync(draftPath, 'utf8');
  const { revision } = JSON.parse((await request(to, '/api/draft', auth)).text);
  const t0 = Date.now();
  const r = await request(to, '/api/chat', auth, 'POST', JSON.stringify({ text: 'make the title white', revision }));
  const took = Date.now() - t0;
  const a = JSON.parse(r.text);
  check(r.status === 200 && a.agent === 'local' && a.changed && textColor(readDraft()) === '#FFFFFF' &&
    a.note.startsWith(`the cloud at ${api} did not answer (`) && a.note.endsWith('), so the local agent answered') && took < 10000,
    `with the backend down the local agent answers in ${took} ms: ${a.note}: ${a.message}`);
  check(before !== fs.readFileSync(draftPath, 'utf8'), 'and its edit is written');
}
studio.child.kill('SIGINT');
const code = await new Promise((r) => studio.child.on('exit', r));
check(code === 0, `the studio stops with exit 0 (${code})`);

if (failures.length === 0) fs.rmSync(work, { recursive: true, force: true });
else console.log(`the test's files are kept in ${work}; the studio said:\n${studio.stderr()}`);
console.log(failures.length ? `${failures.length} failed` : 'all passed');
process.exit(failures.length ? 1 : 0);
