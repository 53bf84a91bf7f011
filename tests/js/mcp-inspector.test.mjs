// reel mcp through the MCP Inspector's CLI (one request per run, over stdio): tools/list and a
// tools/call of get_frame succeed, and the frame is an image of the size asked for.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { decodePng, makeRoot, repo, serverEnv, step } from './mcp-support.mjs';

const reel = path.resolve(process.argv[2]);
const { top, root } = makeRoot();
const env = serverEnv(top);
const cli = path.join(repo, 'tests', 'js', 'node_modules', '@modelcontextprotocol', 'inspector-cli', 'build');

// inspector-cli 1.0.3 looks for its own package.json as "../package.json" from the current
// folder (and imports it relative to its module): run it from its build folder.
function inspect(...args) {
  const serverEnvArgs = ['XDG_CACHE_HOME', 'XDG_CONFIG_HOME', 'REEL_API_URL'].flatMap((k) => ['-e', `${k}=${env[k]}`]);
  const r = spawnSync(process.execPath, [path.join(cli, 'cli.js'), '--cli', ...serverEnvArgs, reel, 'mcp', '--root', root, ...args],
                      { cwd: cli, encoding: 'utf8', timeout: 60000, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `inspector failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

await step('inspector: tools/list', async () => {
  const list = inspect('--method', 'tools/list');
  assert.ok(list.tools.some((t) => t.name === 'get_frame' && t.outputSchema && t.inputSchema.properties.ms));
  assert.equal(list.tools.length, 11);
});

await step('inspector: tools/call get_frame', async () => {
  const r = inspect('--method', 'tools/call', '--tool-name', 'get_frame', '--tool-arg', 'draft=show/demo.json',
                    '--tool-arg', 'ms=7500', '--tool-arg', 'width=480', '--tool-arg', 'format=png');
  assert.equal(r.isError, false);
  assert.equal(r.structuredContent.frame, 225);
  const png = decodePng(Buffer.from(r.content.find((c) => c.type === 'image').data, 'base64'));
  assert.deepEqual([png.width, png.height], [480, 270]);
});

fs.rmSync(top, { recursive: true, force: true });
