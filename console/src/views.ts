// The console's pages. Each renders into `main` from the admin API, shows a loading state while it waits and
// the API's error (code and request id) when a call fails.
import { ApiError, api, currentUser } from './api';
import { field, h, replace, table } from './dom';
import { LAGOS_ZONE, lagosInputToUtc, lagosTime, lagosToday, naira } from './format';

export type Go = (path: string) => void;

interface Selection {
  id: string;
  name: string;
  odds: string;
  result: string | null;
}
interface Market {
  id: string;
  event_id: string;
  name: string;
  status: string;
  version: number;
  live: boolean;
  selections: Selection[];
}
interface SportEvent {
  id: string;
  sport: string;
  name: string;
  home: string;
  away: string;
  starts_at: string;
  status: string;
  markets: Market[];
}
interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
interface Liability {
  open_bets: number;
  open_stakes: number;
  selections: { selection_id: string; name: string; odds: string; open_bets: number; open_stakes: number; payout_if_wins: number }[];
}

// The error region of a page: the API's message, its code and the request id support can find the log line by.
export function errorBox(): { el: HTMLElement; show: (e: unknown) => void; clear: () => void } {
  const el = h('div', { class: 'error', role: 'alert', hidden: true });
  return {
    el,
    show(e: unknown) {
      el.hidden = false;
      if (e instanceof ApiError) {
        replace(
          el,
          h('strong', {}, e.message),
          ` (${e.code})`,
          e.requestId ? h('span', { class: 'rid' }, ' Request id: ', h('code', {}, e.requestId)) : null,
        );
      } else {
        replace(el, String(e instanceof Error ? e.message : e));
      }
    },
    clear() {
      el.hidden = true;
      replace(el);
    },
  };
}

function loading(): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, 'Loading…');
}

function link(go: Go, path: string, text: string): HTMLAnchorElement {
  return h('a', { href: path, 'data-route': path, onclick: (ev: Event) => (ev.preventDefault(), go(path)) } as never, text);
}

// A confirmation as a modal dialog (keyboard: Escape cancels, focus starts on Cancel).
function confirmDialog(title: string, body: Node, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const ok = h('button', { type: 'button', class: 'danger', 'data-confirm': '' }, confirmLabel);
    const dialog = h('dialog', { 'aria-labelledby': 'dlg-title' }, h('h2', { id: 'dlg-title' }, title), body, h('div', { class: 'actions' }, cancel, ok));
    const done = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener('click', () => done(false));
    ok.addEventListener('click', () => done(true));
    dialog.addEventListener('cancel', () => done(false));
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

// ---- Sign-in ----
export function signInView(main: HTMLElement, submit: (email: string, password: string) => Promise<void>): void {
  const errors = errorBox();
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'signin-title' }, h('h1', { id: 'signin-title' }, 'Sign in'),
    errors.el, field('Email', email), field('Password', password), button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.clear();
    button.disabled = true;
    try {
      await submit(email.value, password.value);
    } catch (e) {
      errors.show(e);
      button.disabled = false;
    }
  });
  replace(main, form);
  email.focus();
}

// ---- Trading: events ----
const SPORTS = ['football', 'basketball', 'tennis'];

