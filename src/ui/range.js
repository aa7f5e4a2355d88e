// The day's range as a bar: low to high, the LTP marked where it stands between them.

import { el, fmtPrice, isNum } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 110;
const HEIGHT = 10;

export function createRangeBar() {
  const box = el('div', 'range');
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', WIDTH);
  svg.setAttribute('height', HEIGHT);
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('aria-hidden', 'true');
  const track = document.createElementNS(SVG, 'rect');
  track.setAttribute('class', 'range-track');
  track.setAttribute('x', '0');
  track.setAttribute('y', String(HEIGHT / 2 - 2));
  track.setAttribute('width', String(WIDTH));
  track.setAttribute('height', '4');
  track.setAttribute('rx', '2');
  const fill = document.createElementNS(SVG, 'rect');
  fill.setAttribute('class', 'range-fill');
  fill.setAttribute('x', '0');
  fill.setAttribute('y', String(HEIGHT / 2 - 2));
  fill.setAttribute('height', '4');
  fill.setAttribute('rx', '2');
  const mark = document.createElementNS(SVG, 'rect');
  mark.setAttribute('class', 'range-mark');
  mark.setAttribute('y', '0');
  mark.setAttribute('width', '3');
  mark.setAttribute('height', String(HEIGHT));
  svg.append(track, fill, mark);
  const ends = el('div', 'range-ends');
  const low = el('span', 'range-low');
  const high = el('span', 'range-high');
  ends.append(low, high);
  const spoken = el('span', 'visually-hidden');
  box.append(svg, ends, spoken);
  box.hidden = true;
  return box;
}

/** Draws the bar; hidden until both ends and the LTP are known. */
export function drawRangeBar(box, low, high, ltp) {
  if (!isNum(low) || !isNum(high) || !isNum(ltp) || high < low) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const [svg, ends, spoken] = box.children;
  const [, fill, mark] = svg.children;
  const at = high === low ? 0.5 : Math.min(1, Math.max(0, (ltp - low) / (high - low)));
  const x = at * (WIDTH - 3);
  fill.setAttribute('width', (x + 1.5).toFixed(1));
  mark.setAttribute('x', x.toFixed(1));
  ends.children[0].textContent = fmtPrice(low);
  ends.children[1].textContent = fmtPrice(high);
  spoken.textContent = `day range ${fmtPrice(low)} to ${fmtPrice(high)}, at ${Math.round(at * 100)}%`;
  box.title = `low ${fmtPrice(low)} · high ${fmtPrice(high)} · ltp ${fmtPrice(ltp)}`;
}
