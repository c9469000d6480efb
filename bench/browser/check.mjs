// Real-browser check of Chancery's pages, run by bench/browser-check.sh
// (which installs the packages, starts the server and cleans up after
// Chromium if this script is killed).
//
//   node check.mjs --port PORT [--scores FILE] [--desktop] [--runs N] [--no-lighthouse]
//                  [--chromium /usr/bin/chromium] [--profile DIR] [--pid-file FILE]
//
// (a) axe-core inside Chromium on every page below: the violations of WCAG
//     2.1 A/AA and axe's best practices are printed, and any makes the exit
//     status 1. So does a page answering other than expected, except a 404
//     where a 200 was expected (a page not built yet: reported only).
// (b) Lighthouse (performance, accessibility, best practices, SEO; its
//     defaults: a mobile device with simulated throttling, plus the desktop
//     preset with --desktop) on the pages marked lighthouse. Its scores are
//     figures, never a failure: printed, and written as a Markdown table to
//     --scores FILE, with the failing audits of every score below 95.
//
// The script must be run from a folder whose node_modules holds the
// packages of package.json (browser-check.sh links one in).

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

// ---- What is checked: edit here. ------------------------------------------

// Each site and language is crawled from its home page: the pages' kinds
// below are found by following links, so they follow the templates.
const SITES = [
  { host: 'un.localhost', langs: ['en', 'zh'], lighthouse: true },
  { host: 'embassy.localhost', langs: ['en', 'zh'], lighthouse: false },
];
// The network's index of sites, on --network-host.
const NETWORK = [
  { name: 'network index', host: 'localhost', path: '/', status: 200, lighthouse: false },
  { name: 'back office sign-in', host: 'localhost', path: '/admin/sign-in', status: 200, lighthouse: false },
  { name: 'back office sign-in (Chinese)', host: 'localhost', path: '/admin/sign-in?lang=zh', status: 200, lighthouse: false },
];
// The kinds of page checked on each site and language; comment one out to
// skip it. status is what the page must answer.
const KINDS = [
  { kind: 'home', status: 200, lighthouse: true },   // /en/
  { kind: 'section', status: 200 },                  // first main-navigation section
  { kind: 'archive', status: 200 },                  // first /<section>/YYYY/MM/ of that section's first year
  { kind: 'article', status: 200, lighthouse: true },// first article linked from the home page
  { kind: 'search', status: 200 },                   // /en/search/?q=<a word of the article's title>
  { kind: 'notfound', status: 404 },                 // /en/no-such-page
  { kind: 'share', status: 200 },                    // the article's share page (/en/share/<id>/)
];
const NOT_FOUND_PATH = 'no-such-page';
// axe-core's rule tags: WCAG 2.0 and 2.1, levels A and AA, and best practices.
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const LH_CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
// Scores under this (0-100) get their failing audits listed.
const LH_LIST_BELOW = 95;
// The launch flags that work on the CI machines (no GPU, no sandbox as root,
// nothing fetched from the network behind our back).
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // Chromium sends *.localhost to loopback by itself; say it anyway.
  '--host-resolver-rules=MAP localhost 127.0.0.1, MAP *.localhost 127.0.0.1',
];

// ---- The check. ------------------------------------------------------------

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    scores: { type: 'string' },
    desktop: { type: 'boolean', default: false },
    runs: { type: 'string', default: '1' },
    'no-lighthouse': { type: 'boolean', default: false },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    profile: { type: 'string' },
    'pid-file': { type: 'string' },
  },
});
if (!args.port) {
  console.error('usage: node check.mjs --port PORT [--scores FILE] [--desktop] [--no-lighthouse]');
  process.exit(2);
}
const port = Number(args.port);
const origin = (host) => `http://${host}:${port}`;

const require = createRequire(`${process.cwd()}/`);
const puppeteer = (await import('puppeteer-core')).default;
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const axeVersion = JSON.parse(readFileSync(require.resolve('axe-core/package.json'), 'utf8')).version;

const problems = [];   // failures: each makes the exit status 1
const notes = [];      // reported, not failures
const violationsByRule = new Map();