export async function eventsView(main: HTMLElement, go: Go, params: URLSearchParams): Promise<void> {
  const errors = errorBox();
  const list = h('div', {}, loading());
  const sport = h('select', { name: 'sport' }, h('option', { value: '' }, 'All sports'));
  const status = h('select', { name: 'status' }, ['', 'scheduled', 'live', 'finished', 'cancelled'].map((s) =>
    h('option', { value: s }, s || 'Current (scheduled and live)')));
  sport.value = params.get('sport') ?? '';
  status.value = params.get('status') ?? '';
  // A day in Lagos: [00:00, 24:00) WAT, i.e. 23:00 UTC the day before to 23:00 UTC.
  const day = h('input', { type: 'date', name: 'day', value: params.get('day') ?? '' });
  const filter = h('form', { class: 'filters', 'aria-label': 'Filter events' }, field('Sport', sport), field('Status', status),
    field(`Day (${LAGOS_ZONE})`, day), h('button', { type: 'submit' }, 'Show'));
  filter.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    if (sport.value) q.set('sport', sport.value);
    if (status.value) q.set('status', status.value);
    if (day.value) q.set('day', day.value);
    go(`/events${q.size ? '?' + q : ''}`);
  });

  // Create an event.
  const cSport = h('select', { name: 'new-sport', required: true });
  const home = h('input', { name: 'home', required: true, maxlength: 100 });
  const away = h('input', { name: 'away', required: true, maxlength: 100 });
  const starts = h('input', { type: 'datetime-local', name: 'starts_at', required: true });
  const createErrors = errorBox();
  const create = h('form', { class: 'card', 'aria-labelledby': 'new-event' }, h('h2', { id: 'new-event' }, 'New event'), createErrors.el,
    field('Sport', cSport), field('Home', home), field('Away', away), field(`Starts at (${LAGOS_ZONE})`, starts),
    h('button', { type: 'submit' }, 'Create event'));
  create.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    createErrors.clear();
    const startsAt = lagosInputToUtc(starts.value);
    if (!startsAt) return createErrors.show('Give the start date and time');
    try {
      const e = await api<SportEvent>('POST', '/admin/events', { sport: cSport.value, home: home.value, away: away.value, starts_at: startsAt });
      go(`/events/${e.id}`);
    } catch (e) {
      createErrors.show(e);
    }
  });

  replace(main, h('h1', {}, 'Events'), errors.el, filter, list, create);
  try {
    const sports = await api<{ data: { key: string; name: string }[] }>('GET', '/sports').catch(() => ({ data: SPORTS.map((k) => ({ key: k, name: k })) }));
    for (const s of sports.data) {
      sport.append(h('option', { value: s.key }, s.name));
      cSport.append(h('option', { value: s.key }, s.name));
    }
    sport.value = params.get('sport') ?? '';
    const q = new URLSearchParams(params);
    q.delete('day');
    const from = params.get('day') ? lagosInputToUtc(`${params.get('day')}T00:00`) : null;
    if (from) {
      q.set('from', from);
      q.set('to', new Date(Date.parse(from) + 24 * 3600 * 1000).toISOString().replace('.000Z', 'Z'));
    }
    q.set('limit', '100');
    const page = await api<Page<SportEvent>>('GET', `/events?${q}`);
    replace(list, page.data.length === 0 ? h('p', {}, 'No events match.') :
      table(['Event', 'Sport', `Starts (${LAGOS_ZONE})`, 'Status', 'Markets'],
        page.data.map((e) => [link(go, `/events/${e.id}`, e.name), e.sport, lagosTime(e.starts_at), e.status, e.markets.length]), 'Events'));
  } catch (e) {
    replace(list);
    errors.show(e);
  }
}

