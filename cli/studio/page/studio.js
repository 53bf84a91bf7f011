// reel studio's page: the player, the timeline, problems, edits and jobs over the studio's
// JSON API (docs/studio.md). Plain JS, no build step. Every frame shown while paused or
// scrubbing is a still from the engine (the same pixels as `reel still`); playing uses the
// preview video, whose position is kept when a new preview replaces it.
'use strict';

const $ = (id) => document.getElementById(id);

// ---- the API ------------------------------------------------------------------------------

async function api(path, body) {
  const init = body === undefined ? {} :
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({ error: `${res.status} ${res.statusText}` }));
  if (!res.ok) throw Object.assign(new Error(data.error || res.statusText), { status: res.status });
  return data;
}

// ---- state --------------------------------------------------------------------------------

const state = {
  draft: null,       // the last /api/draft answer
  timeMs: 0,         // the playhead, in draft ms (always the time of a frame)
  selected: null,    // the pointer of the selected segment
  editStarted: 0,    // performance.now() when the last edit was sent (for the metric)
  videoRevision: '', // the revision the loaded video shows
  videoUrl: '',
};
// Figures the browser test reads: edit → the changed frame on screen, and seeks while dragging.
window.studioMetrics = { editToFrameMs: [], dragFrameMs: [], dragServerMs: [], dragBytesMs: [], dragShownAt: [], stillsShown: 0 };

const fps = () => state.draft.timeline.fps;
const frameCount = () => state.draft.timeline.frames;
// Frame n shows the draft at n × 1000 / fps ms; the engine's still at ⌈that⌉ ms is frame n.
const frameOf = (ms) => Math.floor((ms * fps().num) / (1000 * fps().den) + 1e-9);
const timeOf = (n) => Math.ceil((n * 1000 * fps().den) / fps().num - 1e-9);
const clampFrame = (n) => Math.max(0, Math.min(frameCount() - 1, n));

// ---- the draft ----------------------------------------------------------------------------

async function loadDraft() {
  showDraft(await api('/api/draft'));
}

function showDraft(d) {
  const first = !state.draft;
  state.draft = d;
  $('path').textContent = d.path;
  $('summary').textContent = d.error ? d.error : d.summary;
  $('undo').disabled = !d.history.undo;
  $('redo').disabled = !d.history.redo;
  showProblems(d);
  if (!d.timeline) return;
  const t = d.timeline;
  $('screen').style.aspectRatio = `${t.width} / ${t.height}`;
  $('screen').style.width = `min(100%, calc(52vh * ${t.width} / ${t.height}))`;
  state.timeMs = timeOf(clampFrame(frameOf(state.timeMs)));
  drawTimeline(t);
  if (state.selected) selectSegment(state.selected, false);
  showStill(state.timeMs);
  updateClock();
  if (first) watchPreview();
}

// ---- the player ---------------------------------------------------------------------------

const video = $('video');
const frame = $('frame');
let dragging = false;     // the pointer is down on the timeline: scrubbing
let stillWanted = null;   // {ms, revision, started, drag} the latest still asked for
let stillLoading = false; // a request is on its way (its bytes not here yet)
let stillsAsked = 0, stillShown = 0;  // the number of the latest still asked for and on screen

// Shows the engine's frame at `ms` (the exact pixels), asking for one still at a time: while
// a drag moves faster than stills come, only the newest position is asked for next.
function showStill(ms, drag = false) {
  if (!renderable()) return;
  stillWanted = { ms, revision: state.draft.revision, started: performance.now(), drag };
  if (!stillLoading) nextStill();
}

