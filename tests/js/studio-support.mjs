// What the studio's browser tests share (studio.test.mjs, studio-cloud.test.mjs): synthetic
// media, the test draft, a child server's printed address, raw loopback requests, chromium.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Prints each check and keeps the failures.
export function checker() {
  const failures = [];
  const check = (ok, what) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failures.push(what);
  };
  return { failures, check };
}

// An RGB PNG (node's zlib): a gradient with a bright square whose place differs per photo, so
// frames, moves and cuts are easy to tell apart.
export function writePng(file, w, h, seed) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      const inSquare = Math.abs(x - w * (0.2 + 0.2 * seed)) < w * 0.1 && Math.abs(y - h * 0.5) < h * 0.15;
      // Bands rather than smooth ramps: the photos stay small files.
      const band = (v) => Math.floor(v / 32) * 32;
      raw[o] = inSquare ? 250 : band((x * 255) / w);
      raw[o + 1] = inSquare ? 240 : band((seed * 70 + (y * 200) / h) % 255);
      raw[o + 2] = inSquare ? 40 : band(((x + y + seed * 90) * 3) % 255);
    }
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  fs.writeFileSync(file, Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
}

// A 16-bit stereo WAV of a tone that swells, `seconds` long.
export function writeWav(file, seconds) {
  const rate = 48000, n = Math.round(seconds * rate);
  const buf = Buffer.alloc(44 + n * 4);
  buf.write('RIFF', 0); buf.writeUInt32LE(36 + n * 4, 4); buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16); buf.writeUInt16LE(1, 20); buf.writeUInt16LE(2, 22);
  buf.writeUInt32LE(rate, 24); buf.writeUInt32LE(rate * 4, 28); buf.writeUInt16LE(4, 32); buf.writeUInt16LE(16, 34);
  buf.write('data', 36); buf.writeUInt32LE(n * 4, 40);
  for (let i = 0; i < n; i++) {
    const env = 0.2 + 0.7 * Math.abs(Math.sin((Math.PI * i) / rate));
    const v = Math.round(12000 * env * Math.sin((2 * Math.PI * 330 * i) / rate));
    buf.writeInt16LE(v, 44 + i * 4); buf.writeInt16LE(v, 46 + i * 4);
  }
  fs.writeFileSync(file, buf);
}

// The test draft in `work`: `photos` synthetic photos of `seconds` each (Ken Burns, fades), a
// text and a tone under them. Returns its path and its text as written.
export function writeTestDraft(work, photos, seconds) {
  for (let i = 0; i < photos; i++) writePng(path.join(work, `photo${i + 1}.png`), 800, 600, i);
  writeWav(path.join(work, 'tone.wav'), photos * seconds);
  const draftPath = path.join(work, 'draft.json');
  const draft = {
    m: { title: 'Studio test', ar: '16:9', res: '540p', fps: 25 },
    t: [
      { tt: 0, sg: Array.from({ length: photos }, (_, i) => ({
        s: i * seconds * 1000, d: seconds * 1000, src: `photo${i + 1}.png`,
        m: { kb: ['in', 'left', 'out', 'right'][i % 4], ...(i ? { tr: { type: 'fade', d: 400 } } : {}) },
      })) },
      { tt: 7, sg: [{ s: 200, d: 1300, m: { text: 'Hello studio' } }] },
      { tt: 1, sg: [{ s: 0, d: photos * seconds * 1000, src: 'tone.wav', m: { name: 'tone', vol: 0.5 } }] },
    ],
  };
  const text = JSON.stringify(draft, null, 2) + '\n';
  fs.writeFileSync(draftPath, text);
  return { draftPath, text };
}

// The environment of every child: the test's own cache and config, no cloud of the machine's.
export function testEnv(work, extra = {}) {
  const env = { ...process.env, XDG_CACHE_HOME: path.join(work, 'cache'), XDG_CONFIG_HOME: path.join(work, 'config'), ...extra };
  delete env.REEL_API_URL;
  delete env.NEMO_TOKEN;
  return env;
}

// The address a server prints on its first line of stdout.
export function printed(child, pattern, what) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolve(m);
    });
    child.on('exit', (code) => reject(new Error(`${what} ended (${code}) before its address`)));
    setTimeout(() => reject(new Error(`no address from ${what} in 15 s`)), 15000);
  });
}
export const studioLine = /^reel studio: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{32}))\n/m;
export const serveLine = /^reel serve: listening on (http:\/\/\S+) /m;

// One raw request to the server on `to.port` (node's http lets a test set Host and Origin as
// an attacker's page would).
export function request(to, pathname, headers = {}, method = 'GET', body = undefined) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: to.port, path: pathname, method,
      headers: { Host: `127.0.0.1:${to.port}`, ...headers } }, (res) => {
      const parts = [];
      res.on('data', (d) => { parts.push(d); });
      res.on('end', () => {
        const bytes = Buffer.concat(parts);
        resolve({ status: res.statusCode, headers: res.headers, text: bytes.toString(), bytes });
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

// Debian's chromium with a fresh profile (playwright passes it as --user-data-dir).
export function launchChromium(profile) {
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 820 },
    acceptDownloads: true,
  });
}