// ---- Trading: one event, its markets ----
export async function eventView(main: HTMLElement, go: Go, id: string): Promise<void> {
  const errors = errorBox();
  replace(main, h('p', {}, link(go, '/events', '← Events')), errors.el, loading());
  let event: SportEvent;
  try {
    event = await api<SportEvent>('GET', `/events/${encodeURIComponent(id)}`);
  } catch (e) {
    replace(main, h('p', {}, link(go, '/events', '← Events')), errors.el);
    return errors.show(e);
  }
  const markets = h('div', {}, event.markets.map((m) => marketCard(m)));
  const sels = h('div', { class: 'rows' });
  const addRow = (name = '', odds = '') => {
    const n = h('input', { name: 'selection-name', value: name, required: true, maxlength: 100 });
    const o = h('input', { name: 'selection-odds', value: odds, required: true, inputmode: 'decimal', pattern: '\\d+(\\.\\d{1,2})?' });
    sels.append(h('div', { class: 'row' }, field('Selection', n), field('Odds', o)));
  };
  addRow(event.home, '');
  addRow('Draw', '');
  addRow(event.away, '');
  const mName = h('input', { name: 'market-name', value: '1X2', required: true });
  const mErrors = errorBox();
  const create = h('form', { class: 'card', 'aria-labelledby': 'new-market' }, h('h2', { id: 'new-market' }, 'New market'), mErrors.el,
    field('Market name', mName), sels, h('button', { type: 'button', class: 'secondary', onclick: () => addRow() }, 'Add selection'),
    h('button', { type: 'submit' }, 'Create market'));
  create.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    mErrors.clear();
    const rows = [...sels.querySelectorAll('.row')].map((r) => r.querySelectorAll('input')).filter((i) => i[0].value.trim() !== '');
    try {
      const m = await api<Market>('POST', `/admin/events/${event.id}/markets`,
        { name: mName.value, selections: rows.map((i) => ({ name: i[0].value, odds: i[1].value })) });
      markets.append(marketCard(m));
      create.reset();
    } catch (e) {
      mErrors.show(e);
    }
  });
  // Change the event: its status or its start (cancelling voids its open markets and refunds their bets).
  const eStatus = h('select', { name: 'event-status' }, ['scheduled', 'live', 'finished', 'cancelled'].map((st) =>
    h('option', { value: st, selected: st === event.status }, st)));
  const eStarts = h('input', { type: 'datetime-local', name: 'event-starts' });
  const eErrors = errorBox();
  const edit = h('form', { class: 'card', 'aria-labelledby': 'edit-event' }, h('h2', { id: 'edit-event' }, 'Change the event'), eErrors.el,
    field('Status', eStatus), field(`New start (${LAGOS_ZONE}; empty: unchanged)`, eStarts), h('button', { type: 'submit' }, 'Save event'));
  edit.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    eErrors.clear();
    const body: { status?: string; starts_at?: string } = {};
    if (eStatus.value !== event.status) body.status = eStatus.value;
    if (eStarts.value) {
      const at = lagosInputToUtc(eStarts.value);
      if (!at) return eErrors.show('Give the new start date and time');
      body.starts_at = at;
    }
    if (!body.status && !body.starts_at) return eErrors.show('Nothing to change');
    if (body.status === 'cancelled' && !(await confirmDialog(`Cancel ${event.name}?`,
      h('p', {}, 'Its open markets are voided and their bets settled: singles refunded, accumulators lose the leg.'), 'Cancel event'))) return;
    try {
      await api<SportEvent>('PATCH', `/admin/events/${event.id}`, body);
      await eventView(main, go, id);
    } catch (e) {
      eErrors.show(e);
    }
  });
  replace(main, h('p', {}, link(go, '/events', '← Events')), h('h1', {}, event.name), errors.el,
    h('p', { class: 'meta' }, `${event.sport} · starts ${lagosTime(event.starts_at)} · `, h('span', { class: 'status' }, event.status), ` · ${event.id}`),
    markets, create, edit);
}

