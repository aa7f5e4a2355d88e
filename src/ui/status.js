// The header's status strip: the cluster's members, the broker sockets and instruments in use of
// the budget, and the broker token's state. Quiet while all is well; says what to do otherwise.

import { $, el, fmtCount, fmtTime, fromNow, isNum, plural } from './format.js';

const TROUBLED_SOCKETS = new Set(['failed', 'lost', 'waiting_for_credentials']);

/**
 * One chip: a label, a value, a severity (ok, warn, bad, muted). Unchanged text is left alone, so
 * that polling every few seconds does not make screen readers repeat it.
 */
function setChip(id, label, value, kind, title = '') {
  const chip = $(id);
  const text = `${label}\u0000${value}`;
  if (chip.dataset.text !== text) {
    chip.dataset.text = text;
    chip.replaceChildren(el('span', 'chip-label', label), el('span', 'chip-value', value));
  }
  chip.className = `chip chip-${kind}`;
  chip.title = title;
}

export function renderCluster(answer) {
  if (!answer.ok) {
    setChip('cluster', 'cluster', answer.error, 'bad');
    return;
  }
  const { members = [], self, leader, streamsPerNode = {} } = answer.data ?? {};
  const up = members.filter((m) => m.status === 'Up' && m.reachable !== false);
  const down = members.filter((m) => !up.includes(m));
  const value =
    `${up.length}/${members.length} ${members.length === 1 ? 'node' : 'nodes'} up` +
    (down.length
      ? ` · ${down
          .map((m) => `${m.node} ${m.reachable === false ? 'unreachable' : m.status}`)
          .join(', ')}`
      : '');
  const title = members
    .map((member) => {
      const tags = [
        member.reachable === false ? 'unreachable' : member.status,
        member.node === self ? 'this node' : null,
        member.node === leader ? 'leader' : null,
        isNum(streamsPerNode[member.node]) ? plural(streamsPerNode[member.node], 'stream') : null,
      ].filter(Boolean);
      return `${member.node}: ${tags.join(', ')}`;
    })
    .join('\n');
  setChip('cluster', 'cluster', value, down.length ? 'bad' : 'ok', title);
}

/**
 * "sockets 1/5 · instruments 812/25,000": how much of the broker budget is used. At the budget it
 * turns amber: the next start that needs a socket (or room for instruments) will be refused.
 */
export function renderUpstream(answer) {
  if (!answer.ok) {
    setChip('upstream', 'sockets', answer.error, 'bad');
    return;
  }
  const upstream = answer.data ?? {};
  const sockets = upstream.sockets ?? [];
  const dedicated = upstream.sharing === 'dedicated';
  let value = `${fmtCount(upstream.socketsInUse)}/${fmtCount(upstream.budget)}`;
  value += dedicated
    ? ' dedicated'
    : ` · instruments ${fmtCount(upstream.instrumentsInUse)}/${fmtCount(upstream.capacity)}`;
  const full = dedicated
    ? upstream.socketsInUse >= upstream.budget
    : upstream.instrumentsInUse >= 0.9 * upstream.capacity;
  const troubled = sockets.filter((socket) => TROUBLED_SOCKETS.has(socket.state));
  const kind = troubled.length ? 'bad' : full ? 'warn' : 'ok';
  if (troubled.length) value += ` · ${troubled.length} troubled`;
  else if (full) value += ' · full';
  const title = [
    dedicated
      ? 'dedicated: each stream holds a broker socket of its own'
      : 'shared: streams ride on pooled broker sockets, each instrument subscribed once',
    ...sockets.map(
      (socket) =>
        `${socket.id}: ${socket.state}${socket.node ? ` on ${socket.node}` : ''}, ` +
        `${fmtCount(socket.carried)} instruments, ${fmtCount(socket.keys)} keys`,
    ),
  ].join('\n');
  setChip('upstream', 'sockets', value, kind, title);
}

/**
 * The broker credentials as this node sees them: quiet while all is well, a warning from an hour
 * before the token's expiry, an error once the broker refused it (streams wait for a new one).
 */
export function renderBroker(answer) {
  if (!answer.ok) {
    setChip('broker', 'broker', answer.error, 'bad');
    return;
  }
  const broker = answer.data ?? {};
  const since = broker.credentialsSince ? `credentials since ${broker.credentialsSince}` : '';
  const about = `client ${broker.clientId ?? '?'}, token from ${broker.tokenSource ?? '?'}`;
  const expiry = broker.tokenExpiresAt
    ? `expires ${fmtTime(broker.tokenExpiresAt)} (${fromNow(broker.tokenExpiresAt)})`
    : 'no expiry stated';
  const title = [about, since].filter(Boolean).join('\n');
  if (broker.state === 'expiring') {
    setChip(
      'broker',
      'broker token',
      `${expiry}: renew it (token file or PUT /api/v1/broker/credentials)`,
      'warn',
      title,
    );
  } else if (broker.state === 'expired') {
    setChip(
      'broker',
      'broker token',
      `expired ${fromNow(broker.tokenExpiresAt)}: streams wait for a new one`,
      'bad',
      title,
    );
  } else if (broker.state === 'refused') {
    const reason = broker.lastRefusal?.reason ?? 'refused';
    setChip(
      'broker',
      'broker token',
      `refused (${reason}): streams wait for new credentials`,
      'bad',
      title,
    );
  } else {
    setChip('broker', 'broker token', `${broker.state ?? 'unknown'} · ${expiry}`, 'ok', title);
  }
}
