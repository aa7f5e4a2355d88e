// tickshard screener page: start a stream, list the cluster's streams, watch one stream's ticks.
// Plain ES module, no dependencies, no build step. Server data reaches the DOM only through
// textContent / properties, never through innerHTML.

const API = '/api/v1';
const TOKEN_KEY = 'tickshard.apiToken';
const REFRESH_MS = 3000;
const RETRY_AFTER_REFUSAL_MS = 5000;
const DASH = '—';

const $ = (id) => document.getElementById(id);

// ---- formatting -------------------------------------------------------------------------------

// en-IN groups the way NSE users read numbers (12,34,567).
const priceFormat = new Intl.NumberFormat('en-IN', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const signedFormat = new Intl.NumberFormat('en-IN', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});
const countFormat = new Intl.NumberFormat('en-IN');

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const fmtPrice = (v) => (isNum(v) ? priceFormat.format(v) : DASH);
const fmtCount = (v) => (isNum(v) ? countFormat.format(v) : DASH);

function fmtTime(iso) {
  if (!iso) return DASH;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? DASH : at.toLocaleTimeString([], { hour12: false });
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A stream key as text with break opportunities after "|" and ",", so it wraps between ids. */
function keyText(key) {
  const fragment = document.createDocumentFragment();
  for (const part of String(key).split(/(?<=[|,])/)) {
    fragment.append(part, document.createElement('wbr'));
  }
  return fragment;
}

// ---- HTTP -------------------------------------------------------------------------------------

const storedToken = () => sessionStorage.getItem(TOKEN_KEY);

/** One API call; always resolves, with `error` set to a readable sentence when it failed. */
async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // Only the calls that change streams are guarded; reads go without the token.
  if (method !== 'GET' && storedToken()) headers.Authorization = `Bearer ${storedToken()}`;
  let response;
  try {
    response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, data: null, error: 'cannot reach the server' };
  }
  const data = await response.json().catch(() => null);
  const error = response.ok
    ? null
    : data?.detail || data?.title || `HTTP ${response.status} ${response.statusText}`.trim();
  return { ok: response.ok, status: response.status, data, error };
}

// ---- API token (asked for only after a 401) ---------------------------------------------------

let retryWithToken = null;

/** Runs a mutating call; on 401 asks for a token, then runs the same call again. */
async function withToken(call, onAnswer) {
  const hadToken = Boolean(storedToken());
  const answer = await call();
  if (answer.status !== 401) {
    onAnswer(answer);
    return;
  }
  sessionStorage.removeItem(TOKEN_KEY); // a token that earned a 401 is wrong: don't send it again
  showResult(
    hadToken
      ? 'The token was refused. Enter it again.'
      : 'This server needs an API token to start or stop streams.',
    'error',
  );
  retryWithToken = () => withToken(call, onAnswer);
  $('token-form').hidden = false;
  $('token-input').focus();
}

function initTokenForm() {
  const form = $('token-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('token-input');
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    input.value = '';
    form.hidden = true;
    const retry = retryWithToken;
    retryWithToken = null;
    retry?.();
  });
  $('token-cancel').addEventListener('click', () => {
    form.hidden = true;
    retryWithToken = null;
    showResult('', null);
  });
}

// ---- start form -------------------------------------------------------------------------------

const START_STATUS = {
  started: 'started',
  already_running: 'already running',
  queued: 'queued (started earlier, not connected yet)',
};

function showResult(text, kind) {
  const result = $('start-result');
  result.textContent = text;
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

function initStartForm() {
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
          showResult(answer.error || 'unexpected answer from the server', 'error');
          return;
        }
        const status = START_STATUS[answer.data.status] ?? answer.data.status;
        showResult(`${status}: ${answer.data.key}`, 'ok');
        watch(answer.data.key); // whoever starts a stream wants to see it
        refresh();
      },
    ).finally(() => {
      // Waiting for a token is not "busy": let the user submit again if they cancel.
      button.disabled = false;
    });
  });
}

