// Loaded with `node --import` before @modelcontextprotocol/conformance 0.1.16, which imports
// fs.globSync (Node 22) although its server mode never calls it (only `tier-check` does);
// Debian 12's node is 20. Its `import … from "fs"` gets node:fs plus a globSync that says so.
import { register } from 'node:module';

const shim = 'data:text/javascript,' + encodeURIComponent(
  "import fs from 'node:fs'; export * from 'node:fs'; export default fs;" +
  "export function globSync() { throw new Error('globSync needs Node 22 (reel runs the server scenarios only)'); }");
const hooks = 'data:text/javascript,' + encodeURIComponent(
  'export async function resolve(specifier, context, next) {' +
  "  if ((specifier === 'fs' || specifier === 'node:fs') && context.parentURL?.includes('/conformance/dist/'))" +
  `    return { url: ${JSON.stringify(shim)}, shortCircuit: true };` +
  '  return next(specifier, context);' +
  '}');
register(hooks);