async function nextStill() {
  const want = stillWanted;
  if (!want) return;
  stillWanted = null;
  stillLoading = true;
  const number = ++stillsAsked;
  const width = Math.min(960, state.draft.timeline.width);
  let res = null, blob = null, bytesAt = 0;
  try {
    res = await fetch(`/api/still?at_ms=${want.ms}&width=${width}&rev=${want.revision}`);
    if (res.ok) blob = await res.blob();
    bytesAt = performance.now();
  } catch (e) {
    // The server is gone or restarting: the next seek asks again.
  } finally {
    // The bytes are here: the engine makes the next still while this one is decoded and drawn.
    stillLoading = false;
    if (stillWanted) nextStill();
  }
  if (blob && await showPicture(blob, number)) {
    frame.dataset.atMs = want.ms;
    frame.dataset.revision = res.headers.get('X-Reel-Revision') || '';
    window.studioMetrics.stillsShown++;
    const took = performance.now() - want.started;
    if (want.drag) {
      window.studioMetrics.dragFrameMs.push(took);
      const server = /dur=([\d.]+)/.exec(res.headers.get('Server-Timing') || '');
      if (server) window.studioMetrics.dragServerMs.push(Number(server[1]));
      window.studioMetrics.dragBytesMs.push(bytesAt - want.started);
      window.studioMetrics.dragShownAt.push(performance.now());
    }
    if (state.editStarted && frame.dataset.revision === state.draft.revision) {
      window.studioMetrics.editToFrameMs.push(performance.now() - state.editStarted);
      state.editStarted = 0;
    }
    if (video.paused) frame.hidden = false;
  }
  // Thumbnails take the cores only when no still waits for them.
  if (!stillWanted && !stillLoading) showThumbnails();
}

// Draws the picture unless a newer still is on screen already. Decoded into a bitmap that is
// let go at once: a scrub makes a still every few tens of ms, 1.5 MB each.
async function showPicture(blob, number) {
  if (number < stillShown) return false;
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch (e) {
    return false;
  }
  if (number < stillShown) {
    bitmap.close();
    return false;
  }
  stillShown = number;
  if (frame.width !== bitmap.width || frame.height !== bitmap.height) {
    frame.width = bitmap.width;
    frame.height = bitmap.height;
  }
  frame.getContext('2d').drawImage(bitmap, 0, 0);
  bitmap.close();
  frame.dataset.shown = 'yes';
  return true;
}

function seekTo(ms, drag = false) {
  if (!state.draft || !state.draft.timeline) return;
  state.timeMs = timeOf(clampFrame(frameOf(ms)));
  if (!video.paused) video.pause();
  if (videoUsable() && state.timeMs / 1000 < video.duration) video.currentTime = state.timeMs / 1000;
  showStill(state.timeMs, drag);
  updateClock();
}

// A draft with errors has no frames to show: the last ones stay, and Problems says why.
function renderable() {
  return state.draft && state.draft.timeline && !state.draft.problems.some((p) => p.severity === 'error');
}

function videoUsable() {
  return video.readyState >= 1 && state.videoUrl;
}

function updateClock() {
  if (!state.draft || !state.draft.timeline) return;
  const n = frameOf(state.timeMs);
  const s = state.timeMs / 1000;
  const mm = String(Math.floor(s / 60)).padStart(2, '0');
  const ss = (s % 60).toFixed(3).padStart(6, '0');
  const rate = fps().den === 1 ? fps().num : (fps().num / fps().den).toFixed(3);
  $('clock').textContent = `${mm}:${ss} · frame ${n} of ${frameCount()} · ${rate} fps`;
  const left = (100 * state.timeMs) / Math.max(1, state.draft.timeline.duration_ms);
  $('playhead').style.left = `${left}%`;
}

// A play() that a pause (a seek, a newer preview) interrupts is not an error.
function playVideo() {
  video.play().catch((e) => { if (e.name !== 'AbortError') throw e; });
}

function play() {
  if (!videoUsable()) {
    $('preview-state').textContent = 'the preview is still rendering; the frame shown is the engine’s';
    return;
  }
  if (state.timeMs >= state.draft.timeline.duration_ms - 1) state.timeMs = 0;
  video.currentTime = state.timeMs / 1000;
  playVideo();
}

