// What the MCP tests share: a root folder holding the demo project and a short draft, the
// environment reel mcp runs in (its own cache and config, a backend that refuses at once), the
// HTTP server started and its port read, and a PNG reader (node:zlib; pngjs is not installed).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/// A fresh folder: root/show (the demo's photos, demo.json and short.json, 2 photos of 1 s
/// at 640x360), cache/ and config/ beside it.
export function makeRoot() {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'reel-mcp-test-'));
  const root = path.join(top, 'root');
  const show = path.join(root, 'show');
  fs.mkdirSync(show, { recursive: true });
  for (const f of fs.readdirSync(path.join(repo, 'assets', 'demo')))
    fs.copyFileSync(path.join(repo, 'assets', 'demo', f), path.join(show, f));
  const short = {
    m: { title: 'short', width: 640, height: 360, fps: 30 },
    t: [{ tt: 0, sg: [
      { s: 0, d: 1000, src: '02-gradients.jpg' },
      { s: 1000, d: 1000, src: '03-life.jpg', m: { tr: { type: 'fade', d: 400 } } },
    ] }],
  };
  fs.writeFileSync(path.join(show, 'short.json'), JSON.stringify(short, null, 2) + '\n');
  fs.writeFileSync(path.join(top, 'outside.json'), JSON.stringify(short) + '\n');
  fs.symlinkSync(path.join(top, 'outside.json'), path.join(show, 'link.json'));
  return { top, root, show };
}

/// reel mcp's environment: its own cache and config; a backend on a closed port (export falls
/// back to the local engine at once, as offline).
export function serverEnv(top) {
  return {
    ...process.env,
    XDG_CACHE_HOME: path.join(top, 'cache'),
    XDG_CONFIG_HOME: path.join(top, 'config'),
    REEL_API_URL: 'http://127.0.0.1:9',
  };
}

/// Starts `reel mcp --listen 127.0.0.1:0 ...` and resolves with the process and its port.
export function startHttp(reel, root, env, extra = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(reel, ['mcp', '--root', root, '--listen', '127.0.0.1:0', ...extra],
                        { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => reject(new Error('reel mcp --listen did not start: ' + err)), 20000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = /at http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), stderr: () => err });
      }
    });
    child.on('exit', (code) => reject(new Error(`reel mcp exited (${code}): ${err}`)));
  });
}

/// Starts `reel serve` (a render node speaking the backend's protocol) on loopback as the
/// cloud, with its data in `top`/node; resolves with the process and its address.
export function startNode(reel, top, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(reel, ['serve', '--listen', '127.0.0.1:0', '--data', path.join(top, 'node'), '-q'],
                        { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('reel serve did not start: ' + out)), 20000);
    const seen = (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, api: m[1] });
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => reject(new Error(`reel serve exited (${code}): ${out}`)));
  });
}

/// Decodes an 8-bit RGB or RGBA PNG (not interlaced): { width, height, channels, pixels }.
export function decodePng(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8, width = 0, height = 0, type = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const kind = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (kind === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit, non-interlaced PNGs');
      type = data[9];
    } else if (kind === 'IDAT') {
      idat.push(data);
    } else if (kind === 'IEND') {
      break;
    }
    off += 12 + len;
  }
  const channels = type === 2 ? 3 : type === 6 ? 4 : 0;
  if (!channels) throw new Error('only RGB or RGBA PNGs');
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = v & 255;
    }
  }
  return { width, height, channels, pixels };
}

/// The video's duration in seconds and its stream count, read by Debian's ffprobe.
export function probe(file) {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type',
                                  '-of', 'json', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('ffprobe failed on ' + file + ': ' + r.stderr);
  const j = JSON.parse(r.stdout);
  return { duration: Number(j.format.duration), streams: j.streams.map((s) => s.codec_type) };
}

/// A tiny test runner: named steps, each timed; the first failure ends the run with exit 1.
export async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e.stack || e}`);
    process.exitCode = 1;
    throw e;
  }
}