function marketCard(initial: Market): HTMLElement {
  let market = initial;
  const card = h('section', { class: 'card market', 'data-market': market.id, 'aria-label': `Market ${market.name}` });
  const errors = errorBox();
  const liability = h('div', { class: 'liability', 'aria-live': 'polite' });

  const loadLiability = async (): Promise<Liability | null> => {
    try {
      const l = await api<Liability>('GET', `/admin/markets/${market.id}/liability`);
      replace(liability, table(['Selection', 'Open bets', 'Stakes', 'Payout if it wins'],
        l.selections.map((s) => [s.name, s.open_bets, naira(s.open_stakes), h('span', { 'data-payout': s.selection_id }, naira(s.payout_if_wins))]),
        `Liability: ${l.open_bets} open bets, stakes ${naira(l.open_stakes)}`));
      return l;
    } catch (e) {
      errors.show(e);
      return null;
    }
  };

  const render = () => {
    const settled = market.status === 'settled' || market.status === 'void';
    const oddsInputs = market.selections.map((s) =>
      h('input', { name: `odds-${s.id}`, value: s.odds, inputmode: 'decimal', disabled: settled, 'aria-label': `Odds for ${s.name}` }));
    const results = market.selections.map((s) =>
      h('select', { name: `result-${s.id}`, disabled: settled, 'aria-label': `Result for ${s.name}` },
        ['won', 'lost', 'void'].map((r) => h('option', { value: r, selected: s.result === r }, r))));
    const patch = async (body: unknown) => {
      errors.clear();
      try {
        market = await api<Market>('PATCH', `/admin/markets/${market.id}`, body);
        render();
      } catch (e) {
        errors.show(e);
      }
    };
    const saveOdds = h('button', { type: 'button', disabled: settled }, 'Save odds');
    saveOdds.addEventListener('click', () => {
      const changed = market.selections.map((s, i) => ({ id: s.id, odds: oddsInputs[i].value.trim() })).filter((c, i) => c.odds !== market.selections[i].odds);
      if (changed.length) void patch({ selections: changed });
    });
    const toggle = h('button', { type: 'button', class: 'secondary', disabled: settled },
      market.status === 'suspended' ? 'Reopen' : 'Suspend');
    toggle.addEventListener('click', () => void patch({ status: market.status === 'suspended' ? 'open' : 'suspended' }));

    const settle = async (voidAll: boolean) => {
      errors.clear();
      const l = await loadLiability();
      const summary = h('div', {},
        h('p', {}, voidAll ? 'Void the market: every open stake on it is refunded.' : 'Settle the market with these results:'),
        voidAll ? null : h('ul', {}, market.selections.map((s, i) => h('li', {}, `${s.name}: ${results[i].value}`))),
        l ? h('p', { 'data-settle-summary': '' }, `${l.open_bets} open bets, stakes ${naira(l.open_stakes)}.`,
          voidAll ? '' : ` Winners pay ${naira(l.selections.filter((_, i) => results[i].value === 'won').reduce((sum, s) => sum + BigInt(s.payout_if_wins), 0n))}.`) : null);
      if (!(await confirmDialog(voidAll ? `Void ${market.name}?` : `Settle ${market.name}?`, summary, voidAll ? 'Void market' : 'Settle market'))) return;
      try {
        const body = voidAll ? { void: true } : { results: Object.fromEntries(market.selections.map((s, i) => [s.id, results[i].value])) };
        const out = await api<Market & { bets_settled: number }>('POST', `/admin/markets/${market.id}/settle`, body);
        market = out;
        render();
        card.append(h('p', { class: 'done', role: 'status' }, `${out.bets_settled} bets settled.`));
      } catch (e) {
        errors.show(e);
      }
    };
    replace(card,
      h('h2', {}, market.name),
      h('p', { class: 'meta' }, 'Status ', h('span', { class: 'status', 'data-status': '' }, market.status), ' · version ',
        h('span', { 'data-version': '' }, market.version), market.live ? ' · live' : '', ` · ${market.id}`),
      errors.el,
      table(['Selection', 'Odds', 'Result'], market.selections.map((s, i) => [s.name, oddsInputs[i], settled ? (s.result ?? '—') : results[i]])),
      h('div', { class: 'actions' }, saveOdds, toggle,
        h('button', { type: 'button', class: 'secondary', onclick: () => void loadLiability() }, 'Refresh liability'),
        h('button', { type: 'button', class: 'danger', disabled: settled, onclick: () => void settle(false) }, 'Settle…'),
        h('button', { type: 'button', class: 'danger', disabled: settled, onclick: () => void settle(true) }, 'Void…')),
      liability);
    void loadLiability();
  };
  render();
  return card;
}

// ---- Payments: the withdrawals review queue ----
interface Withdrawal {
  id: string;
  status: string;
  amount: number;
  reference?: string;
  bank_code?: string;
  account_number?: string;
  account_name?: string | null;
  review_reason?: string | null;
  created_at: string;
}

