// The live panel: one watched stream's ticks over Server-Sent Events, a row per instrument (name,
// LTP, change from the previous close, a sparkline, the day's range, volume), sortable, with rows
// that stop updating greyed as stale and prices marked not live whenever the feed is not running.

import { createClient } from '/client/tickshard.js';
import {
  $,
  DASH,
  el,
  fmtCount,
  fmtPrice,
  fmtSigned,
  fmtTime,
  isNum,
  parseJson,
  plural,
} from './format.js';
import {
  describeStream,
  instrumentId,
  nameOf,
  onNames,
  rememberSymbols,
  segmentRank,
} from './names.js';
import { createRangeBar, drawRangeBar } from './range.js';
import { PriceHistory, createSparkline, drawSparkline } from './sparkline.js';

const STALE_AFTER_MS = 5000;
// A feed in one of these will not come back by itself.
const BAD_FEEDS = new Set(['lost', 'failed', 'waiting_for_credentials']);

const live = {
  key: null,
  stream: {}, // the stream's own answer: short id, mode
  watcher: null, // the client's watcher of the stream
  link: 'closed', // the browser's link to tickshard: connecting, open, reconnecting, closed
  linkDetail: '',
  feed: null, // the stream's feed as it stands: starting, running, reconnecting, lost, …
  feedReason: '',
  feedFromEvents: false, // a feed event came: the listing's word is older news from then on
  ticked: false, // a tick arrived since the link opened
  stopped: null, // { reason } once the stream stopped
  rows: new Map(), // instrument id -> row
  dirty: new Set(),
  frame: 0,
  resort: false,
  hasDepth: false,
  sort: { column: null, direction: 'ascending' },
  staleTimer: 0,
};

// The page's own origin: reads need no token.
const tickshard = createClient({ base: window.location.origin });

let hooks = { onStopped() {}, onWatchChange() {} };

export const watchedKey = () => live.key;

export function initLive(callbacks) {
  hooks = { ...hooks, ...callbacks };
  for (const th of $('ticks').tHead.rows[0].cells) {
    const button = th.querySelector('button.sort');
    if (button) button.addEventListener('click', () => sortBy(th.dataset.sort));
  }
  $('live-close').addEventListener('click', unwatch);
  onNames(() => {
    for (const row of live.rows.values()) paintLabel(row);
    paintTitle();
    if (live.sort.column === 'instrument') scheduleResort();
  });
}

/** Shows `key`'s ticks in the live panel, at the top of the page. */
export function watch(key) {
  if (key === live.key && live.watcher) return;
  closeWatcher();
  clearRows();
  Object.assign(live, {
    key,
    stream: {},
    feed: null,
    feedReason: '',
    feedFromEvents: false,
    ticked: false,
    stopped: null,
  });
  // replaceState does not fire hashchange, so this cannot loop back into watch().
  history.replaceState(null, '', `#watch=${encodeURIComponent(key)}`);
  $('live').hidden = false;
  document.body.classList.add('watching');
  paintTitle();
  showHint('Waiting for the first ticks…');
  live.watcher = tickshard.watch(key, handlersFor(key));
  clearInterval(live.staleTimer);
  live.staleTimer = setInterval(markStaleRows, 1000);
  hooks.onWatchChange(key);
}

export function unwatch() {
  closeWatcher();
  clearRows();
  clearInterval(live.staleTimer);
  live.key = null;
  live.link = 'closed';
  $('live').hidden = true;
  document.body.classList.remove('watching');
  history.replaceState(null, '', window.location.pathname + window.location.search);
  hooks.onWatchChange(null);
}

/** A stop of the watched stream seen elsewhere on the page (its stop button). */
export function noteStopped(key, reason) {
  if (key === live.key && !live.stopped) markStopped(reason);
}

/** The listing's word on the watched stream, used until the tick stream's own feed events come. */
export function noteListing(stream) {
  if (!stream || stream.key !== live.key || live.stopped || live.feedFromEvents) return;
  if (live.ticked && stream.status === 'starting') return; // ticks say it is past starting
  if (stream.status && stream.status !== live.feed) {
    live.feed = stream.status;
    live.feedReason = stream.lastError ?? '';
    paintState();
  }
}

/**
 * What the client (/client/tickshard.js, the one copy of the connection logic: snapshots,
 * reconnects, the polling fallback) tells about the watched stream, painted into the panel.
 */