const browser = await puppeteer.launch({
  executablePath: args.chromium,
  headless: true, // Chromium's new headless mode
  args: CHROMIUM_FLAGS,
  userDataDir: args.profile,
  defaultViewport: { width: 1280, height: 900 },
  protocolTimeout: 120_000,
});
if (args['pid-file'] && browser.process()) writeFileSync(args['pid-file'], `${browser.process().pid}\n`);
console.log(`Chromium: ${await browser.version()}; axe-core ${axeVersion}`);

let exitCode = 0;
try {
  const page = await newPage();
  const targets = await crawl(page);
  console.log(`\n== axe-core (${AXE_TAGS.join(', ')}) on ${targets.length} pages`);
  for (const t of targets) await axeCheck(page, t);
  await page.close();
  if (violationsByRule.size) {
    console.log('\naxe violations by rule:');
    for (const [rule, pages] of violationsByRule) console.log(`  ${rule}: ${pages.size} page(s)`);
  }
  if (!args['no-lighthouse']) await lighthouseAll(targets.filter((t) => t.lighthouse && t.status === t.expect));
  if (notes.length) {
    console.log('\nNotes (not failures):');
    for (const n of notes) console.log(`  - ${n}`);
  }
  if (problems.length) {
    console.log(`\nFAIL: ${problems.length} problem(s):`);
    for (const p of problems) console.log(`  - ${p}`);
    exitCode = 1;
  } else {
    console.log('\nok: no axe violations, every page answered as expected');
  }
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await browser.close().catch(() => {});
}
process.exit(exitCode);

// crawl visits each site's home page and follows its links to one page of
// every kind, returning {name, url, expect, status, lighthouse} in order.
async function crawl(page) {
  const out = [];
  for (const n of NETWORK) {
    out.push({ name: n.name, url: origin(n.host) + n.path, expect: n.status, lighthouse: n.lighthouse });
  }
  for (const site of SITES) {
    for (const lang of site.langs) {
      const base = origin(site.host);
      const label = (kind) => `${site.host} ${lang} ${kind}`;
          const add = (kind, url, why) => {
        const k = KINDS.find((x) => x.kind === kind);
        if (!k) return;
        if (!url) {
          problems.push(`${label(kind)}: not found (${why})`);
          return;
        }
        out.push({ name: label(kind), url, expect: k.status, lighthouse: site.lighthouse && k.lighthouse });
      };
      const home = `${base}/${lang}/`;
      add('home', home);
      const homeLinks = await linksOf(page, home);
      const sameSite = (l) => l.href.startsWith(`${base}/${lang}/`);
      const section = homeLinks.find((l) => l.nav && sameSite(l) && !l.current &&
        new RegExp(`^/${lang}/[^/]+/$`).test(new URL(l.href).pathname) && !/\/search\/$/.test(l.href));
      add('section', section?.href, 'no section link in the main navigation');
      if (section) {
        // A section links its years, a year its months.
        const year = (await linksOf(page, section.href)).find((l) =>
          sameSite(l) && /\/\d{4}\/$/.test(new URL(l.href).pathname));
        const archive = year && (await linksOf(page, year.href)).find((l) =>
          sameSite(l) && /\/\d{4}\/\d{2}\/$/.test(new URL(l.href).pathname));
        add('archive', archive?.href, year ? `no /YYYY/MM/ link on ${year.href}` : `no /YYYY/ link on ${section.href}`);
      }
      const article = homeLinks.find((l) => l.main && sameSite(l) && /\/\d{4}\/\d{2}\/[^/]+$/.test(new URL(l.href).pathname));
      add('article', article?.href, 'no article link in the home page\'s main');
      if (article) {
        await page.goto(article.href, { waitUntil: 'load' });
        const { title, share } = await page.evaluate(() => ({
          title: document.querySelector('main h1')?.textContent ?? '',
          share: [...document.querySelectorAll('a[href]')].map((a) => a.href).find((h) => /\/share\//.test(h)) ?? '',
        }));
        add('search', `${base}/${lang}/search/?q=${encodeURIComponent(searchWord(title))}`);
        if (KINDS.some((k) => k.kind === 'share')) {
          let url = share;
          if (!url) {
            // Not linked (yet): the article's number is the last part of
            // its Chinese address; try the address the share page will have.
            const zh = await page.evaluate(() => document.querySelector('link[rel=alternate][hreflang=zh]')?.getAttribute('href') ?? '');
            const id = (lang === 'zh' ? article.href : zh).split('/').pop();
            url = /^\d+$/.test(id) ? `${base}/${lang}/share/${id}/` : '';
            notes.push(`${label('share')}: the article links to no /share/ page; tried ${url || '(no article number found)'}`);
          }
          add('share', url, 'no share link and no article number');
        }
      }
      add('notfound', `${base}/${lang}/${NOT_FOUND_PATH}`);
    }
  }
  return out;
}

// searchWord picks a word of a title to search for: the longest Latin word,
// or, in Chinese, the title's first two Han characters (search matches
// Chinese by character pairs).
function searchWord(title) {
  const han = title.match(/\p{Script=Han}{2}/u);
  if (han) return han[0];
  const words = (title.match(/\p{L}{4,}/gu) ?? []).sort((a, b) => b.length - a.length);
  return words[0] ?? 'statement';
}

// newPage opens a tab that axe can run in: the pages' CSP forbids injected
// scripts, and the cache is off so that every visit answers 200, not 304.
async function newPage() {
  const page = await browser.newPage();
  await page.setBypassCSP(true);
  await page.setCacheEnabled(false);
  return page;
}

async function linksOf(page, url) {
  const res = await page.goto(url, { waitUntil: 'load' });
  if (!res || res.status() !== 200) return [];
  return page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => ({
    href: a.href,
    nav: !!a.closest('nav'),
    main: !!a.closest('main'),
    current: a.hasAttribute('aria-current'),
  })));
}