export async function withdrawalsView(main: HTMLElement): Promise<void> {
  const errors = errorBox();
  const list = h('div', {}, loading());
  replace(main, h('h1', {}, 'Withdrawals awaiting review'), errors.el, list);
  const act = async (w: Withdrawal, verb: 'approve' | 'reject') => {
    errors.clear();
    const ok = await confirmDialog(verb === 'approve' ? 'Approve the withdrawal?' : 'Reject the withdrawal?',
      h('p', {}, `${naira(w.amount)} to ${w.account_name ?? 'the account'} (${w.bank_code ?? ''} ${w.account_number ?? ''}), reference ${w.reference ?? w.id}.`,
        verb === 'reject' ? ' The amount returns to the player\'s wallet.' : ' Paystack is asked to pay it now.'),
      verb === 'approve' ? 'Approve' : 'Reject');
    if (!ok) return;
    try {
      await api<Withdrawal>('POST', `/admin/withdrawals/${w.id}/${verb}`);
      await load();
    } catch (e) {
      errors.show(e);
    }
  };
  const load = async () => {
    try {
      const page = await api<Page<Withdrawal>>('GET', '/admin/withdrawals?status=awaiting_review&limit=100');
      replace(list, page.data.length === 0 ? h('p', { 'data-empty': '' }, 'No withdrawals await review.') :
        table(['Requested', 'Amount', 'Account', 'Why review', 'Reference', ''], page.data.map((w) => [
          lagosTime(w.created_at), naira(w.amount), `${w.account_name ?? ''} ${w.bank_code ?? ''} ${w.account_number ?? ''}`,
          w.review_reason ?? '', w.reference ?? w.id,
          h('span', { class: 'actions' },
            h('button', { type: 'button', 'data-approve': w.id, onclick: () => void act(w, 'approve') }, 'Approve'),
            h('button', { type: 'button', class: 'danger', 'data-reject': w.id, onclick: () => void act(w, 'reject') }, 'Reject')),
        ]), 'Withdrawals awaiting review'));
    } catch (e) {
      replace(list);
      errors.show(e);
    }
  };
  await load();
}

// ---- Payments: the daily reconciliation with Paystack ----
interface Totals {
  deposits: { count: number; kobo: number };
  withdrawals: { count: number; kobo: number };
}
interface Reconciliation {
  date: string;
  clean: boolean;
  totals: { ours: Totals; paystack: Totals };
  mismatches: { kind: string; payment_kind: string; reference: string; detail: string }[];
  different_day: { payment_kind: string; reference: string; our_at: string; their_at: string | null }[];
}

export async function reconciliationView(main: HTMLElement, go: Go, params: URLSearchParams): Promise<void> {
  const errors = errorBox();
  const date = h('input', { type: 'date', name: 'date', value: params.get('date') ?? lagosToday(), required: true });
  const form = h('form', { class: 'filters', 'aria-label': 'Choose the day' }, field(`Day (${LAGOS_ZONE})`, date),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(`/reconciliation?date=${encodeURIComponent(date.value)}`);
  });
  const report = h('div', {}, loading());
  replace(main, h('h1', {}, 'Reconciliation with Paystack'), form, errors.el, report);
  try {
    const r = await api<Reconciliation>('GET', `/admin/reconciliation?date=${encodeURIComponent(date.value)}`);
    const line = (label: string, t: Totals, kind: 'deposits' | 'withdrawals') => [label, t[kind].count, h('span', { 'data-total': `${label}-${kind}` }, naira(t[kind].kobo))];
    replace(report,
      h('p', { 'data-clean': String(r.clean) }, r.clean ? 'Clean: both sides and the ledger agree.' : `${r.mismatches.length} mismatches to look into.`),
      table(['Side', 'Deposits', 'Deposited', ], [line('ours', r.totals.ours, 'deposits'), line('paystack', r.totals.paystack, 'deposits')], 'Deposits completed on the day'),
      table(['Side', 'Withdrawals', 'Paid out'], [line('ours', r.totals.ours, 'withdrawals'), line('paystack', r.totals.paystack, 'withdrawals')], 'Withdrawals paid on the day'),
      r.mismatches.length ? table(['Kind', 'Payment', 'Reference', 'Detail'], r.mismatches.map((m) => [m.kind, m.payment_kind, m.reference, m.detail]), 'Mismatches') : null,
      r.different_day.length ? table(['Payment', 'Reference', 'Ours', 'Paystack\'s'], r.different_day.map((d) => [d.payment_kind, d.reference, lagosTime(d.our_at), lagosTime(d.their_at)]), 'Settled on another day') : null);
  } catch (e) {
    replace(report);
    errors.show(e);
  }
}