function handlersFor(key) {
  const mine = () => key === live.key;
  return {
    stream(answer) {
      if (!mine()) return;
      live.stream = answer;
      rememberSymbols(answer.symbols);
      paintTitle();
    },
    // The first snapshot, a second one right after the first tick (with the previous closes),
    // and a fresh one after each reconnect: each is merged over the rows.
    snapshot(ticks) {
      if (mine()) ticks.forEach((tick) => mergeTick(tick, false));
    },
    tick(tick) {
      if (!mine()) return;
      mergeTick(tick, true);
      if (!live.ticked) {
        live.ticked = true;
        if (live.feed === null || live.feed === 'starting') live.feed = 'running';
        paintState();
      }
    },
    feed(feed) {
      if (!mine() || (feed.from === 'status' && live.ticked && feed.status === 'starting')) return;
      live.feed = feed.status;
      live.feedReason = feed.reason ?? '';
      live.feedFromEvents ||= feed.from !== 'status';
      paintState();
    },
    link(link) {
      if (!mine() || live.stopped) return;
      live.link = link.state;
      live.linkDetail = link.detail;
      if (link.state === 'reconnecting') live.ticked = false;
      paintState();
    },
    stopped(stopped) {
      if (mine()) markStopped(stopped.reason);
    },
  };
}

function markStopped(reason, label = 'stopped') {
  closeWatcher();
  live.link = 'closed';
  live.stopped = { reason: reason || 'not running', label };
  paintState();
  showHint('This stream is not running. Start it again to see its ticks.');
  hooks.onStopped(live.key);
}

function closeWatcher() {
  const watcher = live.watcher;
  live.watcher = null;
  watcher?.close();
}

// ---- the panel's title and state -------------------------------------------------------------

function paintTitle() {
  const name = $('live-name');
  if (!live.key) {
    name.replaceChildren();
    return;
  }
  const about = describeStream(live.key, live.stream);
  const parts = [el('span', 'stream-type', about.type)];
  if (about.count !== null) {
    parts.push(el('span', 'muted', `${plural(about.count, 'instrument')}`));
  }
  if (live.stream.mode) parts.push(el('span', 'muted', live.stream.mode));
  if (about.shortId) parts.push(el('span', 'short-id', about.shortId));
  name.replaceChildren(...parts);
  name.title = live.key;
}

function paintState() {
  const badge = $('live-state');
  let kind = 'pending';
  let text;
  let title = '';
  if (live.stopped) {
    kind = 'stopped';
    text = `${live.stopped.label}: ${live.stopped.reason}`;
  } else if (live.link === 'connecting') {
    text = 'connecting…';
  } else if (live.link === 'reconnecting') {
    text = 'reconnecting to tickshard…';
    title = live.linkDetail;
  } else if (live.feed && live.feed !== 'running') {
    kind = BAD_FEEDS.has(live.feed) ? 'bad' : 'pending';
    text = `feed ${live.feed.replaceAll('_', ' ')}`;
    title = live.feedReason;
  } else if (live.feed === 'running' || live.ticked) {
    kind = 'live';
    text = 'live';
    // The feed says it runs, yet nothing came for a while: say so (each row is greyed as stale).
    const quiet = quietFor();
    if (quiet !== null) {
      kind = 'quiet';
      text = `live · no ticks for ${quiet} s`;
      title = 'the feed is connected, but no instrument has updated lately';
    }
  } else {
    text = 'waiting for the feed…';
  }
  if (badge.textContent !== text) badge.textContent = text;
  badge.className = `state state-${kind}`;
  badge.title = title;
  $('ticks').classList.toggle('not-live', kind !== 'live' && kind !== 'quiet');
  paintNote();
}

/** Seconds since the last update of any row, when every row is stale; else null. */
function quietFor() {
  if (live.rows.size === 0) return null;
  let newest = -Infinity;
  for (const row of live.rows.values()) {
    if (!row.stale) return null;
    newest = Math.max(newest, row.updatedAt);
  }
  return Math.round((performance.now() - newest) / 1000);
}

/** The hint replaces the ticks table until the first instrument arrives. */
function showHint(text) {
  const empty = live.rows.size === 0;
  $('live-hint').textContent = text;
  $('live-hint').hidden = !empty;
  $('ticks-wrap').hidden = empty;
}

// ---- rows --------------------------------------------------------------------------------------

function clearRows() {
  cancelAnimationFrame(live.frame);
  live.frame = 0;
  live.rows.clear();
  live.dirty.clear();
  live.hasDepth = false;
  $('ticks').tBodies[0].replaceChildren();
  $('ticks').classList.remove('has-depth');
  $('live-note').hidden = true;
}

const CELLS = [
  ['instrument', 'instrument'],
  ['ltp', 'num ltp'],
  ['change', 'num change'],
  ['pct', 'num pct'],
  ['trend', 'trend'],
  ['range', 'range-cell'],
  ['volume', 'num volume'],
  ['bid', 'num depth'],
  ['ask', 'num depth'],
  ['updated', 'time'],
];

