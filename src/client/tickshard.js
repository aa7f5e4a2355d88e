// tickshard's browser client: watch a stream's ticks from any page, on tickshard's origin or another
// one listed in TICKSHARD_API_ALLOWED_ORIGINS. An ES module with no dependency and no build step,
// served by every node at /client/tickshard.js. docs/client.md says how to use it.
//
//   import { watch } from 'https://tickshard.example.com/client/tickshard.js';
//   const watcher = watch(key, { snapshot, tick, feed, stopped, link });
//   watcher.close();

const DEFAULTS = {
  // No event within this long after connecting: something between the page and tickshard holds
  // the event stream back (a buffering proxy); poll the snapshot instead.
  firstEventTimeout: 8000,
  pollInterval: 2000,
  minBackoff: 250,
  maxBackoff: 10000,
};

// Problems that will not change by asking again.
const FINAL_PROBLEMS = new Set(['stream-not-found', 'stream-not-running', 'invalid-stream-key']);

/** A failed call: `status` 0 when tickshard could not be reached; `problem` is its answer. */
export class TickshardError extends Error {
  constructor(status, problem, message) {
    super(message);
    this.name = 'TickshardError';
    this.status = status;
    this.problem = problem;
  }

  /** The problem's short type ("budget-exhausted"), or null. */
  get type() {
    const type = this.problem?.type;
    return typeof type === 'string' ? type.slice(type.lastIndexOf('/') + 1) : null;
  }
}

// One connection per stream per page, whichever client or widget asked for it.
const connections = new Map();

/**
 * A client for one tickshard deployment. `base`: its address, or several nodes' addresses to go
 * round when one cannot be reached (default: the node this module was loaded from). `token`: the
 * API token (or a function answering it) for start and stop; reads need none.
 */
export function createClient(options = {}) {
  const settings = { ...DEFAULTS, ...options };
  const bases = [].concat(options.base ?? new URL('..', import.meta.url).href).map(trimSlash);
  const tokenOf = () => (typeof settings.token === 'function' ? settings.token() : settings.token);

  async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = tokenOf();
    if (token && method !== 'GET') headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(bases[0] + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new TickshardError(0, null, `cannot reach tickshard at ${bases[0]}`);
    }
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const why = data?.detail || data?.title || `HTTP ${response.status}`;
      throw new TickshardError(response.status, data, why);
    }
    return data;
  }

  const client = {
    bases,
    settings,
    request,
    /** Starts a stream (instruments by id, "SEGMENT:ID" or symbol); answers {key, status, stream}. */
    start: ({ screenerType, instruments, mode }) =>
      request('POST', '/api/v1/streams', { screenerType, instruments, mode }),
    /** Stops a stream for every viewer. */
    stop: (key) => request('DELETE', streamPath(key)),
    /** The stream's own answer: how it stands, where it runs, its figures. */
    stream: (key) => request('GET', streamPath(key)),
    /**
     * Watches a stream: `handlers` may have snapshot(ticks), tick(tick), feed({status, reason, from}),
     * stopped({reason}), link({state, transport, detail}) and stream(answer). Answers a watcher
     * with close() and latest(), the merged latest values per instrument.
     */
    watch(key, handlers = {}) {
      const id = `${bases.join(' ')}\n${key}`;
      let connection = connections.get(id);
      if (!connection) {
        const forget = () => connections.get(id) === connection && connections.delete(id);
        connection = new Connection(client, key, forget);
        connections.set(id, connection);
      }
      return connection.add(handlers);
    },
  };
  return client;
}

let defaultClient = null;
const theDefault = () => (defaultClient ??= createClient());

/** {@link createClient}'s watch on the node this module was loaded from. */
export const watch = (key, handlers) => theDefault().watch(key, handlers);

export const streamPath = (key) => `/api/v1/streams/${encodeURIComponent(key)}`;

const trimSlash = (url) => String(url).replace(/\/+$/, '');
const parse = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

const instrumentOf = (tick) => `${tick.segment}:${tick.securityId}`;

/** A tick's fields over what was known (absent and null fields keep the older value). */
function mergeInto(latest, tick, fresh) {
  const id = instrumentOf(tick);
  const known = latest.get(id);
  if (!known) {
    latest.set(id, { ...tick });
    return;
  }
  // An older snapshot entry only fills what is missing (the previous close, above all).
  const newer = fresh || !(Date.parse(tick.receivedAt) < Date.parse(known.receivedAt));
  for (const [field, value] of Object.entries(tick)) {
    if (value === null || value === undefined) continue;
    if (newer || known[field] === undefined) known[field] = value;
  }
}