// ---- Dashboard: one Lagos day ----
interface Dashboard {
  date: string;
  sportsbook: { bets: number; turnover: number; active_players: number; settled_bets: number; settled_stakes: number; payouts: number; ggr: number };
  payments: { deposits: { count: number; kobo: number }; withdrawals: { count: number; kobo: number } };
  open: { bets: number; stakes: number; liability: number };
}

// Two amounts side by side as bars (widths set through the CSSOM: the CSP forbids inline style attributes).
function bars(caption: string, items: [string, number][]): HTMLElement {
  const max = items.reduce((m, [, v]) => (Math.abs(v) > m ? Math.abs(v) : m), 0);
  return h('figure', { class: 'bars' }, h('figcaption', {}, caption), items.map(([label, value]) => {
    const bar = h('span', { class: value < 0 ? 'bar negative' : 'bar' });
    bar.style.width = max === 0 ? '0' : `${Math.round((Math.abs(value) * 100) / max)}%`;
    return h('div', { class: 'bar-row' }, h('span', { class: 'bar-label' }, label), h('span', { class: 'bar-track', 'aria-hidden': 'true' }, bar),
      h('span', { class: 'bar-value' }, naira(value)));
  }));
}

export async function dashboardView(main: HTMLElement, go: Go, params: URLSearchParams): Promise<void> {
  const errors = errorBox();
  const date = h('input', { type: 'date', name: 'date', value: params.get('date') ?? lagosToday(), required: true });
  const form = h('form', { class: 'filters', 'aria-label': 'Choose the day' }, field(`Day (${LAGOS_ZONE})`, date), h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(`/dashboard?date=${encodeURIComponent(date.value)}`);
  });
  const body = h('div', {}, loading());
  replace(main, h('h1', {}, 'Dashboard'), form, errors.el, body);
  try {
    const d = await api<Dashboard>('GET', `/admin/dashboard?date=${encodeURIComponent(date.value)}`);
    const tile = (label: string, value: string, note: string) =>
      h('div', { class: 'tile' }, h('span', { class: 'tile-label' }, label), h('strong', { 'data-figure': label }, value), h('span', { class: 'tile-note' }, note));
    replace(body,
      h('div', { class: 'tiles' },
        tile('Turnover', naira(d.sportsbook.turnover), `${d.sportsbook.bets} bets placed`),
        tile('GGR', naira(d.sportsbook.ggr), `${d.sportsbook.settled_bets} bets settled`),
        tile('Deposits', naira(d.payments.deposits.kobo), `${d.payments.deposits.count} completed`),
        tile('Withdrawals', naira(d.payments.withdrawals.kobo), `${d.payments.withdrawals.count} paid`),
        tile('Open liability', naira(d.open.liability), `${d.open.bets} open bets, stakes ${naira(d.open.stakes)}`),
        tile('Active players', String(d.sportsbook.active_players), 'placed a bet')),
      h('div', { class: 'charts' },
        bars('Money in and out', [['Deposits', d.payments.deposits.kobo], ['Withdrawals', d.payments.withdrawals.kobo]]),
        bars('The book', [['Stakes settled', d.sportsbook.settled_stakes], ['Payouts', d.sportsbook.payouts], ['GGR', d.sportsbook.ggr]])));
  } catch (e) {
    replace(body);
    errors.show(e);
  }
}

