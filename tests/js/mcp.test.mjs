// reel mcp through the official TypeScript SDK's client, over stdio and Streamable HTTP:
// every tool called, every structuredContent checked against its outputSchema (ajv, JSON
// Schema 2020-12), a frame compared with `reel still`, progress during a render, a render
// cancelled mid-way, a stale edit refused, paths outside the root refused; the HTTP server's
// Host/Origin and token checks. Prints the figures the issue asks for.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { decodePng, makeRoot, probe, serverEnv, startHttp, startNode, step } from './mcp-support.mjs';

const reel = path.resolve(process.argv[2]);
const { top, root, show } = makeRoot();
const env = serverEnv(top);
const figures = {};
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validators = new Map();
const toolNames = ['validate_draft', 'summarize_draft', 'edit_draft', 'undo_edit', 'get_frame', 'review_frames',
                   'focus', 'render_preview', 'render_final', 'export', 'bench'];

function conforms(name, result) {
  assert.equal(result.isError, false, `${name} failed: ${JSON.stringify(result.content?.[0])}`);
  const check = validators.get(name);
  assert.ok(result.structuredContent, `${name} gave no structuredContent`);
  assert.ok(check(result.structuredContent), `${name}: ${ajv.errorsText(check.errors)}`);
  // The same JSON as a text block.
  const text = result.content.find((c) => c.type === 'text');
  assert.deepEqual(JSON.parse(text.text), result.structuredContent);
  return result.structuredContent;
}

function errorText(result) {
  assert.equal(result.isError, true, 'expected a tool error, got ' + JSON.stringify(result.structuredContent));
  return result.content.map((c) => c.text || '').join('\n');
}

