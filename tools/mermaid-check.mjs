// Parse a Mermaid file with Mermaid's own parser (under jsdom, no browser) and
// print what it understood as JSON: {vertices: {id: text}, edges: [...], subgraphs: n}.
// Exit 1 with the parser's message when the file does not parse.
// Usage: node tools/mermaid-check.mjs diagram.mmd
//
// With --each, parse every file named in one run (Node and Mermaid start once) and print one
// JSON line per file, in order: {"file": path, "parsed": {...}} or {"file": path, "error": message};
// the exit status is 0 when every file was read.
// Usage: node tools/mermaid-check.mjs --each a.mmd b.mmd ...
import fs from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

async function check(text) {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  const vertices = {};
  for (const [id, vertex] of Object.entries(db.getVertices())) vertices[id] = vertex.text;
  const edges = db.getEdges().map((e) => ({ from: e.start, to: e.end, text: e.text, stroke: e.stroke }));
  return { type: diagram.type, vertices, edges, subgraphs: db.getSubGraphs().length };
}

if (process.argv[2] === "--each") {
  for (const file of process.argv.slice(3)) {
    const text = fs.readFileSync(file, "utf8");
    let line;
    try {
      line = { file, parsed: await check(text) };
    } catch (error) {
      line = { file, error: `mermaid: ${error.message || error}` };
    }
    process.stdout.write(JSON.stringify(line) + "\n");
  }
} else {
  const text = fs.readFileSync(process.argv[2], "utf8");
  try {
    process.stdout.write(JSON.stringify(await check(text)));
  } catch (error) {
    process.stderr.write(`mermaid: ${error.message || error}\n`);
    process.exit(1);
  }
}
