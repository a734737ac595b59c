#!/usr/bin/env node
// Generate share/holidays/cn.json, the national holiday list (法定节假日与调休安排) the
// server loads at startup (src/core/workcal_json.h, per-year layout), from the npm
// package chinese-days, which tracks the State Council's yearly notices.
//
// Usage, from the repository root:
//   npm install --no-save chinese-days        # into node_modules/, not package.json
//   node scripts/gen-holidays.mjs
// or with the package anywhere else (e.g. `npm pack chinese-days && tar xzf ...`):
//   node scripts/gen-holidays.mjs --package /tmp/package --out share/holidays/cn.json
//
// Output: a JSON array with one object per year, 2004 through the last year the package
// has, in order:
//   {"year": 2025, "source": "chinese-days@1.5.7", "days": [
//     {"name": "元旦", "date": "2025-01-01", "isOffDay": true}, ...]}
// isOffDay true = a day off (the package's "holidays", which include the weekends inside
// a holiday period and the 调休 rest days), false = a makeup working day ("workdays").
// Days are sorted by date, one per line, so a yearly update reads well as a diff.
//
// The script refuses to write if the data looks wrong: a malformed date or value, a
// date both off and working, a makeup day on a weekday, a missing year, or a day on
// which the package's own isWorkday() disagrees with "listed, else Monday-Friday".
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};

function findPackage() {
  const given = opt('--package');
  if (given) return resolve(given);
  const require = createRequire(join(root, 'package.json'));
  try {
    return dirname(require.resolve('chinese-days/package.json'));
  } catch {
    console.error('chinese-days not found: run `npm install --no-save chinese-days` ' +
      'in the repository root, or pass --package DIR');
    process.exit(1);
  }
}

const pkgDir = findPackage();
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const data = JSON.parse(readFileSync(join(pkgDir, 'dist', 'chinese-days.json'), 'utf8'));
const out = resolve(opt('--out', join(root, 'share', 'holidays', 'cn.json')));
const source = `chinese-days@${pkg.version}`;

const problems = [];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const weekday = (date) => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday

for (const key of Object.keys(data))
  if (!['holidays', 'workdays', 'inLieuDays'].includes(key)) problems.push(`unknown key ${key}`);

const years = new Map(); // year -> [{name, date, isOffDay}]
function add(map, isOffDay) {
  for (const [date, value] of Object.entries(data[map] ?? {})) {
    const m = DATE.exec(date);
    const parts = String(value).split(',');
    if (!m || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
        new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
      problems.push(`${map}: bad date ${date}`);
      continue;
    }
    if (parts.length !== 3 || !parts[1] || !/^\d+$/.test(parts[2])) {
      problems.push(`${map}: ${date}: value not "English,中文,days": ${value}`);
      continue;
    }
    if (!isOffDay && weekday(date) !== 0 && weekday(date) !== 6)
      problems.push(`workdays: ${date} is not a Saturday or Sunday`);
    const year = Number(m[1]);
    if (!years.has(year)) years.set(year, []);
    years.get(year).push({ name: parts[1], date, isOffDay });
  }
}
add('holidays', true);
add('workdays', false);
for (const date of Object.keys(data.workdays ?? {}))
  if (data.holidays?.[date]) problems.push(`${date} is both a holiday and a workday`);
for (const date of Object.keys(data.inLieuDays ?? {}))
  if (!data.holidays?.[date]) problems.push(`inLieuDays: ${date} is not in holidays`);

const first = 2004;
const last = Math.max(...years.keys());
for (let y = first; y <= last; y++) if (!years.has(y)) problems.push(`no data for ${y}`);
for (const y of years.keys()) if (y < first) problems.push(`year ${y} before ${first}`);

// Cross-check against the package's own answer for every day of every year.
try {
  const require = createRequire(join(pkgDir, 'package.json'));
  const lib = require(join(pkgDir, pkg.main));
  const listed = new Map();
  for (const days of years.values()) for (const d of days) listed.set(d.date, !d.isOffDay);
  for (let t = Date.UTC(first, 0, 1); t <= Date.UTC(last, 11, 31); t += 86400000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const ours = listed.has(date) ? listed.get(date) : weekday(date) >= 1 && weekday(date) <= 5;
    if (lib.isWorkday(date) !== ours) problems.push(`${date}: isWorkday() disagrees`);
  }
} catch (e) {
  problems.push(`cannot cross-check with the package's isWorkday(): ${e.message}`);
}

if (problems.length) {
  console.error(problems.slice(0, 50).join('\n'));
  console.error(`${problems.length} problem(s); nothing written`);
  process.exit(1);
}

const lines = ['['];
for (let y = first; y <= last; y++) {
  const days = years.get(y).sort((a, b) => (a.date < b.date ? -1 : 1));
  lines.push(`  {"year": ${y}, "source": ${JSON.stringify(source)}, "days": [`);
  days.forEach((d, i) => {
    const day = `{"name": ${JSON.stringify(d.name)}, "date": "${d.date}", "isOffDay": ${d.isOffDay}}`;
    lines.push(`    ${day}${i < days.length - 1 ? ',' : ''}`);
  });
  lines.push(`  ]}${y < last ? ',' : ''}`);
}
lines.push(']');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, lines.join('\n') + '\n');
console.log(`wrote ${out}: ${first}-${last} from ${source}`);