// Every message the server sends, seen before the SDK handles it (for the cancelled call's
// answer, which the SDK drops once it has given up on the request).
function watch(transport) {
  const seen = [];
  const sent = [];
  const onmessage = transport.onmessage;
  transport.onmessage = (m, extra) => {
    seen.push({ at: performance.now(), m });
    onmessage?.(m, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = (m, o) => {
    sent.push(m);
    return send(m, o);
  };
  return { seen, sent };
}

async function tools(client) {
  const list = await client.listTools();
  assert.deepEqual(list.tools.map((t) => t.name), toolNames);
  for (const t of list.tools) {
    assert.ok(t.description.length > 80, `${t.name} has a short description`);
    assert.equal(t.inputSchema.type, 'object');
    assert.ok(t.outputSchema, `${t.name} has no outputSchema`);
    validators.set(t.name, ajv.compile(t.outputSchema));
  }
}

const stdio = new StdioClientTransport({ command: reel, args: ['mcp', '--root', root], env, stderr: 'pipe' });
let serverLog = '';
stdio.stderr?.on('data', (d) => { serverLog += d; });
const client = new Client({ name: 'reel-test', version: '1.0.0' });

try {
  await step('stdio: initialize and list the tools with their schemas', async () => {
    await client.connect(stdio);
    assert.equal(client.getServerVersion().name, 'reel');
    await tools(client);
  });
  const spy = watch(stdio);

  let hash;
  await step('validate_draft and summarize_draft', async () => {
    const v = conforms('validate_draft', await client.callTool({ name: 'validate_draft', arguments: { draft: 'show/demo.json' } }));
    assert.equal(v.ok, true);
    assert.equal(v.errors, 0);
    const bad = conforms('validate_draft', await client.callTool({
      name: 'validate_draft', arguments: { draft_json: { t: [{ tt: 0, sg: [{ s: 0, d: -5, src: 'x.jpg' }] }] } } }));
    assert.equal(bad.ok, false);
    assert.ok(bad.problems.some((p) => p.path.startsWith('/t/0/sg/0') && p.severity === 'error'), JSON.stringify(bad));
    const s = conforms('summarize_draft', await client.callTool({ name: 'summarize_draft', arguments: { draft: 'show/demo.json' } }));
    assert.match(s.summary, /^Timeline \(2 tracks\): 1\. Video: generated pictures \(0-15s\)/);
    assert.equal(s.duration_ms, 15000);
    hash = s.hash;
    assert.equal(hash, v.hash);
  });

  await step('get_frame at 960 wide equals `reel still` at that time, pixel for pixel', async () => {
    const t0 = performance.now();
    const r = await client.callTool({ name: 'get_frame', arguments: { draft: 'show/demo.json', ms: 4200, width: 960, format: 'png' } });
    figures.get_frame_960_ms = Math.round(performance.now() - t0);
    const s = conforms('get_frame', r);
    const t1 = performance.now();
    const again = conforms('get_frame', await client.callTool({ name: 'get_frame', arguments: { draft: 'show/demo.json', ms: 4200, width: 960, format: 'png' } }));
    figures.get_frame_960_again_ms = Math.round(performance.now() - t1);
    assert.equal(again.pixel_hash, s.pixel_hash, 'the same draft and frame give the same hash');
    assert.equal(s.frame, Math.floor(4200 / 1000 * 30));
    assert.deepEqual([s.width, s.height, s.mime], [960, 540, 'image/png']);
    const image = r.content.find((c) => c.type === 'image');
    const mine = decodePng(Buffer.from(image.data, 'base64'));
    const still = path.join(top, 'still.png');
    const run = spawnSync(reel, ['still', path.join(show, 'demo.json'), '--at', String(s.time_ms / 1000), '--size', '960x540', '-o', still], { env, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const theirs = decodePng(fs.readFileSync(still));
    assert.deepEqual([mine.width, mine.height], [theirs.width, theirs.height]);
    assert.ok(mine.pixels.equals(theirs.pixels), 'get_frame and reel still differ');
    // The same frame by index, and as JPEG: the same pixels, so the same hash.
    const byIndex = conforms('get_frame', await client.callTool({ name: 'get_frame', arguments: { draft: 'show/demo.json', frame: s.frame, width: 960, format: 'jpeg' } }));
    assert.equal(byIndex.pixel_hash, s.pixel_hash);
    assert.equal(byIndex.mime, 'image/jpeg');
    const other = conforms('get_frame', await client.callTool({ name: 'get_frame', arguments: { draft: 'show/demo.json', frame: s.frame + 90, width: 960 } }));
    assert.notEqual(other.pixel_hash, s.pixel_hash);
    // A tall draft's image keeps within the limit on its long side too (it was 16 x 65536).
    const tall = { m: { width: 2, height: 8192 }, t: [{ tt: 7, sg: [{ s: 0, d: 1000, m: { text: 'I' } }] }] };
    const thin = conforms('get_frame', await client.callTool({ name: 'get_frame', arguments: { draft_json: tall, width: 16 } }));
    assert.deepEqual([thin.width, thin.height], [2, 3840]);
    const past = errorText(await client.callTool({ name: 'get_frame', arguments: { draft: 'show/demo.json', frame: 450 } }));
    assert.match(past, /frame 450 is past the end of the draft: it has 450 frames \(0 to 449\)/);
  });

  await step('review_frames: segment middles and transition middles; or the storyboard', async () => {
    const r = await client.callTool({ name: 'review_frames', arguments: { draft: 'show/demo.json' } });
    const s = conforms('review_frames', r);
    // 5 photos of 3 s (middles at 1.5, 4.5 … s) and 4 transitions on the cuts at 3, 6, 9, 12 s.
    assert.deepEqual(s.frames.map((f) => f.frame), [45, 90, 135, 180, 225, 270, 315, 360, 405]);
    assert.equal(r.content.filter((c) => c.type === 'image').length, 9);
    const few = conforms('review_frames', await client.callTool({ name: 'review_frames', arguments: { draft: 'show/demo.json', max_frames: 3 } }));
    assert.equal(few.frames.length, 3);
    // One frame is the middle moment (it once divided by zero and killed the server).
    const one = conforms('review_frames', await client.callTool({ name: 'review_frames', arguments: { draft: 'show/demo.json', max_frames: 1 } }));
    assert.deepEqual(one.frames.map((f) => f.frame), [225]);
    // A draft of text only shows its texts (it once returned no frame and no word why).
    const words = { t: [{ tt: 7, sg: [{ s: 0, d: 2000, m: { text: 'Hello' } }, { s: 2000, d: 2000, m: { text: 'Bye' } }] }] };
    const texts = conforms('review_frames', await client.callTool({ name: 'review_frames', arguments: { draft_json: words } }));
    assert.deepEqual(texts.frames.map((f) => [f.frame, f.why]), [[30, 'the middle of /t/0/sg/0'], [90, 'the middle of /t/0/sg/1']]);
    const board = await client.callTool({ name: 'review_frames', arguments: { draft: 'show/demo.json', mode: 'storyboard' } });
    assert.equal(conforms('review_frames', board).mode, 'storyboard');
    const png = decodePng(Buffer.from(board.content.find((c) => c.type === 'image').data, 'base64'));
    assert.ok(png.width >= 400, 'a storyboard ' + png.width + ' wide');
  });

  await step('focus: a box for every photo', async () => {
    const s = conforms('focus', await client.callTool({ name: 'focus', arguments: { draft: 'show/demo.json' } }));
    assert.deepEqual(s.segments.map((x) => x.path), ['/t/0/sg/0', '/t/0/sg/1', '/t/0/sg/2', '/t/0/sg/3', '/t/0/sg/4']);
    assert.ok(s.segments.every((x) => x.from === 'faces' || x.from === 'saliency'));
  });

  await step('edit_draft: a stale hash is refused with the current one; words, JSON Patch, undo', async () => {
    const file = path.join(show, 'demo.json');
    const original = fs.readFileSync(file, 'utf8');
    const stale = errorText(await client.callTool({ name: 'edit_draft', arguments: { draft: 'show/demo.json', expected_hash: '0123456789abcdef', instruction: 'remove the third photo' } }));
    assert.match(stale, new RegExp(`changed since you read it .*its current hash is ${hash}`));
    assert.equal(fs.readFileSync(file, 'utf8'), original);
    const e = conforms('edit_draft', await client.callTool({ name: 'edit_draft', arguments: { draft: 'show/demo.json', expected_hash: hash, instruction: 'remove the third photo' } }));
    assert.equal(e.changed, true);
    assert.match(e.message, /Removed photo 3/);
    assert.deepEqual(e.pointers.removed, ['/t/0/sg/2']);  // p3, by its id
    assert.match(e.summary, /Video: generated pictures \(0-12s\)/);
    assert.notEqual(e.hash, hash);
    const p = conforms('edit_draft', await client.callTool({ name: 'edit_draft', arguments: { draft: 'show/demo.json', expected_hash: e.hash, edits: [{ op: 'replace', path: '/m/title', value: 'Lisbon' }] } }));
    assert.equal(p.changed, true);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).m.title, 'Lisbon');
    const broken = errorText(await client.callTool({ name: 'edit_draft', arguments: { draft: 'show/demo.json', expected_hash: p.hash, edits: [{ op: 'replace', path: '/t/0/sg/0/d', value: -1 }] } }));
    assert.match(broken, /the edits would leave the draft with errors; nothing was changed/);
    // An edit that cannot be applied is named by its place, op and path, in words.
    const missing = errorText(await client.callTool({ name: 'edit_draft', arguments: { draft: 'show/demo.json', expected_hash: p.hash, edits: [
      { op: 'replace', path: '/m/title', value: 'Faro' }, { op: 'replace', path: '/t/0/sg/9/d', value: 1000 }] } }));
    assert.equal(missing, 'reel: edit 2 of 2 (replace /t/0/sg/9/d) cannot be applied: array index 9 is out of range; nothing was changed');
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).m.title, 'Lisbon', 'no edit of a failed patch is kept');
    // "撤销" (undo) in words takes the history's step, as reel chat does; then undo_edit.
    const back = conforms('edit_draft', await client.callTool({ name: 'edit_draft', arguments: { draft: 'show/demo.json', expected_hash: p.hash, instruction: '撤销' } }));
    assert.deepEqual([back.changed, back.hash], [true, e.hash]);
    assert.match(back.message, /^Undone \(1 more to undo, 1 to redo\)/);
    const u = conforms('undo_edit', await client.callTool({ name: 'undo_edit', arguments: { draft: 'show/demo.json' } }));
    assert.equal(u.hash, hash);
    assert.equal(fs.readFileSync(file, 'utf8'), original, 'two undos give the file back byte for byte');
    const none = conforms('undo_edit', await client.callTool({ name: 'undo_edit', arguments: { draft: 'show/demo.json' } }));
    assert.equal(none.done, false);
  });

  await step('edit_draft and undo_edit on an inline draft: the edited draft comes back, undo gives the one before', async () => {
    const file = path.join(show, 'demo.json');
    const original = fs.readFileSync(file, 'utf8');
    const start = JSON.parse(original);
    const e = conforms('edit_draft', await client.callTool({ name: 'edit_draft', arguments: { draft_json: start, instruction: 'remove the third photo' } }));
    assert.equal(e.changed, true);
    assert.match(e.message, /Removed photo 3/);
    assert.equal(e.draft_json.t[0].sg.length, start.t[0].sg.length - 1);
    const p = conforms('edit_draft', await client.callTool({ name: 'edit_draft', arguments: { draft_json: e.draft_json, expected_hash: e.hash, edits: [{ op: 'replace', path: '/m/title', value: 'Porto' }] } }));
    assert.equal(p.draft_json.m.title, 'Porto');
    assert.equal(p.undo_steps, 2);
    const stale = errorText(await client.callTool({ name: 'edit_draft', arguments: { draft_json: p.draft_json, expected_hash: e.hash, instruction: 'make it 10 seconds' } }));
    assert.match(stale, /changed since you read it/);
    const u1 = conforms('undo_edit', await client.callTool({ name: 'undo_edit', arguments: { draft_json: p.draft_json } }));
    assert.deepEqual([u1.done, u1.hash, u1.undo_steps, u1.redo_steps], [true, e.hash, 1, 1]);
    assert.deepEqual(u1.draft_json, e.draft_json);
    const r = conforms('undo_edit', await client.callTool({ name: 'undo_edit', arguments: { draft_json: u1.draft_json, redo: true } }));
    assert.deepEqual(r.draft_json, p.draft_json);
    const back = conforms('edit_draft', await client.callTool({ name: 'edit_draft', arguments: { draft_json: r.draft_json, instruction: 'undo' } }));
    const u2 = conforms('undo_edit', await client.callTool({ name: 'undo_edit', arguments: { draft_json: back.draft_json } }));
    assert.deepEqual(u2.draft_json, start, 'two undos give the inline draft back exactly');
    const none = conforms('undo_edit', await client.callTool({ name: 'undo_edit', arguments: { draft_json: u2.draft_json } }));
    assert.equal(none.done, false);
    assert.match(none.message, /^nothing to undo\. An inline draft's history is the one its edits returned/);
    assert.equal(fs.readFileSync(file, 'utf8'), original, 'an inline edit writes no file');
  });

  await step('paths outside the root are refused, symlinks too', async () => {
    for (const draft of ['../outside.json', path.join(top, 'outside.json'), 'show/link.json']) {
      const t = errorText(await client.callTool({ name: 'validate_draft', arguments: { draft } }));
      assert.match(t, /is outside the folder this server may use/);
    }
    const out = errorText(await client.callTool({ name: 'render_preview', arguments: { draft: 'show/short.json', output: '../x.mp4' } }));
    assert.match(out, /the output \.\.\/x\.mp4 is outside/);
    assert.ok(!fs.existsSync(path.join(root, '..', 'x.mp4')));
  });

  await step('render_preview: progress notifications, monotonic, and a file:// link', async () => {
    const progress = [];
    const t0 = performance.now();
    const r = await client.callTool({ name: 'render_preview', arguments: { draft: 'show/demo.json' } }, CallToolResultSchema,
                                    { onprogress: (p) => progress.push({ at: performance.now() - t0, ...p }), timeout: 120000 });
    const s = conforms('render_preview', r);
    assert.ok(progress.length >= 2, `${progress.length} progress notifications`);
    figures.first_progress_ms = Math.round(progress[0].at);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].progress > progress[i - 1].progress);
    assert.equal(progress.at(-1).progress, progress.at(-1).total);
    // Rate-limited: at most one every 100 ms (and the last), however many frames were encoded.
    const span = progress.at(-1).at - progress[0].at;
    assert.ok(progress.length <= span / 100 + 3, `${progress.length} notifications in ${Math.round(span)} ms`);
    assert.ok(progress.length < 450 / 2, 'fewer notifications than frames');
    const link = r.content.find((c) => c.type === 'resource_link');
    assert.equal(link.mimeType, 'video/mp4');
    const file = fileURLToPath(link.uri);
    assert.equal(file, path.join(show, 'demo.preview.mp4'));
    assert.equal(fs.statSync(file).size, s.bytes);
    assert.equal(link.size, s.bytes);
    assert.deepEqual([s.frames, s.duration_ms, s.width, s.height], [450, 15000, 960, 540]);
    const p = probe(file);
    assert.ok(Math.abs(p.duration - 15) < 0.1, 'duration ' + p.duration);
    // Again, every chunk kept: the progress still reaches its end (it once sent none).
    const again = [];
    conforms('render_preview', await client.callTool({ name: 'render_preview', arguments: { draft: 'show/demo.json' } },
                                                     CallToolResultSchema, { onprogress: (q) => again.push(q), timeout: 120000 }));
    assert.ok(again.length >= 1, 'no progress for a render of kept chunks');
    assert.deepEqual([again.at(-1).progress, again.at(-1).total], [450, 450]);
  });

  // Starts `name`, cancels it (the SDK's AbortSignal: notifications/cancelled) once progress
  // reaches `at`, and returns the server's answer to the cancelled request and how long it took.
  async function cancelMidway(name, args, at) {
    const abort = new AbortController();
    let abortedAt = 0;
    const call = client.callTool({ name, arguments: args }, CallToolResultSchema, {
      signal: abort.signal, timeout: 120000,
      onprogress: (p) => { if (!abortedAt && p.progress >= at) { abortedAt = performance.now(); abort.abort('enough'); } },
    });
    await assert.rejects(call);
    const request = spy.sent.findLast((m) => m.method === 'tools/call' && m.params.name === name);
    const cancel = spy.sent.find((m) => m.method === 'notifications/cancelled' && m.params.requestId === request.id);
    assert.ok(cancel, 'the SDK sent notifications/cancelled');
    let answer;
    for (let i = 0; i < 300 && !answer; i++) {
      answer = spy.seen.find((x) => x.m.id === request.id);
      if (!answer) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(answer, 'the cancelled call answered');
    assert.equal(answer.m.result.isError, true);
    assert.equal(answer.m.result.structuredContent.cancelled, true);
    assert.match(answer.m.result.content.map((c) => c.text).join(' '), /cancelled; no output was written/);
    return Math.round(answer.at - abortedAt);
  }

  await step('render_final cancelled mid-way: it stops, no file is left, the answer says cancelled', async () => {
    figures.cancel_to_stopped_ms = await cancelMidway('render_final', { draft: 'show/demo.json', output: 'show/final.mp4' }, 30);
    assert.ok(!fs.existsSync(path.join(show, 'final.mp4')), 'no final.mp4');
    assert.deepEqual(fs.readdirSync(show).filter((f) => f.includes('final')), [], 'no temporary file');
  });

  await step('export cancelled mid-way (rendering here): no file is left', async () => {
    await cancelMidway('export', { draft: 'show/demo.json', output: 'show/exported.mp4', mode: 'local' }, 10);
    assert.deepEqual(fs.readdirSync(show).filter((f) => f.includes('exported')), [], 'no exported.mp4 nor its temporary file');
  });

  await step('export offline: the local engine makes the file, and a log message says why', async () => {
    const progress = [];
    const logs = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.push(n.params));
    const r = await client.callTool({ name: 'export', arguments: { draft: 'show/short.json' } }, CallToolResultSchema,
                                    { onprogress: (p) => progress.push(p), timeout: 120000 });
    const s = conforms('export', r);
    assert.equal(s.where, 'local');
    assert.match(s.fallback_reason, /unreachable/);
    assert.ok(progress.length >= 1);
    const fallback = logs.find((l) => /^the cloud did not make it \(.*unreachable.*\): rendered on this machine$/.test(l.data));
    assert.ok(fallback, 'a log message of the fallback: ' + JSON.stringify(logs));
    assert.deepEqual([fallback.level, fallback.logger], ['warning', 'reel']);
    const p = probe(path.join(show, 'short.mp4'));
    assert.ok(Math.abs(p.duration - 2) < 0.1);
    assert.deepEqual(p.streams, ['video']);
  });

  await step('protocol errors are JSON-RPC errors', async () => {
    await assert.rejects(client.callTool({ name: 'nosuch', arguments: {} }), /Unknown tool: nosuch/);
    await assert.rejects(client.request({ method: 'resources/list', params: {} }, CallToolResultSchema), /Method not found/);
  });
} finally {
  await client.close();
}

