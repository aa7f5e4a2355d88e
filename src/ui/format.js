// Number, time and DOM helpers shared by the screener's modules. Server data reaches the DOM only
// through textContent and properties, never through innerHTML.

export const DASH = '—';

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

export const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
export const fmtPrice = (v) => (isNum(v) ? priceFormat.format(v) : DASH);
export const fmtSigned = (v) => (isNum(v) ? signedFormat.format(v) : DASH);
export const fmtCount = (v) => (isNum(v) ? countFormat.format(v) : DASH);

/** "1 broker connection" / "2 broker connections". */
export const plural = (n, one, many = `${one}s`) => `${fmtCount(n)} ${n === 1 ? one : many}`;

export function fmtTime(iso) {
  if (!iso) return DASH;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? DASH : at.toLocaleTimeString([], { hour12: false });
}

/** "in 42 min" / "in 3 h 5 min" / "2 min ago", from now to an ISO instant. */
export function fromNow(iso) {
  const minutes = Math.round((new Date(iso).getTime() - Date.now()) / 60000);
  const span = Math.abs(minutes);
  const text = span >= 60 ? `${Math.floor(span / 60)} h ${span % 60} min` : `${span} min`;
  return minutes >= 0 ? `in ${text}` : `${text} ago`;
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export const $ = (id) => document.getElementById(id);

/** A stream key as text with break opportunities after "|" and ",", so it wraps between ids. */
export function keyText(key) {
  const fragment = document.createDocumentFragment();
  for (const part of String(key).split(/(?<=[|,])/)) {
    fragment.append(part, document.createElement('wbr'));
  }
  return fragment;
}

export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