/** The page's one connection to a stream, shared by its watchers. */
class Connection {
  constructor(client, key, forget) {
    this.client = client;
    this.key = key;
    this.forget = forget;
    this.watchers = new Set();
    this.latest = new Map();
    this.link = { state: 'connecting', transport: 'events', detail: '' };
    this.feed = null; // { status, reason } as last heard
    this.feedHeard = false; // a feed event came: the status call's word is older news
    this.answer = null; // the stream's own answer
    this.stoppedWith = null;
    this.base = 0;
    this.attempt = 0;
    this.everOpen = false;
    this.source = null;
    this.timer = 0;
    this.etag = null;
    this.polled = false;
    this.connect();
    this.loadStream();
  }

  add(handlers) {
    const watcher = { handlers };
    this.watchers.add(watcher);
    // A late watcher starts from what the connection knows.
    if (this.latest.size > 0) call(watcher, 'snapshot', [...this.latest.values()].map(copy));
    if (this.answer) call(watcher, 'stream', this.answer);
    if (this.feed) call(watcher, 'feed', this.feed);
    call(watcher, 'link', { ...this.link });
    if (this.stoppedWith) call(watcher, 'stopped', this.stoppedWith);
    return {
      close: () => {
        this.watchers.delete(watcher);
        if (this.watchers.size === 0) this.close();
      },
      latest: () => new Map([...this.latest].map(([id, tick]) => [id, copy(tick)])),
    };
  }

  emit(name, value) {
    for (const watcher of this.watchers) call(watcher, name, value);
  }

  get url() {
    return this.client.bases[this.base] + streamPath(this.key);
  }

  setLink(state, detail = '') {
    this.link = { state, transport: this.link.transport, detail };
    this.emit('link', { ...this.link });
  }

  /** `from`: 'event' (the stream's own news), 'snapshot' (a poll) or 'status' (the first look). */
  setFeed(status, reason, from) {
    if (!status || (this.feedHeard && from === 'status')) return;
    this.feedHeard ||= from !== 'status';
    if (this.feed?.status === status && this.feed?.reason === (reason ?? null)) return;
    this.feed = { status, reason: reason ?? null, from };
    this.emit('feed', this.feed);
  }

  async loadStream() {
    try {
      this.answer = await this.client.stream(this.key);
    } catch {
      return; // the event stream says how it stands
    }
    if (this.stoppedWith) return;
    this.emit('stream', this.answer);
    if (this.answer.status === 'stopped') this.markStopped({ reason: this.answer.stopReason });
    else this.setFeed(this.answer.status, this.answer.lastError, 'status');
  }

  // ---- the event stream ------------------------------------------------------------------------

  connect() {
    if (this.link.transport === 'poll') return this.poll();
    const source = new EventSource(`${this.url}/ticks`);
    this.source = source;
    const mine = () => source === this.source;
    const on = (name, handle) =>
      source.addEventListener(name, (event) => {
        if (mine()) handle(parse(event.data));
      });
    this.timer = setTimeout(() => {
      if (mine()) this.fallBackToPolling();
    }, this.client.settings.firstEventTimeout);
    on('snapshot', (ticks) => {
      if (!Array.isArray(ticks)) return;
      if (this.link.state !== 'open') this.opened();
      this.deliverSnapshot(ticks);
    });
    on('tick', (tick) => {
      if (!tick || tick.segment === undefined) return;
      mergeInto(this.latest, tick, true);
      this.emit('tick', tick);
    });
    on('feed', (feed) => this.setFeed(feed?.status, feed?.reason, 'event'));
    on('stopped', (stopped) => this.markStopped(stopped ?? {}));
    // Its node shuts down (a roll): go again at once, to the next node when there are several.
    on('leaving', (leaving) => {
      this.closeSource();
      this.nextBase();
      this.setLink('reconnecting', `node ${leaving?.node ?? ''} is shutting down`);
      this.timer = setTimeout(() => this.connect(), 100 + Math.random() * 900);
    });
    source.onerror = () => {
      if (mine()) this.interrupted();
    };
  }

  opened() {
    clearTimeout(this.timer);
    this.attempt = 0;
    if (this.everOpen) {
      // What changed while the link was down came as no event: ask once more.
      this.feedHeard = false;
      this.loadStream();
    }
    this.everOpen = true;
    this.setLink('open');
  }