// ---- Players ----
interface Player {
  id: string;
  email: string;
  full_name: string | null;
  phone: string | null;
  role: string;
  created_at: string;
  email_verified: boolean;
  phone_verified: boolean;
  identity_verified: boolean;
  kyc_tier: number;
  locked: boolean;
  locked_at: string | null;
}
interface PlayerDetail {
  user: Player;
  wallet: { balance: number; pending_withdrawals: number; in_play: number };
  recent_entries: { transaction_id: string; kind: string; amount: number; balance_after: number; reference: string; created_at: string }[];
  limits?: { limits: { kind: string; period: string; amount: number | null; pending: { amount: number | null; applies_at: string } | null }[] };
}

export async function playersView(main: HTMLElement, go: Go, params: URLSearchParams): Promise<void> {
  const errors = errorBox();
  const q = h('input', { type: 'search', name: 'q', value: params.get('q') ?? '', required: true });
  const form = h('form', { class: 'filters', role: 'search' }, field('Email, phone or id', q), h('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(`/players?q=${encodeURIComponent(q.value.trim())}`);
  });
  const list = h('div', {});
  replace(main, h('h1', {}, 'Players'), form, errors.el, list);
  q.focus();
  if (!params.get('q')) return;
  replace(list, loading());
  try {
    const page = await api<Page<Player>>('GET', `/admin/users?q=${encodeURIComponent(params.get('q') ?? '')}`);
    replace(list, page.data.length === 0 ? h('p', {}, 'No player matches.') :
      table(['Player', 'Name', 'Phone', 'KYC tier', 'Locked'], page.data.map((p) =>
        [link(go, `/players/${p.id}`, p.email), p.full_name ?? '', p.phone ?? '', p.kyc_tier, p.locked ? 'locked' : 'no']), 'Players found'));
  } catch (e) {
    replace(list);
    errors.show(e);
  }
}

