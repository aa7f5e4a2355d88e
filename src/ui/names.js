// Instruments by id ("NSE_EQ:1333") and what the server says they are called. Names come from a
// stream's `symbols` and from instrument search; a server that knows no symbols sends neither,
// and every label falls back to the id and its segment.

// The segments in the order of their feed codes, the order stream keys list instruments in.
const SEGMENT_ORDER = [
  'IDX_I',
  'NSE_EQ',
  'NSE_FNO',
  'NSE_CURRENCY',
  'BSE_EQ',
  'MCX_COMM',
  'BSE_CURRENCY',
  'BSE_FNO',
];

const names = new Map(); // id -> { symbol, name }
const listeners = new Set();
let serverKnowsSymbols = false;

export const instrumentId = (segment, securityId) => `${segment}:${securityId}`;

/** An id written in a key ("1333", "NSE_FNO:55796") as a full id ("NSE_EQ:1333"). */
export function fullId(written) {
  const text = String(written).trim();
  return /^\d+$/.test(text) ? `NSE_EQ:${text}` : text;
}

/** How the start form writes an instrument: a bare number for NSE_EQ, SEGMENT:ID otherwise. */
export function formText(segment, securityId) {
  return segment === 'NSE_EQ' ? String(securityId) : `${segment}:${securityId}`;
}

/** `type:<screener>|ids:<list>` → { type, ids: full ids }; null for another shape. */
export function parseKey(key) {
  const match = /^type:([^|]*)\|ids:(.*)$/.exec(String(key));
  if (!match) return null;
  return { type: match[1], ids: match[2].split(',').filter(Boolean).map(fullId) };
}

export function segmentRank(segment) {
  const rank = SEGMENT_ORDER.indexOf(segment);
  return rank < 0 ? SEGMENT_ORDER.length : rank;
}

/** A stream answer's `symbols` ({"NSE_EQ:1333": {symbol, name}}), when the server sends them. */
export function rememberSymbols(symbols) {
  if (!symbols || typeof symbols !== 'object') return;
  serverKnowsSymbols = true;
  let changed = false;
  for (const [id, entry] of Object.entries(symbols)) {
    if (entry && typeof entry.symbol === 'string' && names.get(id)?.symbol !== entry.symbol) {
      names.set(id, { symbol: entry.symbol, name: typeof entry.name === 'string' ? entry.name : '' });
      changed = true;
    }
  }
  if (changed) listeners.forEach((listener) => listener());
}

/** One instrument of a search answer. */
export function rememberInstrument(instrument) {
  if (!instrument?.id || typeof instrument.symbol !== 'string') return;
  rememberSymbols({ [instrument.id]: { symbol: instrument.symbol, name: instrument.name } });
}

export const nameOf = (id) => names.get(id);
export const knowsSymbols = () => serverKnowsSymbols;

/** The symbol, or the id as a key writes it ("1333", "NSE_FNO:55796"). */
export function shortLabel(id) {
  const known = names.get(id);
  if (known) return known.symbol;
  return id.startsWith('NSE_EQ:') ? id.slice('NSE_EQ:'.length) : id;
}

/** Called whenever new names arrive, so that labels shown can be redrawn. */
export function onNames(listener) {
  listeners.add(listener);
}

/**
 * What a person reads for a stream: its screener type, how many instruments, the first few of
 * them by symbol (or id), and its short id when the server gives one.
 */
export function describeStream(key, stream = {}) {
  const parsed = parseKey(key);
  if (!parsed) return { type: String(key), count: null, preview: '', shortId: stream.id ?? null };
  const shown = parsed.ids.slice(0, 3).map(shortLabel);
  const more = parsed.ids.length - shown.length;
  return {
    type: parsed.type,
    count: parsed.ids.length,
    preview: shown.join(' · ') + (more > 0 ? ` +${more}` : ''),
    shortId: typeof stream.id === 'string' ? stream.id : null,
  };
}
