// The back-office console end to end: the real binary (SQLite, a fake Paystack speaking Paystack's wire format)
// and the built console, driven in Debian's headless Chromium by playwright-core (no browser download).
// A trader signs in, creates an event and a market, moves odds (the public API returns them), sees a bet's
// liability, settles; finance approves a withdrawal; support finds a player, locks them and sees the audit
// record; a player's token loads no admin data. Screenshots of each page go to ARTIFACTS_DIR.
// Every wait is on a selector or a response, never a fixed sleep.
//
// usage: node console.mjs PATH_TO_BET2WEALTH CONSOLE_NODE_MODULES ARTIFACTS_DIR
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const [binary, modules, artifacts] = process.argv.slice(2);
if (!binary || !modules || !artifacts) {
  console.error('usage: node console.mjs PATH_TO_BET2WEALTH CONSOLE_NODE_MODULES ARTIFACTS_DIR');
  process.exit(2);
}
const { chromium } = createRequire(path.join(path.resolve(modules), 'noop.js'))('playwright-core');
const source = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
if (!chromiumPath) {
  console.error('console e2e: chromium is not installed (scripts/deps.sh test)');
  process.exit(1);
}
fs.rmSync(artifacts, { recursive: true, force: true });
fs.mkdirSync(artifacts, { recursive: true });

const SECRET = 'sk_test_console_e2e_0123456789';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'b2w-console-'));
const children = [];
let failed = false;

// The test's own kobo -> naira, written apart from the console's.
function naira(kobo) {
  const whole = Math.trunc(kobo / 100).toLocaleString('en-US');
  return `₦${whole}.${String(kobo % 100).padStart(2, '0')}`;
}

function step(text) {
  console.log(`console e2e: ${text}`);
}
function check(condition, text) {
  if (!condition) throw new Error(`check failed: ${text}`);
}

// Starts a process and resolves with the first match of `pattern` in its stdout (or fails on exit/timeout).
function startAndWait(command, args, env, pattern, logName) {
  const log = fs.createWriteStream(path.join(artifacts, logName));
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${logName}: did not start in 20 s`)), 20000);
    child.stdout.on('data', (d) => {
      log.write(d);
      text += d;
      const m = pattern.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.stderr.on('data', (d) => log.write(d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${logName}: exited with ${code} before it was ready`));
    });
  });
}

function run(command, args, env, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')}: exit ${code}: ${out}`))));
    child.stdin.end(input ?? '');
  });
}