function createRow(tick) {
  const id = instrumentId(tick.segment, tick.securityId);
  const tr = el('tr');
  tr.dataset.id = id;
  const cells = {};
  for (const [name, className] of CELLS) {
    cells[name] = el('td', className);
    tr.append(cells[name]);
  }
  const symbol = el('span', 'symbol');
  const mark = el('span', 'stale-mark', 'stale');
  mark.hidden = true;
  const sub = el('span', 'instrument-name');
  cells.instrument.append(el('span', 'instrument-line', null), sub);
  cells.instrument.firstChild.append(symbol, mark);
  const spark = createSparkline();
  cells.trend.append(spark);
  const range = createRangeBar();
  cells.range.append(range);
  const row = {
    id,
    segment: String(tick.segment),
    securityId: Number(tick.securityId),
    data: {},
    tr,
    cells,
    symbol,
    sub,
    mark,
    spark,
    range,
    history: new PriceHistory(),
    sparkDirty: false,
    seenLow: null,
    seenHigh: null,
    shownLtp: undefined,
    updatedAt: performance.now(),
    stale: false,
  };
  paintLabel(row);
  return row;
}

function paintLabel(row) {
  const known = nameOf(row.id);
  row.symbol.textContent = known ? known.symbol : String(row.securityId);
  row.sub.textContent = known ? known.name || row.segment : row.segment;
  row.cells.instrument.title = known ? `${known.symbol} · ${known.name} (${row.id})` : row.id;
}

function mergeTick(tick, isTick) {
  if (!tick || tick.segment === undefined || tick.securityId === undefined) return;
  const id = instrumentId(tick.segment, tick.securityId);
  let row = live.rows.get(id);
  if (!row) {
    row = createRow(tick);
    live.rows.set(id, row);
    $('ticks').tBodies[0].append(row.tr);
    showHint('');
    live.resort = true;
  }
  // A snapshot's entry older than what the row shows only fills fields the row lacks (the
  // previous close above all); anything newer, and every tick, is merged whole.
  const fresh =
    isTick ||
    row.data.receivedAt === undefined ||
    Date.parse(tick.receivedAt) > Date.parse(row.data.receivedAt);
  // A tick carries only what its packet kind knows (an oi packet has no ltp): keep the rest.
  for (const [field, value] of Object.entries(tick)) {
    if (value === null || value === undefined) continue;
    if (fresh || row.data[field] === undefined) row.data[field] = value;
  }
  if (fresh) {
    row.updatedAt = performance.now();
    if (row.stale) {
      setStale(row, false);
      paintState(); // no longer quiet
    }
    if (isNum(tick.ltp)) {
      row.seenLow = row.seenLow === null ? tick.ltp : Math.min(row.seenLow, tick.ltp);
      row.seenHigh = row.seenHigh === null ? tick.ltp : Math.max(row.seenHigh, tick.ltp);
      if (row.history.push(Date.now(), tick.ltp)) row.sparkDirty = true;
    }
  }
  if (live.sort.column) live.resort = true;
  live.dirty.add(row);
  // The feed can deliver hundreds of ticks a second; paint at most once per frame.
  if (!live.frame) live.frame = requestAnimationFrame(paintFrame);
}

function paintFrame() {
  live.frame = 0;
  for (const row of live.dirty) paintRow(row);
  live.dirty.clear();
  // Bid/ask exist only in full mode: hide the columns rather than show a column of dashes.
  $('ticks').classList.toggle('has-depth', live.hasDepth);
  if (live.resort) {
    live.resort = false;
    applyOrder();
  }
  paintNote();
}

/** Whatever is not live shows the last known prices: say so above the table. */
function paintNote() {
  const note = $('live-note');
  note.hidden = !$('ticks').classList.contains('not-live') || live.rows.size === 0;
  note.textContent = live.stopped
    ? 'Stopped: these are the last prices received, not live.'
    : 'Not live: these are the last prices received.';
}

const changeOf = (data) =>
  isNum(data.ltp) && isNum(data.previousClose) ? data.ltp - data.previousClose : null;
const pctOf = (data) => {
  const change = changeOf(data);
  return change !== null && data.previousClose !== 0 ? (change / data.previousClose) * 100 : null;
};
const positive = (v) => (isNum(v) && v > 0 ? v : null);

