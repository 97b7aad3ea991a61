// The two reports `--report DIR` writes: JUnit XML for CI systems (one testcase per check; a failure carries the
// problems and the request and answer of each failing exchange) and a Markdown summary for a reviewer (one row per
// check, then each failure's requests and answers). Credentials are masked in both.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult } from './check.ts';
import { describeExchange } from './http.ts';
import type { RunReport } from './run.ts';

// XML 1.0 allows no control characters but tab, newline and carriage return: an answer may hold any.
const xmlSafe = (text: string) =>
  [...text].map((ch) => (ch.charCodeAt(0) < 32 && !'\t\n\r'.includes(ch) ? '?' : ch)).join('');
const xml = (text: string) =>
  xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function details(result: CheckResult, secrets: string[]): string {
  const shown = result.failedExchanges.slice(0, 5);
  const more = result.failedExchanges.length - shown.length;
  return [
    ...result.problems,
    ...shown.map((e) => `\n${describeExchange(e, secrets)}`),
    ...(more > 0 ? [`\n(${more} more failing exchanges)`] : []),
  ].join('\n');
}

export function junitXml(report: RunReport, secrets: string[]): string {
  const count = (v: string) => report.results.filter((r) => r.verdict === v).length;
  const cases = report.results.map((r) => {
    const open = `    <testcase classname="conform.${report.contract}" name="${xml(r.name)}" time="${(r.ms / 1000).toFixed(3)}"`;
    if (r.verdict === 'pass') return `${open}/>`;
    if (r.verdict === 'skip') return `${open}>\n      <skipped message="${xml(r.reason)}"/>\n    </testcase>`;
    return `${open}>\n      <failure message="${xml(r.reason.slice(0, 500))}">${xml(details(r, secrets))}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bbps-conform" tests="${report.results.length}" failures="${count('fail')}" skipped="${count('skip')}" time="${(report.ms / 1000).toFixed(3)}">`,
    `  <testsuite name="${report.contract} ${xml(report.url)}" tests="${report.results.length}" failures="${count('fail')}" skipped="${count('skip')}" timestamp="${report.startedAt}" time="${(report.ms / 1000).toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function markdown(report: RunReport, secrets: string[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const count = (v: string) => report.results.filter((r) => r.verdict === v).length;
  const lines = [
    `# Conformance report: ${report.contract}`,
    '',
    `Biller: ${report.url} · started ${report.startedAt} · ${(report.ms / 1000).toFixed(1)} s · timeout ${report.timeoutMs} ms`,
    '',
    `**${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped.** Answer times: ${report.timing.count} answers, p50 ${report.timing.p50.toFixed(1)} ms, p99 ${report.timing.p99.toFixed(1)} ms.`,
    '',
    '| check | verdict | reason | what it checks |',
    '| --- | --- | --- | --- |',
    ...report.results.map((r) => `| \`${r.name}\` | ${r.verdict} | ${cell(r.reason)} | ${cell(r.description)} |`),
  ];
  const failures = report.results.filter((r) => r.verdict === 'fail');
  if (failures.length) lines.push('', '## Failures');
  for (const r of failures) {
    lines.push('', `### \`${r.name}\``, '', ...r.problems.map((p) => `- ${p}`));
    for (const e of r.failedExchanges.slice(0, 5)) lines.push('', '```http', describeExchange(e, secrets), '```');
  }
  return `${lines.join('\n')}\n`;
}

export async function writeReports(dir: string, report: RunReport, secrets: string[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = [join(dir, `conform-${report.contract}.junit.xml`), join(dir, `conform-${report.contract}.md`)];
  await writeFile(files[0] as string, junitXml(report, secrets));
  await writeFile(files[1] as string, markdown(report, secrets));
  return files;
}