// ---- active streams table ---------------------------------------------------------------------

const STREAM_COLUMNS = [
  ['key', 'key', 'key'],
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
const streamRows = new Map(); // key -> { tr, cells }

function streamRow(key) {
  const tr = el('tr');
  const cells = {};
  for (const [field, label, className] of STREAM_COLUMNS) {
    const td = el('td', className);
    td.dataset.label = label; // the narrow layout shows it as a caption
    cells[field] = td;
    tr.append(td);
  }
  const actions = el('td', 'actions');
  const watchButton = el('button', 'secondary', 'watch');
  watchButton.type = 'button';
  watchButton.addEventListener('click', () => watch(key));
  const stopButton = el('button', 'danger', 'stop');
  stopButton.type = 'button';
  stopButton.addEventListener('click', () => stop(key));
  actions.append(watchButton, stopButton);
  tr.append(actions);
  return { tr, cells };
}

function fillStreamRow({ tr, cells }, stream) {
  cells.key.replaceChildren(keyText(stream.key));
  const status = el(
    'span',
    `badge status-${KNOWN_STATUSES.has(stream.status) ? stream.status : 'other'}`,
  );
  status.textContent = stream.status ?? DASH;
  cells.status.replaceChildren(status);
  cells.node.textContent = stream.node ?? DASH;
  cells.ticks.textContent = fmtCount(stream.ticks);
  cells.lastTickAt.textContent = fmtTime(stream.lastTickAt);
  cells.lastTickAt.title = stream.lastTickAt ?? '';
  cells.mode.textContent = stream.mode ?? DASH;
  cells.reconnects.textContent = fmtCount(stream.reconnects);
  cells.lastError.textContent = stream.lastError ?? '';
  cells.lastError.title = stream.lastError ?? '';
  tr.classList.toggle('watched', stream.key === live.key);
}

function renderStreams(answer) {
  const note = $('streams-note');
  if (!answer.ok) {
    // Keep the last rows on screen: a failed poll says nothing about the streams themselves.
    note.textContent = `Could not refresh: ${answer.error}`;
    note.hidden = false;
    return;
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
    let row = streamRows.get(stream.key);
    if (!row) {
      row = streamRow(stream.key);
      streamRows.set(stream.key, row);
    }
    fillStreamRow(row, stream);
    tbody.append(row.tr); // re-appending keeps the server's order without rebuilding buttons
  }
  for (const [key, row] of streamRows) {
    if (!seen.has(key)) {
      row.tr.remove();
      streamRows.delete(key);
    }
  }
  paintFeedStatus(streams.find((stream) => stream.key === live.key));
}

/** The listing's word on the watched stream's feed; its tick stream's `feed` events come sooner. */
function paintFeedStatus(stream) {
  if (stream) paintFeed(stream.status, stream.lastError);
}

/**
 * "connected" in the live panel is only the browser's link to tickshard: when the stream's own
 * upstream feed is not running (reconnecting, lost with its node, waiting for a token), the ticks
 * shown are the last known ones, so say so.
 */
function paintFeed(status, reason) {
  const badge = $('live-feed');
  const trouble = Boolean(live.source && status !== 'running');
  badge.hidden = !trouble;
  if (trouble) {
    badge.textContent = `feed ${status}`;
    badge.title = reason ?? '';
  }
}

function stop(key) {
  if (!window.confirm(`Stop ${key} for every viewer?`)) return;
  withToken(
    () => request('DELETE', `/streams/${encodeURIComponent(key)}`),
    (answer) => {
      showResult(answer.ok ? `stopped: ${key}` : answer.error, answer.ok ? 'ok' : 'error');
      if (answer.ok && key === live.key) {
        closeSource();
        setLiveState('stopped');
      }
      refresh();
    },
  );
}

// ---- cluster line -----------------------------------------------------------------------------

function renderCluster(answer) {
  const line = $('cluster');
  if (!answer.ok) {
    line.replaceChildren(el('span', 'error-text', `cluster: ${answer.error}`));
    return;
  }
  const { members = [], self, leader, streamsPerNode = {} } = answer.data ?? {};
  const parts = members.map((member) => {
    const up = member.status === 'Up' && member.reachable !== false;
    const span = el('span', `member ${up ? 'member-up' : 'member-down'}`);
    const tags = [
      member.node === self ? 'this node' : null,
      member.node === leader ? 'leader' : null,
    ];
    const streams = streamsPerNode[member.node];
    span.textContent = `${member.node} ${member.reachable === false ? 'unreachable' : member.status}`;
    span.title = [...tags, isNum(streams) ? `${streams} streams` : null].filter(Boolean).join(', ');
    return span;
  });
  line.replaceChildren(el('span', 'muted', 'cluster'), ...parts);
}

// ---- broker line ------------------------------------------------------------------------------

/** "in 42 min" / "in 3 h 5 min" / "2 min ago", from now to an ISO instant. */
function fromNow(iso) {
  const minutes = Math.round((new Date(iso).getTime() - Date.now()) / 60000);
  const span = Math.abs(minutes);
  const text = span >= 60 ? `${Math.floor(span / 60)} h ${span % 60} min` : `${span} min`;
  return minutes >= 0 ? `in ${text}` : `${text} ago`;
}

/**
 * The broker credentials as this node sees them: quiet while all is well, a warning from an hour
 * before the token's expiry, an error once the broker refused it (streams wait for a new one).
 */
function renderBroker(answer) {
  const line = $('broker');
  if (!answer.ok) {
    line.replaceChildren(el('span', 'error-text', `broker: ${answer.error}`));
    return;
  }
  const broker = answer.data ?? {};
  const expires = broker.tokenExpiresAt
    ? `token expires ${fmtTime(broker.tokenExpiresAt)} (${fromNow(broker.tokenExpiresAt)})`
    : 'token expiry not stated';
  const source = `from ${broker.tokenSource ?? DASH}`;
  let kind = 'muted';
  let text = `broker ${broker.clientId ?? ''}: ${expires}, ${source}`;
  if (broker.state === 'expiring') {
    kind = 'warn-text';
    text = `broker token expires ${fmtTime(broker.tokenExpiresAt)} (${fromNow(
      broker.tokenExpiresAt,
    )}): renew it (token file or PUT /api/v1/broker/credentials)`;
  } else if (broker.state === 'expired') {
    kind = 'error-text';
    text = `broker token expired ${fromNow(broker.tokenExpiresAt)}: streams will wait for a new one`;
  } else if (broker.state === 'refused') {
    kind = 'error-text';
    const reason = broker.lastRefusal?.reason ?? 'refused';
    text = `broker refused the token (${reason}): streams wait for new credentials`;
  }
  line.className = 'broker';
  line.replaceChildren(el('span', kind, text));
  line.title = broker.credentialsSince ? `credentials since ${broker.credentialsSince}` : '';
}

// ---- broker sockets line ----------------------------------------------------------------------

const TROUBLED_SOCKETS = new Set(['failed', 'lost', 'waiting_for_credentials']);

/**
 * How many of the broker connections are open and, when streams share them, how many instruments
 * they carry of the most they can: "sockets 1/5 · instruments 812/25,000".
 */
function renderUpstream(answer) {
  const line = $('upstream');
  if (!answer.ok) {
    line.replaceChildren(el('span', 'error-text', `sockets: ${answer.error}`));
    return;
  }
  const upstream = answer.data ?? {};
  const sockets = upstream.sockets ?? [];
  let text = `sockets ${fmtCount(upstream.socketsInUse)}/${fmtCount(upstream.budget)}`;
  text +=
    upstream.sharing === 'dedicated'
      ? ' (dedicated)'
      : ` · instruments ${fmtCount(upstream.instrumentsInUse)}/${fmtCount(upstream.capacity)}`;
  const troubled = sockets.some((socket) => TROUBLED_SOCKETS.has(socket.state));
  line.className = 'broker';
  line.replaceChildren(el('span', troubled ? 'warn-text' : 'muted', text));
  line.title = sockets
    .map(
      (socket) =>
        `${socket.id}: ${socket.state}${socket.node ? ` on ${socket.node}` : ''}, ` +
        `${fmtCount(socket.carried)} instruments, ${fmtCount(socket.keys)} keys`,
    )
    .join('\n');
}

// ---- polling ----------------------------------------------------------------------------------

let refreshTimer = 0;
let refreshing = false;
let refreshAgain = false;

/** Polls streams, cluster, broker and sockets; a call during a poll runs one more poll after it. */
async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  clearTimeout(refreshTimer);
  refreshing = true;
  try {
    if (!document.hidden) {
      const [streams, cluster, broker, upstream] = await Promise.all([
        request('GET', '/streams'),
        request('GET', '/cluster'),
        request('GET', '/broker'),
        request('GET', '/upstream'),
      ]);
      renderStreams(streams);
      renderCluster(cluster);
      renderBroker(broker);
      renderUpstream(upstream);
    }
  } finally {
    refreshing = false;
    refreshTimer = setTimeout(refresh, refreshAgain ? 0 : REFRESH_MS);
    refreshAgain = false;
  }
}