let playing = false;  // the video plays (a pause while it does is the person's, or its end)
video.addEventListener('play', () => { playing = true; frame.hidden = true; $('play').textContent = '⏸'; });
video.addEventListener('pause', () => {
  $('play').textContent = '▶';
  if (!playing) return;
  playing = false;
  state.timeMs = timeOf(clampFrame(frameOf(video.currentTime * 1000)));
  showStill(state.timeMs);
  updateClock();
});
video.addEventListener('timeupdate', () => {
  if (video.paused) return;
  state.timeMs = video.currentTime * 1000;
  updateClock();
});
video.addEventListener('ended', () => { state.timeMs = state.draft.timeline.duration_ms; });

$('play').onclick = () => (video.paused ? play() : video.pause());
$('step-back').onclick = () => seekTo(timeOf(frameOf(state.timeMs) - 1));
$('step-forward').onclick = () => seekTo(timeOf(frameOf(state.timeMs) + 1));
document.addEventListener('keydown', (e) => {
  if (e.target.closest('input, textarea, select')) return;
  if (e.key === ' ') { e.preventDefault(); $('play').click(); }
  if (e.key === 'ArrowLeft') { e.preventDefault(); $('step-back').click(); }
  if (e.key === 'ArrowRight') { e.preventDefault(); $('step-forward').click(); }
});

// Puts the newest preview into the player, keeping where it was and whether it played.
function useVideo(url, revision) {
  if (url === state.videoUrl) return;
  const playing = !video.paused;
  const at = playing ? video.currentTime : state.timeMs / 1000;
  state.videoUrl = url;
  state.videoRevision = revision;
  video.src = url;
  video.addEventListener('loadedmetadata', () => {
    video.currentTime = Math.min(at, Math.max(0, video.duration - 0.001));
    if (playing) playVideo();
  }, { once: true });
}

