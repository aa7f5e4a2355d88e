// tickshard screener page: start a stream, list the cluster's streams, watch one stream's ticks.
// Plain ES modules, no dependencies, no build step: this one wires the others together and polls.

import { request, streamPath } from './api.js';
import { $ } from './format.js';
import { initLive, noteListing, noteStopped, watch, watchedKey } from './live.js';
import { initInstrumentSearch } from './search.js';
import { initStartForm, showResult } from './start.js';
import { renderBroker, renderCluster, renderUpstream } from './status.js';
import { initStreams, markWatched, renderStreams } from './streams.js';
import { initTokenForm, withToken } from './token.js';

const REFRESH_MS = 3000;

function stop(key) {
  if (!window.confirm(`Stop ${key} for every viewer?`)) return;
  withToken(
    () => request('DELETE', streamPath(key)),
    (answer) => {
      showResult(answer.ok ? `stopped: ${key}` : answer.error, answer.ok ? 'ok' : 'error');
      if (answer.ok) noteStopped(key, answer.data?.stream?.stopReason);
      refresh();
    },
  );
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
      noteListing(renderStreams(streams));
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
  initTokenForm(showResult);
  initStartForm({ watch, stop, refresh });
  initStreams({ watch, stop, watchedKey });
  initLive({
    onStopped: () => refresh(),
    onWatchChange: (key) => {
      markWatched(key);
      if (key) window.scrollTo({ top: 0 }); // the live panel is at the top
    },
  });
  initInstrumentSearch($('instruments-input'), $('instrument-options'));
  window.addEventListener('hashchange', () => {
    const key = keyFromHash();
    if (key && key !== watchedKey()) watch(key);
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) refresh();
  });
  const key = keyFromHash();
  if (key) watch(key);
  refresh();
}

init();