async function main() {
  const fake = await startAndWait('/usr/bin/python3', [path.join(source, 'tests/support/fake_paystack.py'), SECRET],
    process.env, /PORT (\d+)\n/, 'fake_paystack.log');
  const paystack = `http://127.0.0.1:${fake[1]}`;
  const env = {
    ...process.env,
    PORT: '0',
    BIND_ADDRESS: '127.0.0.1',
    SHUTDOWN_DRAIN_SECONDS: '0',
    DATA_DIR: work,
    PAYSTACK_SECRET_KEY: SECRET,
    PAYSTACK_BASE_URL: paystack,
    PAYSTACK_TIMEOUT: '2s',
    JWT_SECRET: 'console-e2e-jwt-secret-0123456789abcdefgh',
    JWT_REFRESH_SECRET: 'console-e2e-refresh-secret-0123456789abcd',
    RATE_LIMIT_PERMISSION_POINTS: '1000000',
    REGISTER_MAX_PER_IP: '100000',
    MIN_DEPOSIT: '1',
    MIN_WITHDRAWAL: '1',
    WITHDRAWAL_REVIEW_THRESHOLD: '1000',
  };
  // The server (it applies the schema), then the staff account from the command line, as an operator would.
  const listening = await startAndWait(binary, ['serve'], env, /"msg":"listening".*?"port":(\d+)/, 'server.log');
  const origin = `http://127.0.0.1:${listening[1]}`;
  const base = `${origin}/api/v1`;
  await run(binary, ['admin', 'create', '--email', 'ops@bet2wealth.co', '--role', 'superadmin'], env, 'console-pass-123\n');
  step(`server at ${origin}, fake Paystack at ${paystack}`);

  async function call(method, p, body, token, key) {
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (key) headers['Idempotency-Key'] = key;
    const res = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null, text };
  }
  async function player(email) {
    const r = await call('POST', '/auth/register',
      { email, password: 'player-pass-1', date_of_birth: '1990-06-15', full_name: 'Ada Obi' });
    check(r.status === 201, `register ${email}: ${r.text}`);
    return r.json;
  }
  // A deposit paid: initialized through the API, then Paystack's signed charge.success webhook.
  async function fund(token, amount) {
    const dep = await call('POST', '/wallet/deposits', { amount }, token, `fund-${amount}`);
    check(dep.status === 201, `deposit: ${dep.text}`);
    const body = JSON.stringify({ event: 'charge.success', data: { id: 1, domain: 'test', status: 'success',
      reference: dep.json.reference, amount, currency: 'NGN', channel: 'card', paid_at: new Date().toISOString() } });
    const res = await fetch(`${base}/payments/paystack/webhook`, { method: 'POST', body,
      headers: { 'Content-Type': 'application/json', 'x-paystack-signature': createHmac('sha512', SECRET).update(body).digest('hex') } });
    check(res.status === 200, `webhook: ${res.status}`);
    // Paystack's own record of it says paid too (what its listings show the reconciliation).
    const marked = await fetch(`${paystack}/_verify_status`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'transaction', reference: dep.json.reference, status: 'success' }) });
    check(marked.status === 200, `fake Paystack's record: ${marked.status}`);
  }

  // The punter: funded, and a withdrawal above the review threshold waiting for finance.
  const punter = await player('punter.e2e@example.ng');
  const token = punter.access_token;
  await fund(token, 500000);
  await fetch(`${paystack}/_resolve`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ bank_code: '058', account_number: '0123456789', account_name: 'OBI ADA' }) });
  const account = await call('POST', '/wallet/payout-accounts', { bank_code: '058', account_number: '0123456789' }, token);
  check(account.status === 201 || account.status === 200, `payout account: ${account.text}`);
  const wd = await call('POST', '/wallet/withdrawals', { amount: 5000, payout_account_id: account.json.id }, token, 'wd-e2e');
  check(wd.status === 201 || wd.status === 202, `withdrawal: ${wd.text}`);
  check(wd.json.status === 'awaiting_review', `withdrawal awaits review: ${wd.text}`);

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of (401|403|404)/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    const shot = (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

    // Sign in.
    await page.goto(`${base}/console`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot('01-signin');
    await page.getByLabel('Email').fill('ops@bet2wealth.co');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Request id').waitFor();
    step('a wrong password shows the API error with its request id');
    await page.getByLabel('Password').fill('console-pass-123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    check(page.url().endsWith('/api/v1/console/dashboard'), `after sign-in: ${page.url()}`);
    await page.locator('[data-figure="Deposits"]', { hasText: /^₦5,000\.00$/ }).waitFor();
    step('signed in: the dashboard shows today\'s deposits');
    await page.getByRole('link', { name: 'Trading' }).click();
    await page.getByRole('heading', { name: 'Events', exact: true }).waitFor();

    // Create an event (start time in Lagos, tomorrow 18:00 WAT).
    const tomorrow = new Date(Date.now() + 36 * 3600 * 1000 + 3600 * 1000).toISOString().slice(0, 10);
    const create = page.locator('form[aria-labelledby="new-event"]');
    await create.getByLabel('Sport').selectOption('football');
    await create.getByLabel('Home').fill('Enyimba');
    await create.getByLabel('Away').fill('Kano Pillars');
    await create.getByLabel('Starts at (WAT (Africa/Lagos))').fill(`${tomorrow}T18:00`);
    await shot('02-events');
    await create.getByRole('button', { name: 'Create event' }).click();
    await page.getByRole('heading', { name: 'Enyimba vs Kano Pillars' }).waitFor();
    const eventId = page.url().split('/').pop();
    const meta = await page.locator('p.meta').first().textContent();
    check(meta.includes('18:00 WAT (Africa/Lagos)'), `the start in Lagos time: ${meta}`);
    step(`event ${eventId} created`);

    // Create a market with three selections.
    const odds = page.getByLabel('Odds', { exact: true });
    await odds.nth(0).fill('2.10');
    await odds.nth(1).fill('3.20');
    await odds.nth(2).fill('3.40');
    await page.getByRole('button', { name: 'Create market' }).click();
    const market = page.locator('section.market');
    await market.waitFor();
    const marketId = await market.getAttribute('data-market');
    let pub = await call('GET', `/events/${eventId}`);
    const selections = pub.json.markets[0].selections;
    check(selections.length === 3 && selections[0].odds === '2.10', `public market: ${pub.text}`);
    const home = selections[0].id;
    step(`market ${marketId} created`);

    // Move the home price: the version moves and the public API returns the new odds.
    await market.getByLabel('Odds for Enyimba').fill('2.25');
    await market.getByRole('button', { name: 'Save odds' }).click();
    await market.locator('[data-version]', { hasText: /^2$/ }).waitFor();
    pub = await call('GET', `/events/${eventId}`);
    check(pub.json.markets[0].selections[0].odds === '2.25', `public odds after the move: ${pub.text}`);
    await market.getByRole('button', { name: 'Suspend' }).click();
    await market.locator('[data-status]', { hasText: /^suspended$/ }).waitFor();
    pub = await call('GET', `/events/${eventId}`);
    check(pub.json.markets[0].status === 'suspended', 'suspended publicly');
    await market.getByRole('button', { name: 'Reopen' }).click();
    await market.locator('[data-status]', { hasText: /^open$/ }).waitFor();
    step('odds moved, suspended and reopened; the public API agrees');

    // A bet through the API; the liability shows it.
    const placed = await call('POST', '/bets', { stake: 10000, legs: [{ selection_id: home, odds: '2.25' }] }, token, 'bet-e2e');
    check(placed.status === 201, `bet: ${placed.text}`);
    await market.getByRole('button', { name: 'Refresh liability' }).click();
    await market.locator(`[data-payout="${home}"]`, { hasText: /^₦225\.00$/ }).waitFor();
    await market.getByText('1 open bets, stakes ₦100.00').waitFor();
    await shot('03-market-liability');
    step('liability shows the bet: ₦225.00 if Enyimba wins');

    // Settle with a confirmation that shows what it settles.
    await market.getByLabel('Result for Enyimba').selectOption('won');
    await market.getByLabel('Result for Draw').selectOption('lost');
    await market.getByLabel('Result for Kano Pillars').selectOption('lost');
    await market.getByRole('button', { name: 'Settle…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('1 open bets, stakes ₦100.00. Winners pay ₦225.00.').waitFor();
    await shot('04-settle-confirm');
    await dialog.getByRole('button', { name: 'Settle market' }).click();
    await market.getByText('1 bets settled.').waitFor();
    await market.locator('[data-status]', { hasText: /^settled$/ }).waitFor();
    const settledBet = await call('GET', `/bets/${placed.json.id}`, undefined, token);
    check(settledBet.json.status === 'won' && settledBet.json.payout === 22500, `the bet settled: ${settledBet.text}`);
    step('settled: the bet won ₦225.00');

    // The event in the list of its Lagos day; it goes live from its own page.
    await page.getByRole('link', { name: 'Trading' }).click();
    await page.locator('form[aria-label="Filter events"]').getByLabel('Day (WAT (Africa/Lagos))').fill(tomorrow);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/day=/);
    await page.getByRole('link', { name: 'Enyimba vs Kano Pillars' }).click();
    await page.locator('form[aria-labelledby="edit-event"]').getByLabel('Status').selectOption('live');
    await page.getByRole('button', { name: 'Save event' }).click();
    await page.locator('p.meta span.status', { hasText: /^live$/ }).waitFor();
    pub = await call('GET', `/events/${eventId}`);
    check(pub.json.status === 'live', `the event is live publicly: ${pub.text}`);
    step('the event is listed on its Lagos day and set live from its page');


    await page.getByRole('link', { name: 'Withdrawals' }).click();
    await page.locator(`[data-approve="${wd.json.id}"]`).waitFor();
    await page.getByText('₦50.00').waitFor();
    await shot('05-withdrawals');
    await page.locator(`[data-approve="${wd.json.id}"]`).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await page.locator(`[data-approve="${wd.json.id}"]`).waitFor({ state: 'detached' });
    const after = await call('GET', `/wallet/withdrawals/${wd.json.id}`, undefined, token);
    check(after.json.status !== 'awaiting_review', `the withdrawal left review: ${after.text}`);
    step(`withdrawal approved (now ${after.json.status})`);

    // Finance: today's reconciliation with Paystack shows the deposit (the fake lists what it saw).
    await page.getByRole('link', { name: 'Reconciliation' }).click();
    await page.locator('[data-total="ours-deposits"]', { hasText: /^₦5,000\.00$/ }).waitFor();
    await page.locator('[data-total="paystack-deposits"]', { hasText: /^₦5,000\.00$/ }).waitFor();
    await page.locator('[data-clean="true"]').waitFor();
    await shot('05b-reconciliation');
    step('the day\'s reconciliation is clean: ₦5,000.00 deposited on both sides');

    // The day's figures after the settlement: turnover ₦100.00, GGR ₦100.00 - ₦225.00, one active player.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('[data-figure="Turnover"]', { hasText: /^₦100\.00$/ }).waitFor();
    await page.locator('[data-figure="GGR"]', { hasText: /^−₦125\.00$/ }).waitFor();
    await page.locator('[data-figure="Active players"]', { hasText: /^1$/ }).waitFor();
    await page.locator('[data-figure="Open liability"]', { hasText: /^₦0\.00$/ }).waitFor();
    await shot('05c-dashboard');
    step('the dashboard: turnover ₦100.00, GGR −₦125.00, one active player');

    // An access token the server refuses (as an expired one is): the console refreshes once and the page loads.
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/auth/refresh') && r.status() === 200);
    await page.evaluate(() => {
      const s = JSON.parse(sessionStorage.getItem('b2w.console.session'));
      s.access_token = 'not.a.valid-token';
      sessionStorage.setItem('b2w.console.session', JSON.stringify(s));
    });
    await page.goto(`${base}/console/audit`);
    await refreshed;
    await page.locator('[data-action="withdrawal.approve"]').waitFor();
    const renewed = await page.evaluate(() => JSON.parse(sessionStorage.getItem('b2w.console.session')).access_token);
    check(renewed !== 'not.a.valid-token', 'the session holds the refreshed access token');
    step('a refused access token is refreshed once and the page loads');

    // Support: find the player, lock them, see the audit record.
    await page.getByRole('link', { name: 'Players' }).click();
    await page.getByLabel('Email, phone or id').fill('punter.e2e@example.ng');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'punter.e2e@example.ng' }).click();
    await page.getByRole('heading', { name: 'Ada Obi' }).waitFor();
    const wallet = await call('GET', '/wallet', undefined, token);
    await page.locator('[data-fact="Balance"]', { hasText: naira(wallet.json.balance) }).waitFor();
    await page.getByLabel('Reason (kept in the audit trail)').fill('e2e: documents requested');
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.locator('[data-fact="Account"]', { hasText: /^locked since .* WAT \(Africa\/Lagos\)$/ }).waitFor();
    await shot('06-player-locked');
    await page.getByLabel('Tier', { exact: true }).selectOption('2');
    await page.getByLabel('Reason for the tier').fill('e2e: documents checked');
    await page.getByRole('button', { name: 'Set tier' }).click();
    await page.locator('[data-fact="KYC tier"]', { hasText: /^2$/ }).waitFor();
    await page.getByRole('link', { name: 'Audit trail of this player' }).click();
    await page.locator('[data-action="user.lock"]').waitFor();
    await page.getByText('e2e: documents requested').first().waitFor();
    await shot('07-audit');
    step('player locked; the audit trail shows the lock and its reason');

    // Sign out; a player's own sign-in is refused, and a player's token loads no admin data.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const other = await player('other.e2e@example.ng');
    await page.getByLabel('Email').fill('other.e2e@example.ng');
    await page.getByLabel('Password').fill('player-pass-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('This account is not a staff account').waitFor();
    await page.evaluate((s) => sessionStorage.setItem('b2w.console.session', JSON.stringify(s)), other);
    await page.goto(`${base}/console/withdrawals`);
    await page.getByRole('alert').getByText('(forbidden)').waitFor();
    await page.getByRole('alert').getByText('Request id').waitFor();
    check((await page.locator('table').count()) === 0, 'no data shown to a player');
    await shot('08-player-refused');
    step('a player sees no admin data: 403 forbidden with its request id');

    check(problems.length === 0, `browser errors (CSP violations included): ${problems.join(' | ')}`);
  } finally {
    await browser.close();
  }
}

try {
  const started = Date.now();
  await main();
  step(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${artifacts}`);
} catch (e) {
  failed = true;
  console.error(`console e2e: FAILED: ${e.stack ?? e}`);
  for (const log of ['server.log', 'fake_paystack.log']) {
    const p = path.join(artifacts, log);
    if (fs.existsSync(p)) console.error(`--- ${log} (last lines)\n${fs.readFileSync(p, 'utf8').split('\n').slice(-15).join('\n')}`);
  }
} finally {
  for (const c of children) c.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