async function axeCheck(page, t) {
  const res = await page.goto(t.url, { waitUntil: 'load' });
  t.status = res ? res.status() : 0;
  if (t.status !== t.expect) {
    const msg = `${t.name}: ${t.url} answered ${t.status}, expected ${t.expect}`;
    if (t.status === 404 && t.expect === 200) {
      notes.push(`${msg} (not built yet? not a failure; axe skipped: the 404 page is checked on its own)`);
      console.log(`-- ${t.name}: 404, skipped (${t.url})`);
      return;
    }
    problems.push(msg);
  }
  await page.evaluate(axeSource);
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations', 'incomplete'],
  }), AXE_TAGS);
  const v = result.violations;
  console.log(`-- ${t.name}: ${t.status}, ${v.length ? `${v.length} violation(s)` : 'no violations'} (${t.url})`);
  for (const r of v) {
    console.log(`   ${r.id} [${r.impact}] ${r.help}\n     ${r.helpUrl}`);
    for (const n of r.nodes.slice(0, 10)) {
      console.log(`     - ${n.target.join(' ')}  ${n.html.slice(0, 160)}`);
      if (n.failureSummary) console.log(`       ${n.failureSummary.replace(/\n\s*/g, ' / ')}`);
    }
    if (r.nodes.length > 10) console.log(`     ... and ${r.nodes.length - 10} more`);
    problems.push(`${t.name}: axe ${r.id} (${r.impact}) on ${r.nodes.length} element(s)`);
    if (!violationsByRule.has(r.id)) violationsByRule.set(r.id, new Set());
    violationsByRule.get(r.id).add(t.name);
  }
  const review = result.incomplete.map((r) => `${r.id} (${r.nodes.length})`);
  if (review.length) notes.push(`${t.name}: axe could not decide, check by hand: ${review.join(', ')}`);
}

