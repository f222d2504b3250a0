import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
await page.goto('file://' + process.argv[2]);
await page.locator('#chart').screenshot({ path: process.argv[3] });
await browser.close();
