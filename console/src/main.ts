// The console's shell: sign-in, the section navigation, and routing in the browser (history API) under the
// console's path, which the server answers with this same page.
import { consoleRoot, currentUser, signIn, signOut, whenSignedOut } from './api';
import { h, replace } from './dom';
import {
  auditView,
  dashboardView,
  eventView,
  eventsView,
  playerView,
  playersView,
  reconciliationView,
  signInView,
  whoAmI,
  withdrawalsView,
} from './views';

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;

const sections: [string, string][] = [
  ['/dashboard', 'Dashboard'],
  ['/events', 'Trading'],
  ['/withdrawals', 'Withdrawals'],
  ['/reconciliation', 'Reconciliation'],
  ['/players', 'Players'],
  ['/audit', 'Audit'],
];

function go(path: string, push = true): void {
  if (push) history.pushState(null, '', consoleRoot + path);
  void route();
}

function appPath(): string {
  const p = location.pathname.startsWith(consoleRoot) ? location.pathname.slice(consoleRoot.length) : '/';
  return p === '' ? '/' : p;
}

function renderChrome(): void {
  const signedIn = currentUser() !== null;
  nav.hidden = !signedIn;
  const path = appPath();
  replace(nav, ...sections.map(([p, label]) =>
    h('a', { href: consoleRoot + p, 'aria-current': path.startsWith(p) ? 'page' : undefined,
      onclick: (ev: Event) => (ev.preventDefault(), go(p)) } as never, label)));
  replace(who, signedIn ? whoAmI() : '', signedIn ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
    await signOut();
    go('/signin');
  } }, 'Sign out') : null);
}

async function route(): Promise<void> {
  const path = appPath();
  const params = new URLSearchParams(location.search);
  renderChrome();
  if (!currentUser()) {
    document.title = 'Sign in · Bet2wealth back office';
    signInView(main, async (email, password) => {
      await signIn(email, password);
      const next = path === '/signin' || path === '/' ? '/dashboard' : path + location.search;
      go(next);
    });
    return;
  }
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const section = parts[0] ?? 'dashboard';
  document.title = `${section[0].toUpperCase()}${section.slice(1)} · Bet2wealth back office`;
  main.focus({ preventScroll: true });
  switch (section) {
    case 'dashboard':
      return dashboardView(main, go, params);
    case 'events':
      return parts[1] ? eventView(main, go, parts[1]) : eventsView(main, go, params);
    case 'withdrawals':
      return withdrawalsView(main);
    case 'reconciliation':
      return reconciliationView(main, go, params);
    case 'players':
      return parts[1] ? playerView(main, go, parts[1]) : playersView(main, go, params);
    case 'audit':
      return auditView(main, go, params);
    case 'signin':
      return go('/dashboard');
    default:
      replace(main, h('h1', {}, 'Not found'), h('p', {}, 'No such page in the console.'));
  }
}

whenSignedOut(() => go('/signin'));
window.addEventListener('popstate', () => void route());
void route();