// ---- live ticks -------------------------------------------------------------------------------

const live = {
  key: null,
  source: null,
  rows: new Map(), // "SEGMENT:securityId" -> { id, data, cells, tr, shownLtp }
  dirty: new Set(),
  frame: 0,
  retryTimer: 0,
};

const LIVE_STATES = {
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  stopped: 'not running',
};

function setLiveState(state, detail) {
  const badge = $('live-state');
  badge.hidden = false;
  badge.className = `state state-${state}`;
  // A stop's reason is worth reading at a glance ("idle", "market_closed", "stopped via the API").
  badge.textContent =
    state === 'stopped' && detail ? `${LIVE_STATES[state]}: ${detail}` : LIVE_STATES[state];
  badge.title = detail ?? '';
}

function watch(key) {
  if (key === live.key && live.source) return;
  closeSource();
  clearTicks();
  live.key = key;
  // replaceState does not fire hashchange, so this cannot loop back into watch().
  history.replaceState(null, '', `#watch=${encodeURIComponent(key)}`);
  $('live-key').replaceChildren(keyText(key));
  $('live-feed').hidden = true;
  showLiveHint('Waiting for the first ticks…');
  for (const [rowKey, row] of streamRows) row.tr.classList.toggle('watched', rowKey === key);
  connect(key);
}

