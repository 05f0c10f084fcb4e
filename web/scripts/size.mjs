// The first-load JavaScript budget: gzip size of every script index.html loads (entry + modulepreloads).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET = 300 * 1024;
const html = readFileSync("dist/index.html", "utf8");
const scripts = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
let total = 0;
for (const file of scripts) {
  const size = gzipSync(readFileSync(join("dist", file)), { level: 9 }).length;
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(7)} KB  ${file}`);
}
console.log(`${(total / 1024).toFixed(1).padStart(7)} KB  first load, gzip (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
  console.error("over budget");
  process.exit(1);
}
