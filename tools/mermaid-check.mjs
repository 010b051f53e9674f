// Parse a Mermaid file with Mermaid's own parser (under jsdom, no browser) and
// print what it understood as JSON: {vertices: {id: text}, edges: [...], subgraphs: n}.
// Exit 1 with the parser's message when the file does not parse.
// Usage: node tools/mermaid-check.mjs diagram.mmd
import fs from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
const text = fs.readFileSync(process.argv[2], "utf8");
try {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  const vertices = {};
  for (const [id, vertex] of Object.entries(db.getVertices())) vertices[id] = vertex.text;
  const edges = db.getEdges().map((e) => ({ from: e.start, to: e.end, text: e.text, stroke: e.stroke }));
  process.stdout.write(JSON.stringify({ type: diagram.type, vertices, edges, subgraphs: db.getSubGraphs().length }));
} catch (error) {
  process.stderr.write(`mermaid: ${error.message || error}\n`);
  process.exit(1);
}