export async function playerView(main: HTMLElement, go: Go, id: string): Promise<void> {
  const errors = errorBox();
  replace(main, h('p', {}, link(go, '/players', '← Players')), errors.el, loading());
  let detail: PlayerDetail;
  try {
    detail = await api<PlayerDetail>('GET', `/admin/users/${encodeURIComponent(id)}`);
  } catch (e) {
    replace(main, h('p', {}, link(go, '/players', '← Players')), errors.el);
    return errors.show(e);
  }
  const u = detail.user;
  const reason = h('input', { name: 'reason', required: true, maxlength: 500 });
  const lockForm = h('form', { class: 'card', 'aria-labelledby': 'lock-title' },
    h('h2', { id: 'lock-title' }, u.locked ? 'Unlock the account' : 'Lock the account'), field('Reason (kept in the audit trail)', reason),
    h('button', { type: 'submit', class: u.locked ? '' : 'danger' }, u.locked ? 'Unlock' : 'Lock'));
  lockForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.clear();
    try {
      await api('POST', `/admin/users/${u.id}/${u.locked ? 'unlock' : 'lock'}`, { reason: reason.value });
      await playerView(main, go, id);
    } catch (e) {
      errors.show(e);
    }
  });
  // The KYC tier support sets (or "follows verification": null), with a reason for the audit trail.
  const tier = h('select', { name: 'tier' }, [['', 'follows verification'], ['0', '0'], ['1', '1'], ['2', '2']].map(([v, t]) =>
    h('option', { value: v }, t)));
  const tierReason = h('input', { name: 'tier-reason', required: true, maxlength: 500 });
  const tierForm = h('form', { class: 'card', 'aria-labelledby': 'tier-title' }, h('h2', { id: 'tier-title' }, 'KYC tier'),
    field('Tier', tier), field('Reason for the tier', tierReason), h('button', { type: 'submit' }, 'Set tier'));
  tierForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.clear();
    try {
      await api('PUT', `/admin/users/${u.id}/tier`, { tier: tier.value === '' ? null : Number(tier.value), reason: tierReason.value });
      await playerView(main, go, id);
    } catch (e) {
      errors.show(e);
    }
  });
  const limits = detail.limits?.limits ?? [];
  replace(main, h('p', {}, link(go, '/players', '← Players')), h('h1', {}, u.full_name ?? u.email), errors.el,
    h('dl', { class: 'facts' },
      ...([['Email', `${u.email}${u.email_verified ? ' (verified)' : ''}`], ['Phone', `${u.phone ?? '—'}${u.phone_verified ? ' (verified)' : ''}`],
        ['Id', u.id], ['Identity verified', u.identity_verified ? 'yes' : 'no'], ['KYC tier', String(u.kyc_tier)],
        ['Joined', lagosTime(u.created_at)], ['Account', u.locked ? `locked since ${lagosTime(u.locked_at)}` : 'active'],
        ['Balance', naira(detail.wallet.balance)], ['Pending withdrawals', naira(detail.wallet.pending_withdrawals ?? 0)],
        ['In play', naira(detail.wallet.in_play ?? 0)]] as const).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-fact': k }, v)])),
    lockForm,
    tierForm,
    limits.length ? table(['Limit', 'Period', 'Amount', 'Pending change'], limits.map((l) => [l.kind, l.period,
      l.amount === null ? 'none' : naira(l.amount),
      l.pending ? `${l.pending.amount === null ? 'none' : naira(l.pending.amount)} from ${lagosTime(l.pending.applies_at)}` : '—']),
      'Responsible-gambling limits') : null,
    h('h2', {}, 'Recent wallet entries'),
    table(['When', 'Kind', 'Amount', 'Balance after', 'Reference'], detail.recent_entries.map((e) =>
      [lagosTime(e.created_at), e.kind, naira(e.amount), naira(e.balance_after), e.reference])),
    h('p', {}, link(go, `/audit?entity=${encodeURIComponent('user:' + u.id)}`, 'Audit trail of this player')));
}

// ---- Audit ----
interface AuditRecord {
  id: string;
  seq: number;
  actor_id: string;
  actor_role: string;
  action: string;
  entity_type: string;
  entity_id: string;
  request_id: string;
  created_at: string;
  after: unknown;
}

export async function auditView(main: HTMLElement, go: Go, params: URLSearchParams): Promise<void> {
  const errors = errorBox();
  const actor = h('input', { name: 'actor', value: params.get('actor') ?? '' });
  const entity = h('input', { name: 'entity', value: params.get('entity') ?? '', placeholder: 'market or user:usr_…' });
  const form = h('form', { class: 'filters', 'aria-label': 'Filter the audit trail' }, field('Actor id', actor), field('Entity', entity),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    if (actor.value.trim()) q.set('actor', actor.value.trim());
    if (entity.value.trim()) q.set('entity', entity.value.trim());
    go(`/audit${q.size ? '?' + q : ''}`);
  });
  const list = h('div', {}, loading());
  replace(main, h('h1', {}, 'Audit trail'), form, errors.el, list);
  try {
    const q = new URLSearchParams(params);
    q.set('limit', '100');
    const page = await api<Page<AuditRecord>>('GET', `/admin/audit?${q}`);
    replace(list, page.data.length === 0 ? h('p', {}, 'No records match.') :
      table([`When (${LAGOS_ZONE})`, 'Actor', 'Action', 'Entity', 'Details', 'Request id'], page.data.map((r) => [
        lagosTime(r.created_at), `${r.actor_id} (${r.actor_role})`, h('span', { 'data-action': r.action }, r.action),
        `${r.entity_type}:${r.entity_id}`, h('code', {}, JSON.stringify(r.after)), h('code', {}, r.request_id)]), 'Audit records'));
  } catch (e) {
    replace(list);
    errors.show(e);
  }
}

export function whoAmI(): string {
  const u = currentUser();
  return u ? `${u.email} (${u.role})` : '';
}
