// The API token, asked for only after a 401: kept in sessionStorage, never in the page URL.

import { forgetToken, storeToken, storedToken } from './api.js';
import { $ } from './format.js';

let retryWithToken = null;
let say = () => {};

/** Runs a mutating call; on 401 asks for a token, then runs the same call again. */
export async function withToken(call, onAnswer) {
  const hadToken = Boolean(storedToken());
  const answer = await call();
  if (answer.status !== 401) {
    onAnswer(answer);
    return;
  }
  forgetToken(); // a token that earned a 401 is wrong: don't send it again
  say(
    hadToken
      ? 'The token was refused. Enter it again.'
      : 'This server needs an API token to start or stop streams.',
    'error',
  );
  retryWithToken = () => withToken(call, onAnswer);
  $('token-form').hidden = false;
  $('token-input').focus();
}

/** `showResult(text, kind)` is where the page says what happened. */
export function initTokenForm(showResult) {
  say = showResult;
  const form = $('token-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('token-input');
    storeToken(input.value.trim());
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
