// The start form and what its answer says: started, already running, queued, or why not — above
// all, when the broker connections are full, what is in use and what to do about it.

import { problemType, request } from './api.js';
import { $, el, fmtCount, fmtTime, plural } from './format.js';
import { describeStream, rememberSymbols } from './names.js';
import { withToken } from './token.js';

const START_STATUS = {
  started: 'started',
  already_running: 'already running',
  queued: 'queued (started earlier, not connected yet)',
};
const INSTRUMENTS_PER_SOCKET = 5000;

let actions = { watch() {}, stop() {}, refresh() {} };

/** What the page says about the last start or stop; `content` is text or nodes. */
export function showResult(content, kind) {
  const result = $('start-result');
  if (typeof content === 'string') result.textContent = content;
  else result.replaceChildren(...content);
  result.className = `result${kind ? ` result-${kind}` : ''}`;
}

function readStartForm(form) {
  const fields = new FormData(form);
  return {
    screenerType: String(fields.get('screenerType')).trim(),
    instruments: String(fields.get('instruments'))
      .split(/[\s,]+/)
      .filter(Boolean),
    mode: String(fields.get('mode')),
  };
}

export function initStartForm(callbacks) {
  actions = { ...actions, ...callbacks };
  const form = $('start-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    const body = readStartForm(form);
    button.disabled = true;
    showResult('Starting…', 'pending');
    withToken(
      () => request('POST', '/streams', body),
      (answer) => {
        if (!answer.ok || !answer.data?.key) {
          showRefusal(answer);
          return;
        }
        rememberSymbols(answer.data.stream?.symbols);
        const status = START_STATUS[answer.data.status] ?? answer.data.status;
        const about = describeStream(answer.data.key, answer.data.stream ?? {});
        const line = el('span', null, `${status}: ${about.type} · ${about.preview}`);
        line.title = answer.data.key;
        showResult([line], 'ok');
        actions.watch(answer.data.key); // whoever starts a stream wants to see it
        actions.refresh();
      },
    ).finally(() => {
      // Waiting for a token is not "busy": let the user submit again if they cancel.
      button.disabled = false;
    });
  });
}

function showRefusal(answer) {
  const type = problemType(answer);
  const problem = answer.data ?? {};
  if (type === 'budget-exhausted' && Array.isArray(problem.holders)) {
    showResult(dedicatedRefusal(problem), 'error');
  } else if (type === 'budget-exhausted') {
    showResult(sharedRefusal(problem), 'error');
  } else if (type === 'market-closed') {
    const opens = problem.nextOpen ? ` It opens ${fmtTime(problem.nextOpen)}.` : '';
    showResult(`Not started: the market is closed.${opens}`, 'error');
  } else {
    showResult(answer.error || 'unexpected answer from the server', 'error');
  }
}

/** Dedicated sockets: every one is held by a stream; name them, and offer to stop one. */
function dedicatedRefusal(problem) {
  const budget = problem.budget ?? problem.holders.length;
  const head = el(
    'strong',
    'refusal-head',
    `Not started: all ${plural(budget, 'broker connection')} in use.`,
  );
  const explain = el(
    'span',
    null,
    ` Each stream holds a connection of its own here (dedicated sockets), and ` +
      `${budget === 1 ? 'it is' : 'they are'} held by:`,
  );
  const list = el('ul', 'holders');
  for (const key of problem.holders) {
    const about = describeStream(key);
    const item = el('li');
    const name = el('span', 'holder', `${about.type} · ${about.preview}`);
    name.title = key;
    const stop = el('button', 'danger small', 'stop');
    stop.type = 'button';
    stop.setAttribute('aria-label', `stop ${key}`);
    stop.addEventListener('click', () => actions.stop(key));
    item.append(name, stop);
    list.append(item);
  }
  const advice = el(
    'span',
    'refusal-advice',
    'Stop one of them (or wait until one stops), then start again; or ask for a bigger budget ' +
      '(tickshard.budget.max-connections, within what the broker account allows).',
  );
  return [head, explain, list, advice];
}

/** Shared sockets: the new instruments do not fit; say how full the sockets are. */
function sharedRefusal(problem) {
  const capacity = problem.capacity;
  const sockets = Number.isFinite(capacity) ? Math.round(capacity / INSTRUMENTS_PER_SOCKET) : null;
  const head = el('strong', 'refusal-head', 'Not started: no room on the broker connections.');
  const figures = el(
    'span',
    null,
    ` ${fmtCount(problem.inUse)} of ${fmtCount(capacity)} instruments are in use` +
      (sockets ? ` (${plural(sockets, 'broker connection')} × 5,000)` : '') +
      `, and this stream needs ${fmtCount(problem.needed)} more.`,
  );
  const advice = el(
    'span',
    'refusal-advice',
    ' Stop streams whose instruments no other stream needs, or start this one with fewer ' +
      'instruments; a stopped stream’s instruments are freed after a short grace (10 s by ' +
      'default).',
  );
  return [head, figures, advice];
}