// Follows the preview render of the current revision: its first part as soon as it exists,
// the whole preview when it is joined.
async function watchPreview() {
  for (;;) {
    if (dragging) {
      // A new video is loaded once the scrub ends: while it goes on, the frames come first.
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    let p = null;
    try { p = await api('/api/preview'); } catch (e) { /* the studio stopped: try again */ }
    const current = state.draft && p && p.revision === state.draft.revision;
    let text = '';
    if (p && current && p.state === 'ready') {
      useVideo(p.video, p.revision);
    } else if (p && current && p.state === 'rendering') {
      text = `rendering the preview… ${Math.round(p.progress * 100)}%`;
      if (p.first && state.videoRevision !== p.revision) useVideo(p.first, p.revision);
    } else if (p && current && p.state === 'failed') {
      text = `no new preview: ${p.error}`;
    }
    $('preview-state').textContent = text;
    await new Promise((r) => setTimeout(r, p && current && p.state === 'ready' ? 1000 : 250));
  }
}

// ---- the timeline -------------------------------------------------------------------------

function pct(ms) { return `${(100 * ms) / Math.max(1, state.draft.timeline.duration_ms)}%`; }

function showThumbnails() {
  for (const img of document.querySelectorAll('img.thumb[data-src]')) {
    img.src = img.dataset.src;
    delete img.dataset.src;
  }
}

function drawTimeline(t) {
  const lanes = $('lanes');
  lanes.replaceChildren();
  const ruler = $('ruler');
  ruler.replaceChildren();
  const step = Math.max(1, Math.ceil(t.duration_ms / 1000 / 12));
  for (let s = 0; s * 1000 <= t.duration_ms; s += step) {
    const mark = document.createElement('span');
    mark.style.left = pct(s * 1000);
    mark.textContent = `${s}s`;
    ruler.append(mark);
  }
  const withProblem = new Set(state.draft.problems.filter((p) => p.severity === 'error').map((p) => segmentOf(p.path)));
  for (const track of t.tracks) {
    const lane = document.createElement('div');
    lane.className = `lane ${track.kind}`;
    lane.dataset.pointer = track.pointer;
    for (const [i, seg] of track.segments.entries()) {
      const box = document.createElement('div');
      box.className = 'seg';
      if (withProblem.has(seg.pointer)) box.classList.add('problem');
      box.dataset.pointer = seg.pointer;
      box.style.left = pct(seg.start_ms);
      box.style.width = pct(seg.duration_ms);
      box.title = `${seg.pointer} · ${seg.name || seg.source || seg.text || ''} · ${seg.start_ms / 1000}–${(seg.start_ms + seg.duration_ms) / 1000} s`;
      if (track.kind === 'video' && renderable()) {
        const img = document.createElement('img');
        img.className = 'thumb';
        img.alt = `thumbnail of ${seg.pointer}`;
        // Asked for once the frame under the playhead is on screen (showThumbnails): the
        // edit's own still goes first.
        img.dataset.src = `/api/thumbnail?pointer=${encodeURIComponent(seg.pointer)}&rev=${state.draft.revision}`;
        box.append(img);
        if (seg.tr && i > 0) {
          const cut = document.createElement('div');
          cut.className = 'cut';
          cut.title = `${seg.tr.type} ${seg.tr.d / 1000} s`;
          cut.style.left = pct(seg.start_ms);
          lane.append(cut);
        }
      } else if (track.kind === 'text') {
        const words = document.createElement('div');
        words.className = 'words';
        words.textContent = seg.text;
        box.append(words);
      } else if (track.kind === 'audio' && renderable()) {
        const canvas = document.createElement('canvas');
        box.append(canvas);
        drawWaveform(canvas, seg.pointer, seg);
      }
      lane.append(box);
    }
    lanes.append(lane);
  }
}

// The peaks of a sound segment, by what decides them: an edit elsewhere does not decode the
// song again.
const peaksKept = new Map();
async function drawWaveform(canvas, pointer, seg) {
  const width = Math.max(50, Math.round(canvas.parentElement.getBoundingClientRect().width || 300));
  const key = JSON.stringify([pointer, seg.source, seg.source_in_ms, seg.duration_ms, width]);
  if (!peaksKept.has(key)) {
    if (peaksKept.size > 32) peaksKept.clear();
    peaksKept.set(key, api(`/api/waveform?pointer=${encodeURIComponent(pointer)}&buckets=${width}`)
      .then((r) => r.peaks, () => { peaksKept.delete(key); return []; }));
  }
  const peaks = await peaksKept.get(key);
  canvas.width = peaks.length || 1;
  canvas.height = 30;
  const g = canvas.getContext('2d');
  g.fillStyle = '#6fb3f2';
  // Drawn to the segment's loudest peak, so a quiet song still shows its shape.
  const loudest = Math.max(0.01, ...peaks);
  peaks.forEach((p, x) => { const h = Math.max(1, (p / loudest) * 28); g.fillRect(x, 15 - h / 2, 1, h); });
}

// "/t/0/sg/2/m/kb" → "/t/0/sg/2": the segment a problem's pointer is in.
function segmentOf(pointer) {
  const m = /^(\/(?:t|tracks)\/\d+\/(?:sg|segments)\/\d+)/.exec(pointer || '');
  return m ? m[1] : '';
}

function timelineMs(event) {
  const r = $('timeline').getBoundingClientRect();
  return (Math.max(0, Math.min(1, (event.clientX - r.left) / r.width))) * state.draft.timeline.duration_ms;
}

$('timeline').addEventListener('pointerdown', (e) => {
  if (!state.draft || !state.draft.timeline) return;
  dragging = true;
  $('timeline').setPointerCapture(e.pointerId);
  const seg = e.target.closest('.seg');
  if (seg) selectSegment(seg.dataset.pointer, true);
  seekTo(timelineMs(e), false);
});
$('timeline').addEventListener('pointermove', (e) => { if (dragging) seekTo(timelineMs(e), true); });
$('timeline').addEventListener('pointerup', () => { dragging = false; });

// ---- problems -----------------------------------------------------------------------------

function showProblems(d) {
  const list = $('problems');
  list.replaceChildren();
  for (const p of d.problems) {
    const li = document.createElement('li');
    li.className = p.severity;
    li.textContent = `${p.path}: ${p.message}`;
    const seg = segmentOf(p.path);
    if (seg) li.onclick = () => { selectSegment(seg, true); };
    list.append(li);
  }
}

// ---- the segment form ---------------------------------------------------------------------

function findSegment(pointer) {
  for (const track of state.draft.timeline.tracks)
    for (const seg of track.segments) if (seg.pointer === pointer) return { track, seg };
  return null;
}

const KB = ['none', 'in', 'out', 'left', 'right', 'up', 'down', 'auto'];
const FIT = ['cover', 'contain', 'blur', 'stretch'];
const TR = ['none', 'fade', 'fadeblack', 'fadewhite', 'dissolve', 'wipeleft', 'wiperight', 'wipeup', 'wipedown',
  'slideleft', 'slideright', 'slideup', 'slidedown', 'zoomin', 'circleopen', 'circleclose', 'radial', 'pixelize'];
function fillSelect(el, names) { el.replaceChildren(...names.map((n) => new Option(n, n))); }
fillSelect($('f-kb'), KB);
fillSelect($('f-fit'), FIT);
fillSelect($('f-tr'), TR);

function selectSegment(pointer, seek) {
  const found = findSegment(pointer);
  document.querySelectorAll('.seg.selected').forEach((el) => el.classList.remove('selected'));
  const form = $('segment');
  if (!found) { state.selected = null; form.hidden = true; return; }
  state.selected = pointer;
  document.querySelector(`.seg[data-pointer="${pointer}"]`)?.classList.add('selected');
  const { track, seg } = found;
  form.hidden = false;
  form.dataset.kind = track.kind;
  $('segment-name').textContent = `${pointer} · ${seg.name || seg.source || seg.text || ''}`;
  for (const label of form.querySelectorAll('label[data-for]')) label.hidden = label.dataset.for !== track.kind;
  $('f-duration').value = seg.duration_ms / 1000;
  if (track.kind === 'video') {
    $('f-kb').value = KB.includes(seg.kb) ? seg.kb : 'none';
    $('f-fit').value = seg.fit;
    $('f-tr').value = seg.tr ? seg.tr.type : 'none';
    $('f-tr-d').value = seg.tr ? seg.tr.d / 1000 : 0.5;
    $('f-focus').value = seg.focus ? [seg.focus.x, seg.focus.y, seg.focus.w, seg.focus.h].join(' ') : '';
  }
  if (track.kind === 'text') $('f-text').value = seg.text;
  if (seek) seekTo(seg.start_ms + seg.duration_ms / 2);
}

$('segment').addEventListener('submit', (e) => {
  e.preventDefault();
  const found = findSegment(state.selected);
  if (!found) return;
  const { track, seg } = found;
  const settings = {};
  const ms = Math.round(parseFloat($('f-duration').value) * 1000);
  if (ms !== seg.duration_ms) settings.duration_ms = ms;
  if (track.kind === 'video') {
    if ($('f-kb').value !== (KB.includes(seg.kb) ? seg.kb : 'none')) settings.kb = $('f-kb').value;
    if ($('f-fit').value !== seg.fit) settings.fit = $('f-fit').value;
    const type = $('f-tr').value, d = Math.round(parseFloat($('f-tr-d').value) * 1000);
    if (type !== (seg.tr ? seg.tr.type : 'none') || (seg.tr && d !== seg.tr.d))
      settings.tr = type === 'none' ? 'none' : { type, d };
    const focus = $('f-focus').value.trim();
    const was = seg.focus ? [seg.focus.x, seg.focus.y, seg.focus.w, seg.focus.h].join(' ') : '';
    if (focus !== was) {
      const [x, y, w, h] = focus.split(/[\s,]+/).map(Number);
      settings.focus = focus ? { x, y, w, h } : null;
    }
  }
  if (track.kind === 'text' && $('f-text').value !== seg.text) settings.text = $('f-text').value;
  edit('/api/segment', { pointer: state.selected, settings });
});

// ---- edits --------------------------------------------------------------------------------

let editing = null;  // the edit on its way (the change feed waits for its answer)

async function edit(path, body) {
  const done = doEdit(path, body);
  editing = done;
  try { await done; } finally { if (editing === done) editing = null; }
}

async function doEdit(path, body) {
  state.editStarted = performance.now();
  try {
    // The playhead goes with the edit: the studio starts that frame of the new version at once.
    const r = await api(path, { ...body, revision: state.draft.revision, at_ms: Math.round(state.timeMs),
      width: Math.min(960, state.draft.timeline ? state.draft.timeline.width : 960) });
    $('agent').textContent = r.message;
    $('agent').classList.remove('error-text');
    if (r.agent) {
      // Which agent answered (the cloud's, or the local one: offline, or undo and redo).
      $('agent-who').dataset.agent = r.agent;
      $('agent-who').textContent = r.note || `answered by ${r.agent_name}`;
    } else {
      $('agent-who').textContent = '';  // the form, undo, redo: no agent
      delete $('agent-who').dataset.agent;
    }
    showDraft(r.draft);
    if (!r.changed) state.editStarted = 0;
  } catch (e) {
    state.editStarted = 0;
    $('agent').textContent = e.message;
    $('agent').classList.add('error-text');
    if (e.status === 409) await loadDraft();  // changed under the page: show the file's version
  }
}

$('chat').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('chat-text').value.trim();
  if (!text) return;
  $('chat-text').value = '';
  edit('/api/chat', { text });
});
$('undo').onclick = () => edit('/api/undo', {});
$('redo').onclick = () => edit('/api/redo', {});