await step('stdio under 2025-03-26: a batch is answered by one array', async () => {
  const lines = [
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } },
    [{ jsonrpc: '2.0', id: 2, method: 'ping' }, { jsonrpc: '2.0', method: 'notifications/initialized' },
     { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'summarize_draft', arguments: { draft: 'show/short.json' } } }],
  ].map((m) => JSON.stringify(m)).join('\n') + '\n';
  const r = spawnSync(reel, ['mcp', '--root', root], { env, input: lines, encoding: 'utf8', timeout: 30000 });
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(out.length, 2, r.stdout);
  assert.equal(out[0].result.protocolVersion, '2025-03-26');
  assert.deepEqual(out[1].map((m) => m.id), [2, 3]);
  assert.match(out[1][1].result.content[0].text, /Timeline \(1 track\): 1\. Video: 2 photos \(0-2s\)/);
  assert.equal(out[1][1].result.structuredContent, undefined, 'no structuredContent before 2025-06-18');
});

// ---- with a cloud: `reel serve` on loopback answers the backend's protocol ------------------
const node = await startNode(reel, top, env);
const cloudClient = new Client({ name: 'reel-test-cloud', version: '1.0.0' });
try {
  await cloudClient.connect(new StdioClientTransport({ command: reel, args: ['mcp', '--root', root],
                                                        env: { ...env, REEL_API_URL: node.api }, stderr: 'pipe' }));
  await tools(cloudClient);
  await step('export through the cloud: the node renders it, the file comes down', async () => {
    const progress = [];
    const r = await cloudClient.callTool({ name: 'export', arguments: { draft: 'show/short.json', output: 'show/cloud.mp4' } },
                                         CallToolResultSchema, { onprogress: (p) => progress.push(p), timeout: 120000 });
    const s = conforms('export', r);
    assert.equal(s.where, 'cloud');
    assert.ok(s.job_id);
    assert.equal(fs.statSync(path.join(show, 'cloud.mp4')).size, s.bytes);
    assert.ok(Math.abs(probe(path.join(show, 'cloud.mp4')).duration - 2) < 0.1);
    assert.ok(progress.length >= 1);
  });
  await step('bench: local and cloud times, and the PSNR between them', async () => {
    const s = conforms('bench', await cloudClient.callTool({ name: 'bench', arguments: { draft: 'show/short.json' } },
                                                           CallToolResultSchema, { timeout: 120000 }));
    assert.deepEqual(s.renders.map((r) => [r.name, r.runs]), [['local preview', 1], ['local final', 1], ['cloud final', 1]]);
    assert.equal(s.cloud_measured, true);
    assert.equal(s.identical_frames, true, 'the node renders with the same engine');
    assert.ok(s.renders.every((r) => r.median_s > 0));
  });
} finally {
  await cloudClient.close();
  node.child.kill('SIGTERM');
}

