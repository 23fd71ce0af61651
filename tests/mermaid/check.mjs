// Parses Mermaid files with the real Mermaid parser; exits 1 if any fails.
// Usage: node check.mjs FILE.mmd...   (the Rust test `render::mermaid_parses` runs it)
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';

// Mermaid expects a browser; jsdom stands in for one (nothing is rendered, only parsed).
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
globalThis.Element = dom.window.Element;

const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const result = await mermaid.parse(readFileSync(file, 'utf8'));
    console.log(`ok ${file} ${result.diagramType}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${file}: ${String(e.message ?? e)}`);
  }
}
process.exit(failed ? 1 : 0);
