/**
 * Headless Chromium for tests that render pages (the People's Congress report). The browser is
 * the one shipped inside the `@sparticuz/chromium` npm package (brotli-compressed, unpacked to the
 * OS temp directory on first use), driven by `puppeteer-core`: `npm ci` is the whole install, no
 * browser download and no system package. Every launch is closed in `finally`, so no Chromium
 * process outlives the test that started it.
 *
 * The bundled fonts cover Latin only. Chinese text is in the DOM (and checked there); screenshots
 * show it only when the machine has a CJK font (e.g. Debian's fonts-wqy-zenhei): the fontconfig
 * written below adds the system font folders to the bundled ones, otherwise the glyphs are boxes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Where screenshots go (git-ignored). */
export const RESULTS_DIR = resolve(import.meta.dirname, '../../test-results');

/** Bundled fonts (unpacked to <tmp>/fonts) plus the system's, so an installed CJK font is used. */
function fontConfig(): string {
  const dir = join(tmpdir(), 'jixiao-chromium-fontconfig');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'fonts.conf'),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(tmpdir(), 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n  <dir>/usr/local/share/fonts</dir>\n  <cachedir>${join(dir, 'cache')}</cachedir>\n</fontconfig>\n`,
  );
  return dir;
}

export async function launchBrowser(): Promise<Browser> {
  // Read by the package (it only sets a default) and by Chromium's fontconfig.
  process.env.FONTCONFIG_PATH = fontConfig();
  const executablePath = await chromium.executablePath();
  return puppeteer.launch({
    executablePath,
    headless: true,
    // The package's serverless flags (no sandbox, single process friendly) plus quiet networking:
    // this machine has no internet, and the pages under test are self-contained.
    args: [...chromium.args, '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    defaultViewport: { width: 1200, height: 900, deviceScaleFactor: 1 },
  });
}

/** Runs `use` with a fresh page in a fresh browser; the browser is always closed afterwards. */
export async function withPage<T>(use: (page: Page) => Promise<T>): Promise<T> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    return await use(page);
  } finally {
    await browser.close();
  }
}

/** Renders `html` (no network: the page must be self-contained) and saves a full-page PNG. */
export async function renderHtml(html: string, screenshotPath: string): Promise<{ text: string; requests: string[] }> {
  mkdirSync(dirname(screenshotPath), { recursive: true });
  return withPage(async (page) => {
    const requests: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      // setContent itself is about:blank; anything else would be an external resource.
      if (request.url().startsWith('about:') || request.url().startsWith('data:')) return void request.continue();
      requests.push(request.url());
      void request.abort();
    });
    await page.setContent(html, { waitUntil: 'load' });
    await page.screenshot({ path: screenshotPath as `${string}.png`, fullPage: true });
    // A string expression: the project's tsconfig has no DOM lib.
    const text = (await page.evaluate('document.body.innerText')) as string;
    return { text, requests };
  });
}
