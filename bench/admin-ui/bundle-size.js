#!/usr/bin/env node
'use strict';
/*
 * Sizes of the built admin UI (docs/BENCHMARKS.md, "Admin UI bundle"):
 *
 *   node bench/admin-ui/bundle-size.js [dist dir, default dist/admin]
 *
 * Serves the build on 127.0.0.1, opens the login page in Debian's chromium
 * (playwright-core) with no session, and records every file it requests: that
 * is the first load. Sizes are raw and gzip (Node's zlib, level 9) of the
 * files on disk. Also prints the chunk that signing in adds and the totals.
 */
const { createServer } = require('node:http');
const { readdirSync, readFileSync, statSync } = require('node:fs');
const path = require('node:path');
const { gzipSync } = require('node:zlib');

const { chromium } = require('playwright-core');

const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'dist', 'admin'));
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function sizes(files) {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(path.join(root, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: files.length, raw, gzip };
}

function allFiles(dir = root, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory()
      ? allFiles(full, `${prefix}${name}/`)
      : [`${prefix}${name}`];
  });
}

const kib = (n) => `${n.toLocaleString('en')} B (${(n / 1024).toFixed(0)} KiB)`;

async function main() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x').pathname;
    const file = path.join(root, url === '/' ? 'index.html' : url);
    if (!file.startsWith(root)) return res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      });
      res.end(body);
    } catch {
      // The api is not running: the login page must not need it before signing in.
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage();
    const requested = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(`${base}/`);
    await page.locator('input[name="username"]').waitFor();
    await page.waitForLoadState('networkidle');
    const firstLoad = [...new Set(requested)]
      .filter((p) => p.startsWith('/'))
      .map((p) => (p === '/' ? 'index.html' : p.slice(1)));
    const missing = firstLoad.filter((f) => !allFiles().includes(f));
    if (missing.length) throw new Error(`the login page asked for missing files: ${missing}`);
    const everything = allFiles();
    const shell = everything.filter((f) => /^assets\/App-[^/]+\.js$/.test(f));
    const rest = everything.filter((f) => !firstLoad.includes(f) && !shell.includes(f));
    const rows = [
      ['First load (what the login page requests)', sizes(firstLoad)],
      ['Admin shell (after signing in)', sizes(shell)],
      ['Page chunks and the rest (lazy)', sizes(rest)],
      ['Everything', sizes(everything)],
    ];
    console.log(`first load: ${firstLoad.join(', ')}`);
    console.log('| Part | Files | Raw | gzip |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, s] of rows)
      console.log(`| ${name} | ${s.files} | ${kib(s.raw)} | ${kib(s.gzip)} |`);
  } finally {
    await browser?.close();
    server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
