// The cluster's streams: what each one is (screener type, instruments, the first few by name),
// how it stands, and watch / stop. The raw key is one click away, to read or copy.

import { request, streamPath } from './api.js';
import { $, DASH, el, fmtCount, fmtTime, keyText, plural } from './format.js';
import { describeStream, knowsSymbols, onNames, rememberSymbols } from './names.js';

const COLUMNS = [
  ['stream', 'stream', 'stream-cell'],
  ['status', 'status', ''],
  ['node', 'node', ''],
  ['ticks', 'ticks', 'num'],
  ['lastTickAt', 'last tick', ''],
  ['mode', 'mode', ''],
  ['reconnects', 'reconnects', 'num'],
  ['lastError', 'last error', 'error-text'],
];
const KNOWN_STATUSES = new Set([
  'starting',
  'running',
  'reconnecting',
  'waiting_for_credentials',
  'stopped',
  'failed',
  'lost',
]);
// Names for a listed key are asked for once, and only from a server that knows symbols.
const MAX_NAME_LOOKUPS = 50;

const rows = new Map(); // key -> { tr, cells, stream }
const looked = new Set();
let actions = { watch() {}, stop() {}, watchedKey: () => null };

export function initStreams(callbacks) {
  actions = { ...actions, ...callbacks };
  onNames(() => {
    for (const row of rows.values()) paintName(row);
  });
}

export function markWatched(key) {
  for (const [rowKey, row] of rows) row.tr.classList.toggle('watched', rowKey === key);
}

function createRow(key) {
  const tr = el('tr');
  tr.dataset.key = key;
  const cells = {};
  for (const [field, label, className] of COLUMNS) {
    const td = el('td', className);
    td.dataset.label = label; // the narrow layout shows it as a caption
    cells[field] = td;
    tr.append(td);
  }
  const name = el('div', 'stream-name');
  const preview = el('div', 'stream-preview');
  const details = el('details', 'key-details');
  const summary = el('summary', null, 'key');
  const code = el('code', 'key');
  code.append(keyText(key));
  const copy = el('button', 'secondary small', 'copy');
  copy.type = 'button';
  copy.addEventListener('click', () => copyKey(key, copy));
  details.append(summary, code, copy);
  cells.stream.append(name, preview, details);

  const buttons = el('td', 'actions');
  const watchButton = el('button', 'secondary', 'watch');
  watchButton.type = 'button';
  watchButton.addEventListener('click', () => actions.watch(key));
  const stopButton = el('button', 'danger', 'stop');
  stopButton.type = 'button';
  stopButton.addEventListener('click', () => actions.stop(key));
  buttons.append(watchButton, stopButton);
  tr.append(buttons);
  return { key, tr, cells, name, preview, stream: {} };
}

async function copyKey(key, button) {
  let copied = false;
  try {
    await navigator.clipboard.writeText(key);
    copied = true;
  } catch {
    // No clipboard (an insecure origin, or refused): select the text for Ctrl+C instead.
    const range = document.createRange();
    range.selectNodeContents(button.previousElementSibling);
    window.getSelection()?.removeAllRanges();
    window.getSelection()?.addRange(range);
  }
  button.textContent = copied ? 'copied' : 'press Ctrl+C';
  setTimeout(() => {
    button.textContent = 'copy';
  }, 1500);
}

function paintName(row) {
  const about = describeStream(row.key, row.stream);
  const parts = [el('span', 'stream-type', about.type)];
  if (about.count !== null) parts.push(el('span', 'muted', plural(about.count, 'instrument')));
  if (about.shortId) parts.push(el('span', 'short-id', about.shortId));
  row.name.replaceChildren(...parts);
  row.name.title = row.key;
  row.preview.textContent = about.preview;
  row.preview.title = row.key;
}

function fillRow(row, stream) {
  row.stream = stream;
  const { cells } = row;
  paintName(row);
  const status = el(
    'span',
    `badge status-${KNOWN_STATUSES.has(stream.status) ? stream.status : 'other'}`,
    stream.status ?? DASH,
  );
  cells.status.replaceChildren(status);
  cells.node.textContent = stream.node ?? DASH;
  cells.ticks.textContent = fmtCount(stream.ticks);
  cells.lastTickAt.textContent = fmtTime(stream.lastTickAt);
  cells.lastTickAt.title = stream.lastTickAt ?? '';
  cells.mode.textContent = stream.mode ?? DASH;
  cells.reconnects.textContent = fmtCount(stream.reconnects);
  cells.lastError.textContent = stream.lastError ?? '';
  cells.lastError.title = stream.lastError ?? '';
  row.tr.classList.toggle('watched', stream.key === actions.watchedKey());
}

/** The listing's streams on screen; answers the watched one's entry (or undefined). */
export function renderStreams(answer) {
  const note = $('streams-note');
  if (!answer.ok) {
    // Keep the last rows on screen: a failed poll says nothing about the streams themselves.
    note.textContent = `Could not refresh: ${answer.error}`;
    note.hidden = false;
    return undefined;
  }
  const streams = Array.isArray(answer.data?.streams) ? answer.data.streams : [];
  note.hidden = answer.data?.complete !== false;
  note.textContent = 'The list may be incomplete: not every node has reported yet.';
  $('streams-count').textContent = `(${streams.length})`;
  $('streams-empty').hidden = streams.length > 0;
  $('streams-wrap').hidden = streams.length === 0;

  const tbody = $('streams').tBodies[0];
  const seen = new Set();
  for (const stream of streams) {
    seen.add(stream.key);
    let row = rows.get(stream.key);
    if (!row) {
      row = createRow(stream.key);
      rows.set(stream.key, row);
      lookUpNames(stream.key);
    }
    fillRow(row, stream);
    tbody.append(row.tr); // re-appending keeps the server's order without rebuilding buttons
  }
  for (const [key, row] of rows) {
    if (!seen.has(key)) {
      row.tr.remove();
      rows.delete(key);
    }
  }
  return streams.find((stream) => stream.key === actions.watchedKey());
}

async function lookUpNames(key) {
  if (!knowsSymbols() || looked.has(key) || looked.size >= MAX_NAME_LOOKUPS) return;
  looked.add(key);
  const answer = await request('GET', streamPath(key));
  if (answer.ok) rememberSymbols(answer.data?.symbols);
}
