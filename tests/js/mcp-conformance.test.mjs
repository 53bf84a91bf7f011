// reel mcp's HTTP endpoint against the MCP conformance suite (every scenario, suite "all"):
// the ones that need the suite's own fixture tools, resources or prompts are listed, with
// their reasons, in mcp-conformance-baseline.yml; the suite fails on any other failure and on
// a listed scenario that passes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeRoot, repo, serverEnv, startHttp, step } from './mcp-support.mjs';

const reel = path.resolve(process.argv[2]);
const { top, root } = makeRoot();
const js = path.join(repo, 'tests', 'js');
const server = await startHttp(reel, root, serverEnv(top));
try {
  await step('conformance: every scenario passes but the fixture-bound ones in the baseline', async () => {
    const r = spawnSync(process.execPath, [
      '--import', path.join(js, 'conformance-on-node20.mjs'),
      path.join(js, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js'),
      'server', '--url', `http://127.0.0.1:${server.port}/mcp`, '--suite', 'all',
      '--expected-failures', path.join(js, 'mcp-conformance-baseline.yml'), '-o', path.join(top, 'results'),
    ], { cwd: top, encoding: 'utf8', timeout: 240000, maxBuffer: 64 << 20 });
    const summary = r.stdout.slice(r.stdout.indexOf('=== SUMMARY ==='));
    console.log(summary.trim());
    assert.equal(r.status, 0, `conformance failed (${r.status}):\n${summary}\n${r.stderr}`);
    for (const must of ['server-initialize', 'ping', 'tools-list', 'logging-set-level', 'dns-rebinding-protection'])
      assert.match(summary, new RegExp(`✓ ${must}:`), must);
  });
} finally {
  server.child.kill('SIGTERM');
}
fs.rmSync(top, { recursive: true, force: true });