/** The hint replaces the ticks table until the first instrument arrives. */
function showLiveHint(text) {
  const empty = live.rows.size === 0;
  $('live-hint').textContent = text;
  $('live-hint').hidden = !empty;
  $('ticks-wrap').hidden = empty;
}

function closeSource() {
  live.source?.close();
  live.source = null;
  clearTimeout(live.retryTimer);
}

function clearTicks() {
  cancelAnimationFrame(live.frame);
  live.frame = 0;
  live.rows.clear();
  live.dirty.clear();
  $('ticks').tBodies[0].replaceChildren();
  $('ticks').classList.remove('has-depth');
}

function connect(key) {
  const source = new EventSource(`${API}/streams/${encodeURIComponent(key)}/ticks`);
  live.source = source;
  setLiveState('connecting');
  source.onopen = () => setLiveState('connected');
  // After a reconnect the server sends a fresh snapshot; merging it over the rows is enough.
  source.addEventListener('snapshot', (event) => {
    const ticks = parseJson(event.data);
    if (Array.isArray(ticks)) ticks.forEach(mergeTick);
  });
  source.addEventListener('tick', (event) => {
    const tick = parseJson(event.data);
    if (tick) mergeTick(tick);
  });
  // Each change of how the stream's feed stands, from whichever node runs it.
  source.addEventListener('feed', (event) => {
    const feed = parseJson(event.data);
    if (feed && source === live.source) paintFeed(feed.status, feed.reason);
  });
  // The stream stopped, asked here or anywhere else: the last event, then the server ends the
  // response (closed here first, so that EventSource does not reconnect to a stopped stream).
  source.addEventListener('stopped', (event) => {
    if (source !== live.source) return;
    const stopped = parseJson(event.data);
    closeSource();
    $('live-feed').hidden = true;
    setLiveState('stopped', stopped?.reason);
    showLiveHint('This stream is not running. Start it again to see its ticks.');
    refresh();
  });
  source.onerror = () => {
    if (source !== live.source) return;
    if (source.readyState === EventSource.CONNECTING) {
      setLiveState('reconnecting'); // the browser retries by itself
      return;
    }
    // CLOSED: the server answered with an error status, and EventSource never retries those.
    closeSource();
    explainRefusal(key);
  };
}