  deliverSnapshot(ticks) {
    for (const tick of ticks) if (tick?.segment !== undefined) mergeInto(this.latest, tick, false);
    this.emit('snapshot', ticks);
  }

  /** The connection broke or was refused: ask why, then go again after a backoff. */
  async interrupted() {
    this.closeSource();
    this.setLink('reconnecting', 'connection interrupted');
    const why = await this.whyRefused();
    if (this.stoppedWith || this.watchers.size === 0) return;
    if (why.stopped) return this.markStopped(why.stopped);
    this.nextBase();
    this.setLink('reconnecting', why.detail);
    this.retryLater(() => this.connect());
  }

  /** EventSource hides the answer's status: the stream's own answer says whether to go on. */
  async whyRefused() {
    try {
      const answer = await this.client.stream(this.key);
      if (answer.status === 'stopped') return { stopped: { reason: answer.stopReason } };
      return { detail: `stream is ${answer.status}` };
    } catch (failure) {
      // Never running, and never seen running here: nothing to wait for. Seen running, a
      // cluster still settling after a restart may not know the stream yet.
      if (FINAL_PROBLEMS.has(failure.type) && !this.everOpen) {
        return { stopped: { reason: failure.message } };
      }
      return { detail: failure.message };
    }
  }

  retryLater(again) {
    const { minBackoff, maxBackoff } = this.client.settings;
    const delay = Math.min(maxBackoff, minBackoff * 2 ** this.attempt++);
    this.timer = setTimeout(again, delay / 2 + (Math.random() * delay) / 2);
  }

  nextBase() {
    this.base = (this.base + 1) % this.client.bases.length;
  }

  // ---- polling, when the event stream does not come through ------------------------------------

  fallBackToPolling() {
    this.closeSource();
    this.link = { ...this.link, transport: 'poll' };
    this.setLink('connecting', 'no event arrived; polling the snapshot instead');
    this.poll();
  }

  /**
   * The first poll is a snapshot; after it, each instrument that changed since the last poll comes
   * as a tick (its latest values: what happened between two polls is not seen).
   */
  deliverPolled(ticks) {
    if (!this.polled) {
      this.polled = true;
      this.deliverSnapshot(ticks);
      return;
    }
    for (const tick of ticks) {
      if (tick?.segment === undefined) continue;
      const known = this.latest.get(instrumentOf(tick));
      if (known && !(Date.parse(tick.receivedAt) > Date.parse(known.receivedAt))) continue;
      mergeInto(this.latest, tick, true);
      this.emit('tick', tick);
    }
  }

  async poll() {
    let response;
    try {
      const headers = { Accept: 'application/json' };
      if (this.etag) headers['If-None-Match'] = this.etag;
      response = await fetch(`${this.url}/snapshot`, { headers, cache: 'no-store' });
    } catch {
      response = null;
    }
    if (this.stoppedWith || this.watchers.size === 0) return;
    if (response?.status === 304 || response?.ok) {
      if (response.ok) {
        const body = await response.json().catch(() => null);
        this.etag = response.headers.get('ETag');
        if (Array.isArray(body?.ticks)) this.deliverPolled(body.ticks);
        this.setFeed(body?.status, null, 'snapshot');
      }
      if (this.link.state !== 'open') this.opened();
      this.timer = setTimeout(() => this.poll(), this.client.settings.pollInterval);
      return;
    }
    this.etag = null;
    this.polled = false; // a fresh snapshot once it answers again
    const why = await this.whyRefused();
    if (why.stopped) return this.markStopped(why.stopped);
    this.nextBase();
    this.setLink('reconnecting', why.detail);
    this.retryLater(() => this.poll());
  }

  // ---- the end -----------------------------------------------------------------------------------

  markStopped(stopped) {
    if (this.stoppedWith) return;
    this.closeSource();
    this.stoppedWith = { reason: stopped.reason || 'not running', at: stopped.at ?? null };
    this.setLink('closed');
    this.emit('stopped', this.stoppedWith);
    this.forget(); // a later watch() connects again: the stream may have been started again
  }

  closeSource() {
    this.source?.close();
    this.source = null;
    clearTimeout(this.timer);
  }

  close() {
    this.closeSource();
    this.stoppedWith ??= { reason: 'closed', at: null };
    this.forget();
  }
}

function call(watcher, name, value) {
  try {
    watcher.handlers[name]?.(value);
  } catch (failure) {
    console.error(`tickshard: a watcher's ${name} handler failed`, failure);
  }
}

const copy = (tick) => ({ ...tick });