// ---- Streamable HTTP ----------------------------------------------------------------------
// A cache of its own: a render of short.json kept by the tools above would leave nothing to render.
const server = await startHttp(reel, root, { ...env, XDG_CACHE_HOME: path.join(top, 'cache-http') });
const url = new URL(`http://127.0.0.1:${server.port}/mcp`);
function raw(headers, body = '{"jsonrpc":"2.0","id":1,"method":"ping"}', port = server.port) {
  return new Promise((resolve, reject) => {
    const q = http.request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    q.on('error', reject);
    q.end(body);
  });
}
try {
  await step('HTTP: the SDK client lists the tools, looks at a frame, gets progress over SSE', async () => {
    const h = new Client({ name: 'reel-test-http', version: '1.0.0' });
    await h.connect(new StreamableHTTPClientTransport(url));
    await tools(h);
    const f = await h.callTool({ name: 'get_frame', arguments: { draft: 'show/short.json', ms: 500, width: 320 } });
    assert.equal(conforms('get_frame', f).frame, 15);
    const progress = [];
    const r = await h.callTool({ name: 'render_preview', arguments: { draft: 'show/short.json', output: 'show/http.mp4' } }, CallToolResultSchema,
                               { onprogress: (p) => progress.push(p), timeout: 120000 });
    assert.equal(conforms('render_preview', r).frames, 60);
    assert.ok(progress.length >= 1, 'progress over SSE');
    await h.close();
  });

  await step('HTTP: another Host (DNS rebinding) or Origin is refused with 403', async () => {
    assert.equal((await raw({ Host: `evil.example:${server.port}` })).status, 403);
    assert.equal((await raw({ Host: `127.0.0.1:${server.port}`, Origin: 'http://evil.example' })).status, 403);
    const init = await raw({ Host: `127.0.0.1:${server.port}` }, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
    assert.equal(init.status, 200);
    assert.equal(JSON.parse(init.text).result.protocolVersion, '2025-03-26');
    assert.equal((await raw({ Host: `127.0.0.1:${server.port}` })).status, 400, 'no session id');
    assert.equal((await raw({ Host: `127.0.0.1:${server.port}`, 'Mcp-Session-Id': 'nosuch' })).status, 404);
  });
} finally {
  server.child.kill('SIGTERM');
}

await step('HTTP with --token: a request without the bearer token is refused with 401', async () => {
  const token = 'b7c1f0d2a9e84c6f9d3e2a1b0c9d8e7f';
  const s = await startHttp(reel, root, env, ['--token', token]);
  try {
    assert.equal((await raw({}, undefined, s.port)).status, 401);
    assert.equal((await raw({ Authorization: 'Bearer wrong-token-wrong-token' }, undefined, s.port)).status, 401);
    const h = new Client({ name: 'reel-test-token', version: '1.0.0' });
    await h.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${s.port}/mcp`),
                                                      { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    assert.equal((await h.listTools()).tools.length, toolNames.length);
    await h.close();
  } finally {
    s.child.kill('SIGTERM');
  }
});

console.log(`figures: get_frame at 960 wide ${figures.get_frame_960_ms} ms (again: ${figures.get_frame_960_again_ms} ms); first progress notification ` +
            `${figures.first_progress_ms} ms after render_preview was called; cancel to stopped ${figures.cancel_to_stopped_ms} ms`);
fs.rmSync(top, { recursive: true, force: true });
if (process.exitCode) console.log(serverLog);