// Edits made elsewhere (an editor, `reel chat`, a checkout) arrive through the change feed.
async function followChanges() {
  for (;;) {
    try {
      const { revision } = await api(`/api/changes?since=${state.draft ? state.draft.revision : ''}`);
      // The page's own edit: its answer brings the new version (loading it here too would draw
      // everything twice while the edit's frame is being made).
      if (editing) await editing.catch(() => {});
      if (!state.draft || revision !== state.draft.revision) await loadDraft();
    } catch (e) {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

// ---- render, export, bench ----------------------------------------------------------------

async function showJobs() {
  const { jobs, cloud } = await api('/api/jobs');
  $('cloud').textContent = cloud ? `Export: the cloud at ${cloud}, this machine if it fails`
    : 'Export: no cloud is configured, so it renders on this machine';
  $('chat-with').textContent = cloud ? `Chat: the cloud agent at ${cloud} (the local agent when the cloud does not answer)`
    : 'Chat: the local agent (no cloud is configured)';
  const list = $('jobs');
  list.replaceChildren();
  for (const j of [...jobs].reverse()) {
    const li = document.createElement('li');
    li.dataset.id = j.id;
    li.dataset.state = j.state;
    const title = document.createElement('div');
    title.textContent = `#${j.id} ${j.kind}: ${j.state}${j.kind === 'bench' ? '' : ` — ${j.message}`}`;
    li.append(title);
    if (j.kind === 'bench') {
      const table = document.createElement('pre');
      table.textContent = j.message;
      li.append(table);
    }
    if (j.state === 'running' || j.state === 'queued') {
      const bar = document.createElement('progress');
      bar.max = 1;
      bar.value = j.progress;
      const cancel = document.createElement('button');
      cancel.textContent = 'Cancel';
      cancel.onclick = () => api(`/api/jobs/${j.id}/cancel`, {}).then(showJobs, showJobs);
      li.append(bar, cancel);
    }
    if (j.download) {
      const a = document.createElement('a');
      a.href = j.download;
      a.download = j.file;
      a.textContent = `Download ${j.file}`;
      li.append(a);
    }
    list.append(li);
  }
  return jobs.some((j) => j.state === 'running' || j.state === 'queued');
}

async function followJobs() {
  for (;;) {
    const busy = await showJobs().catch(() => false);
    await new Promise((r) => setTimeout(r, busy ? 400 : 2000));
  }
}

$('render').onclick = () => api('/api/jobs', { kind: 'render' }).then(showJobs);
$('export').onclick = () => api('/api/jobs', { kind: 'export' }).then(showJobs);
$('bench').onclick = async () => {
  $('bench-out').textContent = 'benching…';
  const b = await api('/api/bench', {}).catch((e) => ({ message: e.message }));
  $('bench-out').textContent = b.message;
  if (b.job) showJobs();
};

// ---- start --------------------------------------------------------------------------------

loadDraft().then(() => { followChanges(); followJobs(); });