async function lighthouseAll(targets) {
  const { default: lighthouse } = await import('lighthouse');
  const lhVersion = JSON.parse(readFileSync(require.resolve('lighthouse/package.json'), 'utf8')).version;
  const presets = [{ name: 'mobile', config: undefined }];
  if (args.desktop) presets.push({ name: 'desktop', config: (await import('lighthouse/core/config/desktop-config.js')).default });
  const debugPort = Number(new URL(browser.wsEndpoint()).port);
  const rows = [];
  const failing = [];
  console.log(`\n== Lighthouse ${lhVersion} (${presets.map((p) => p.name).join(', ')}; simulated throttling) on ${targets.length} pages`);
  for (const t of targets) {
    for (const preset of presets) {
      const started = Date.now();
      const runs = [];
      for (let i = 0; i < Math.max(1, Number(args.runs) || 1); i++) {
        const runner = await lighthouse(t.url, {
          port: debugPort, output: 'json', logLevel: 'error', onlyCategories: LH_CATEGORIES,
        }, preset.config);
        runs.push(runner?.lhr);
      }
      // The run of median performance, as Lighthouse's docs advise.
      const ok = runs.filter((r) => r && !r.runtimeError)
        .sort((a, b) => (a.categories.performance?.score ?? 0) - (b.categories.performance?.score ?? 0));
      const lhr = ok.length ? ok[Math.floor((ok.length - 1) / 2)] : runs[0];
      if (!lhr || lhr.runtimeError) {
        notes.push(`Lighthouse ${preset.name} ${t.name}: ${lhr?.runtimeError?.message ?? 'no result'}`);
        continue;
      }
      const scores = LH_CATEGORIES.map((c) => lhr.categories[c]?.score == null ? null : Math.round(lhr.categories[c].score * 100));
      rows.push({ page: t.name, url: t.url, form: preset.name, scores });
      console.log(`-- ${t.name} (${preset.name}, ${((Date.now() - started) / 1000).toFixed(1)} s): ${LH_CATEGORIES.map((c, i) => `${c} ${scores[i] ?? '-'}`).join(', ')}`);
      for (const w of lhr.runWarnings ?? []) notes.push(`Lighthouse ${preset.name} ${t.name}: ${w}`);
      LH_CATEGORIES.forEach((c, i) => {
        if (scores[i] == null || scores[i] >= LH_LIST_BELOW) return;
        for (const ref of lhr.categories[c].auditRefs) {
          const a = lhr.audits[ref.id];
          if (!a || a.score == null || a.score >= 0.9 || ['manual', 'notApplicable', 'informative'].includes(a.scoreDisplayMode)) continue;
          const line = `${c} ${scores[i]}: ${a.id} (score ${Math.round(a.score * 100)}, weight ${ref.weight}) ${a.title}${a.displayValue ? ` — ${a.displayValue}` : ''}${a.explanation ? ` (${a.explanation})` : ''}`;
          console.log(`   ${line}`);
          const items = a.details?.items ?? [];
          for (const it of items.slice(0, 5)) {
            const what = it.node?.selector ?? it.node?.snippet ?? it.url ?? it.source?.url ?? it.description ?? '';
            if (what) console.log(`     - ${String(what).slice(0, 160)}`);
          }
          failing.push(`${t.name} (${preset.name}) ${line}`);
        }
      });
    }
  }
  const table = [
    `Lighthouse ${lhVersion}, ${await browser.version()}, ${presets.map((p) => p.name).join(' and ')} (Lighthouse's default settings: simulated throttling)`,
    '',
    `| page | form factor | ${LH_CATEGORIES.join(' | ')} |`,
    `| --- | --- | ${LH_CATEGORIES.map(() => '---:').join(' | ')} |`,
    ...rows.map((r) => `| ${r.page} (\`${new URL(r.url).pathname}\`) | ${r.form} | ${r.scores.map((s) => s ?? '–').join(' | ')} |`),
  ];
  if (failing.length) table.push('', `Audits failing where a score is below ${LH_LIST_BELOW}:`, '', ...failing.map((f) => `- ${f}`));
  console.log(`\n${table.join('\n')}`);
  if (args.scores) {
    writeFileSync(args.scores, `${table.join('\n')}\n`);
    console.log(`\nscores written to ${args.scores}`);
  }
}
