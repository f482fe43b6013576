import { Api } from './api.ts';
import { Auth } from './auth.ts';
import { h } from './dom.ts';
import { dashboardsPage } from './pages/dashboards.ts';
import { errorGroupPage } from './pages/error-group.ts';
import { errorsPage } from './pages/errors.ts';
import { functionPage } from './pages/function.ts';
import { functionsPage } from './pages/functions.ts';
import { logsPage } from './pages/logs.ts';
import { notFoundPage } from './pages/not-found.ts';
import { targetsPage } from './pages/targets.ts';
import { Router } from './router.ts';
import { Theme } from './theme.ts';

/** The sign-in dialog shown when the collector answers 401: a token, kept for this tab only. */
function askForToken(auth: Auth, message: string, retry: () => void): void {
  if (document.getElementById('signin')) return;
  const input = h('input', { type: 'password', id: 'signin-token', autocomplete: 'off', required: true });
  const dialog = h(
    'dialog',
    { id: 'signin', 'aria-labelledby': 'signin-h' },
    h(
      'form',
      {
        method: 'dialog',
        onsubmit: (e: Event) => {
          e.preventDefault();
          auth.set(input.value);
          dialog.close();
          dialog.remove();
          retry();
        },
      },
      h('h2', { id: 'signin-h' }, 'This collector needs a token'),
      h('p', {}, message),
      h('p', { class: 'hint' }, 'Paste a bearer token (from the token file, or `kubectl create token …`). It is kept in this tab only. You can also open the UI as …/?token=TOKEN.'),
      h('div', { class: 'field' }, h('label', { for: 'signin-token' }, 'Token'), input),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn primary' }, 'Sign in')),
    ),
  );
  document.body.appendChild(dialog);
  dialog.showModal();
}

function boot(): void {
  const theme = new Theme();
  const themeBtn = document.getElementById('theme');
  if (themeBtn instanceof HTMLButtonElement) theme.bindButton(themeBtn);
  const auth = new Auth();
  const retry = { render: (): void => undefined };
  const api = new Api(auth, (message) => {
    auth.clear();
    askForToken(auth, message, () => retry.render());
  });
  const main = document.getElementById('main')!;
  const router = new Router(
    main,
    { api, theme },
    [
      { pattern: /^\/functions\/?$/, nav: 'functions', page: functionsPage },
      { pattern: /^\/functions\/([^/]+)\/([^/]+)\/?$/, nav: 'functions', page: functionPage },
      { pattern: /^\/errors\/?$/, nav: 'errors', page: errorsPage },
      { pattern: /^\/errors\/([^/]+)\/?$/, nav: 'errors', page: errorGroupPage },
      { pattern: /^\/logs\/?$/, nav: 'logs', page: logsPage },
      { pattern: /^\/targets\/?$/, nav: 'targets', page: targetsPage },
      { pattern: /^\/dashboards\/?$/, nav: 'dashboards', page: dashboardsPage },
    ],
    notFoundPage,
  );
  retry.render = () => router.render();
  router.start();
}

boot();