function paintRow(row) {
  const { data, cells } = row;
  cells.ltp.textContent = fmtPrice(data.ltp);
  cells.ltp.dataset.value = isNum(data.ltp) ? String(data.ltp) : '';
  if (isNum(row.shownLtp) && isNum(data.ltp) && data.ltp !== row.shownLtp) {
    flash(cells.ltp, data.ltp > row.shownLtp ? 'up' : 'down');
  }
  row.shownLtp = data.ltp;

  const change = changeOf(data);
  const pct = pctOf(data);
  cells.change.textContent = change === null ? DASH : fmtSigned(change);
  cells.pct.textContent = pct === null ? DASH : `${fmtSigned(pct)}%`;
  cells.pct.dataset.value = pct === null ? '' : String(pct);
  for (const cell of [cells.change, cells.pct]) {
    cell.classList.toggle('up', change > 0);
    cell.classList.toggle('down', change < 0);
  }
  cells.change.title = isNum(data.previousClose)
    ? `previous close ${fmtPrice(data.previousClose)}`
    : 'previous close not received yet';

  if (row.sparkDirty) {
    row.sparkDirty = false;
    drawSparkline(row.spark, row.history.toArray(), row.history.minutes);
  }
  // The day's own low and high when the packet has them (0 before any trade), else what was seen.
  const low = positive(data.low) ?? row.seenLow;
  const high = positive(data.high) ?? row.seenHigh;
  if (isNum(data.ltp) && isNum(low) && isNum(high)) {
    drawRangeBar(row.range, Math.min(low, data.ltp), Math.max(high, data.ltp), data.ltp);
  } else {
    drawRangeBar(row.range, null, null, null);
  }

  cells.volume.textContent = fmtCount(data.volume);
  cells.volume.dataset.value = isNum(data.volume) ? String(data.volume) : '';
  if (isNum(data.bidPrice) || isNum(data.askPrice)) live.hasDepth = true;
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

// ---- stale rows -------------------------------------------------------------------------------

function markStaleRows() {
  const now = performance.now();
  let changed = false;
  for (const row of live.rows.values()) {
    const stale = now - row.updatedAt > STALE_AFTER_MS;
    if (stale !== row.stale) {
      setStale(row, stale);
      changed = true;
    }
  }
  // "no ticks for N s" counts up while everything is quiet.
  if (changed || $('live-state').classList.contains('state-quiet')) paintState();
}

function setStale(row, stale) {
  row.stale = stale;
  row.tr.classList.toggle('stale', stale);
  row.mark.hidden = !stale;
  row.mark.title = stale ? `no update for more than ${STALE_AFTER_MS / 1000} s` : '';
}

// ---- sorting ----------------------------------------------------------------------------------

const SORT_VALUES = {
  instrument: (row) => nameOf(row.id)?.symbol ?? String(row.securityId), // as shown
  ltp: (row) => row.data.ltp,
  change: (row) => changeOf(row.data),
  pct: (row) => pctOf(row.data),
  volume: (row) => row.data.volume,
};

/** The key's own order: segment by feed code, then security id. */
const keyOrder = (a, b) =>
  segmentRank(a.segment) - segmentRank(b.segment) || a.securityId - b.securityId;

const missing = (v) => v === null || v === undefined || (typeof v === 'number' && !isNum(v));

function compareBySort(a, b) {
  const { column, direction } = live.sort;
  const value = SORT_VALUES[column];
  const va = value(a);
  const vb = value(b);
  // Rows without a value go last either way; ties keep the key's order, so the sort is stable.
  if (missing(va) || missing(vb)) {
    return missing(va) && missing(vb) ? keyOrder(a, b) : missing(va) ? 1 : -1;
  }
  const order =
    typeof va === 'string'
      ? va.localeCompare(vb, undefined, { numeric: true, sensitivity: 'base' })
      : va - vb;
  return (direction === 'ascending' ? order : -order) || keyOrder(a, b);
}

function applyOrder() {
  const rows = [...live.rows.values()].sort(live.sort.column ? compareBySort : keyOrder);
  const tbody = $('ticks').tBodies[0];
  const shown = tbody.children;
  if (rows.every((row, i) => shown[i] === row.tr)) return;
  tbody.append(...rows.map((row) => row.tr));
}

function scheduleResort() {
  live.resort = true;
  if (!live.frame) live.frame = requestAnimationFrame(paintFrame);
}

function sortBy(column) {
  if (!SORT_VALUES[column]) return;
  const same = live.sort.column === column;
  live.sort = {
    column,
    direction: same && live.sort.direction === 'ascending' ? 'descending' : 'ascending',
  };
  for (const th of $('ticks').tHead.rows[0].cells) {
    if (th.dataset.sort === column) th.setAttribute('aria-sort', live.sort.direction);
    else th.removeAttribute('aria-sort');
  }
  scheduleResort();
}