/** EventSource hides the problem body: ask the status call whether retrying makes sense. */
async function explainRefusal(key) {
  const answer = await request('GET', `/streams/${encodeURIComponent(key)}`);
  if (key !== live.key || live.source) return;
  // A 4xx will not change by asking again (never started, or not a valid key).
  if ((answer.status >= 400 && answer.status < 500) || answer.data?.status === 'stopped') {
    setLiveState('stopped', answer.error ?? answer.data?.stopReason);
    showLiveHint(
      answer.status === 400
        ? answer.error
        : 'This stream is not running. Start it again to see its ticks.',
    );
    return;
  }
  setLiveState('reconnecting', answer.error ?? `stream is ${answer.data?.status}`);
  live.retryTimer = setTimeout(() => {
    if (key === live.key && !live.source) connect(key);
  }, RETRY_AFTER_REFUSAL_MS);
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const instrumentId = (tick) => `${tick.segment}:${tick.securityId}`;

function mergeTick(tick) {
  if (!tick || tick.segment === undefined || tick.securityId === undefined) return;
  const id = instrumentId(tick);
  let row = live.rows.get(id);
  if (!row) {
    row = tickRow(tick);
    live.rows.set(id, row);
    insertInOrder(row);
    showLiveHint('');
  }
  // A tick carries only what its packet kind knows (an oi packet has no ltp): keep the rest.
  for (const [field, value] of Object.entries(tick)) {
    if (value !== null && value !== undefined) row.data[field] = value;
  }
  live.dirty.add(row);
  // The feed can deliver hundreds of ticks a second; paint at most once per frame.
  if (!live.frame) live.frame = requestAnimationFrame(paintDirtyRows);
}

const TICK_CELLS = [
  'instrument',
  'ltp',
  'change',
  'pct',
  'volume',
  'open',
  'high',
  'low',
  'bid',
  'ask',
  'updated',
];
const TICK_CELL_CLASSES = {
  instrument: 'instrument',
  updated: 'time',
  bid: 'num depth',
  ask: 'num depth',
};

function tickRow(tick) {
  const tr = el('tr');
  const cells = {};
  for (const name of TICK_CELLS) {
    cells[name] = el('td', TICK_CELL_CLASSES[name] ?? 'num');
    tr.append(cells[name]);
  }
  cells.instrument.append(
    el('span', 'security-id', tick.securityId),
    el('span', 'segment', tick.segment),
  );
  return {
    id: instrumentId(tick),
    segment: String(tick.segment),
    securityId: Number(tick.securityId),
    data: {},
    cells,
    tr,
    shownLtp: undefined,
  };
}

/** Rows stay sorted by segment, then security id, so they do not jump around as ticks arrive. */
function insertInOrder(row) {
  const tbody = $('ticks').tBodies[0];
  const after = [...live.rows.values()].find(
    (other) => other !== row && other.tr.isConnected && compareRows(other, row) > 0,
  );
  tbody.insertBefore(row.tr, after ? after.tr : null);
}

function compareRows(a, b) {
  return a.segment.localeCompare(b.segment) || a.securityId - b.securityId;
}

function paintDirtyRows() {
  live.frame = 0;
  let hasDepth = false;
  for (const row of live.dirty) paintTickRow(row);
  live.dirty.clear();
  for (const row of live.rows.values())
    hasDepth ||= isNum(row.data.bidPrice) || isNum(row.data.askPrice);
  // Bid/ask exist only in full mode: hide the columns rather than show a column of dashes.
  $('ticks').classList.toggle('has-depth', hasDepth);
}

function paintTickRow(row) {
  const { data, cells } = row;
  cells.ltp.textContent = fmtPrice(data.ltp);
  if (isNum(row.shownLtp) && isNum(data.ltp) && data.ltp !== row.shownLtp) {
    flash(cells.ltp, data.ltp > row.shownLtp ? 'up' : 'down');
  }
  row.shownLtp = data.ltp;

  const change =
    isNum(data.ltp) && isNum(data.previousClose) ? data.ltp - data.previousClose : null;
  const pct =
    change !== null && data.previousClose !== 0 ? (change / data.previousClose) * 100 : null;
  cells.change.textContent = change === null ? DASH : signedFormat.format(change);
  cells.pct.textContent = pct === null ? DASH : `${signedFormat.format(pct)}%`;
  for (const cell of [cells.change, cells.pct]) {
    cell.classList.toggle('up', change > 0);
    cell.classList.toggle('down', change < 0);
  }
  if (isNum(data.previousClose))
    cells.change.title = `previous close ${fmtPrice(data.previousClose)}`;

  cells.volume.textContent = fmtCount(data.volume);
  cells.open.textContent = fmtPrice(data.open);
  cells.high.textContent = fmtPrice(data.high);
  cells.low.textContent = fmtPrice(data.low);
  paintQuote(cells.bid, data.bidPrice, data.bidQuantity);
  paintQuote(cells.ask, data.askPrice, data.askQuantity);
  cells.updated.textContent = fmtTime(data.receivedAt);
  cells.updated.title = data.lastTradeTime ? `last trade ${fmtTime(data.lastTradeTime)}` : '';
}

function paintQuote(cell, price, quantity) {
  if (!isNum(price)) {
    cell.textContent = DASH;
    return;
  }
  cell.replaceChildren(fmtPrice(price));
  if (isNum(quantity)) cell.append(el('span', 'qty', `×${fmtCount(quantity)}`));
}

// Colors come from the stylesheet, read once, so the CSS stays the one place for them.
const rootStyle = getComputedStyle(document.documentElement);
const FLASH_COLORS = {
  up: rootStyle.getPropertyValue('--flash-up').trim() || '#c8f0d2',
  down: rootStyle.getPropertyValue('--flash-down').trim() || '#f8d0d0',
};

function flash(cell, direction) {
  // The Web Animations API restarts cleanly on every move, without forcing a layout per cell.
  cell.animate([{ backgroundColor: FLASH_COLORS[direction] }, { backgroundColor: 'transparent' }], {
    duration: 900,
    easing: 'ease-out',
  });
}

// ---- start ------------------------------------------------------------------------------------

/** `#watch=<encoded key>` in the URL opens that stream's live panel: links can be shared. */
function keyFromHash() {
  const match = /^#watch=(.+)$/.exec(window.location.hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

function init() {
  initStartForm();
  initTokenForm();
  window.addEventListener('hashchange', () => {
    const key = keyFromHash();
    if (key && key !== live.key) watch(key);
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) refresh();
  });
  const key = keyFromHash();
  if (key) watch(key);
  refresh();
}

init();
