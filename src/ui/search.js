// Instrument search for the start form's comma list: the word being typed is looked up in
// GET /api/v1/instruments?q= (debounced), and the matches are offered in a small listbox
// (ARIA combobox: arrows move, Enter picks, Escape closes). A server without the endpoint offers
// nothing, and the field stays a plain text field.

import { request } from './api.js';
import { el } from './format.js';
import { formText, rememberInstrument } from './names.js';

const DEBOUNCE_MS = 200;
const LIMIT = 8;
// After a 404 (no such endpoint on this server) ask again only this much later: a rolling
// upgrade may bring it.
const ABSENT_RETRY_MS = 5 * 60 * 1000;

export function initInstrumentSearch(input, listbox) {
  let timer = 0;
  let controller = null;
  let options = [];
  let active = -1;
  let absentUntil = 0;

  const close = () => {
    listbox.hidden = true;
    listbox.replaceChildren();
    options = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };

  /** The word under the caret: from the last separator before it to the next one. */
  const currentWord = () => {
    const text = input.value;
    const caret = input.selectionStart ?? text.length;
    const start = text.slice(0, caret).search(/[^\s,]*$/);
    const rest = text.slice(caret).search(/[\s,]|$/);
    return { start, end: caret + rest, word: text.slice(start, caret + rest) };
  };

  const setActive = (index) => {
    active = index;
    options.forEach((li, i) => li.setAttribute('aria-selected', String(i === index)));
    if (index >= 0) {
      input.setAttribute('aria-activedescendant', options[index].id);
      options[index].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  };

  const pick = (instrument) => {
    rememberInstrument(instrument);
    const { start, end } = currentWord();
    const text = formText(instrument.segment, instrument.securityId);
    const before = input.value.slice(0, start);
    const after = input.value.slice(end).replace(/^[\s,]*/, '');
    input.value = `${before}${text}, ${after}`;
    const caret = before.length + text.length + 2;
    input.setSelectionRange(caret, caret);
    close();
    input.focus();
  };

  const show = (instruments) => {
    if (instruments.length === 0 || document.activeElement !== input) {
      close();
      return;
    }
    options = instruments.map((instrument, i) => {
      const li = el('li', 'option');
      li.id = `${listbox.id}-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.id = instrument.id;
      li.append(
        el('span', 'option-symbol', instrument.symbol ?? instrument.id),
        el('span', 'option-name', instrument.name ?? ''),
        el('span', 'option-id', instrument.id),
      );
      // mousedown would blur the input (and close the list) before the click lands.
      li.addEventListener('mousedown', (event) => event.preventDefault());
      li.addEventListener('click', () => pick(instrument));
      return li;
    });
    listbox.replaceChildren(...options);
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    setActive(-1);
  };

  const search = async () => {
    const { word } = currentWord();
    controller?.abort();
    if (word.length < 1 || Date.now() < absentUntil) {
      close();
      return;
    }
    controller = new AbortController();
    const query = `?q=${encodeURIComponent(word)}&limit=${LIMIT}`;
    const answer = await request('GET', `/instruments${query}`, undefined, {
      signal: controller.signal,
    });
    if (answer.aborted) return;
    if (answer.status === 404) absentUntil = Date.now() + ABSENT_RETRY_MS;
    const found = answer.ok && Array.isArray(answer.data?.instruments);
    show(found ? answer.data.instruments.filter((i) => i && i.id) : []);
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (event) => {
    const open = !listbox.hidden && options.length > 0;
    if (event.key === 'ArrowDown' && open) {
      event.preventDefault();
      setActive((active + 1) % options.length);
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      setActive(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === 'Enter' && open && active >= 0) {
      event.preventDefault(); // a pick, not a submit
      options[active].click();
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', close);
}
