// The last minutes of an instrument's LTP: a bounded ring buffer of one value per time bucket, and
// the small SVG polyline drawn from it.

const SVG = 'http://www.w3.org/2000/svg';
export const SPARK_WIDTH = 80;
export const SPARK_HEIGHT = 22;
const PAD = 2;

/** One value per `bucketMs` (the bucket's last), the newest `capacity` buckets kept. */
export class PriceHistory {
  constructor(capacity = 150, bucketMs = 2000) {
    this.capacity = capacity;
    this.bucketMs = bucketMs;
    this.values = new Array(capacity);
    this.start = 0;
    this.size = 0;
    this.lastBucket = null;
  }

  /** Adds a value at `atMs`; true when what the line shows changed. */
  push(atMs, value) {
    const bucket = Math.floor(atMs / this.bucketMs);
    const newest = (this.start + this.size - 1) % this.capacity;
    if (this.size > 0 && bucket === this.lastBucket) {
      if (this.values[newest] === value) return false;
      this.values[newest] = value;
      return true;
    }
    this.lastBucket = bucket;
    if (this.size < this.capacity) {
      this.values[(this.start + this.size) % this.capacity] = value;
      this.size += 1;
    } else {
      this.values[this.start] = value;
      this.start = (this.start + 1) % this.capacity;
    }
    return true;
  }

  /** Oldest first. */
  toArray() {
    const out = new Array(this.size);
    for (let i = 0; i < this.size; i += 1) out[i] = this.values[(this.start + i) % this.capacity];
    return out;
  }

  get minutes() {
    return Math.round((this.capacity * this.bucketMs) / 60000);
  }
}

export function createSparkline() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', SPARK_WIDTH);
  svg.setAttribute('height', SPARK_HEIGHT);
  svg.setAttribute('viewBox', `0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`);
  svg.setAttribute('role', 'img');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', 'currentColor');
  line.setAttribute('stroke-width', '1.5');
  line.setAttribute('stroke-linejoin', 'round');
  line.setAttribute('stroke-linecap', 'round');
  const dot = document.createElementNS(SVG, 'circle');
  dot.setAttribute('r', '2');
  dot.setAttribute('fill', 'currentColor');
  svg.append(line, dot);
  return svg;
}

/** Redraws `svg` (from createSparkline) for `values`, oldest first, and labels it. */
export function drawSparkline(svg, values, minutes) {
  const [line, dot] = svg.children;
  const count = values.length;
  svg.dataset.points = String(count);
  if (count === 0) {
    line.setAttribute('points', '');
    dot.setAttribute('visibility', 'hidden');
    svg.setAttribute('aria-label', 'no trend yet');
    return;
  }
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  const span = high - low;
  const step = count > 1 ? (SPARK_WIDTH - 2 * PAD) / (count - 1) : 0;
  const y = (value) =>
    span === 0
      ? SPARK_HEIGHT / 2
      : PAD + (SPARK_HEIGHT - 2 * PAD) * (1 - (value - low) / span);
  const points = new Array(count);
  for (let i = 0; i < count; i += 1) {
    const x = count > 1 ? PAD + i * step : SPARK_WIDTH - PAD;
    points[i] = `${x.toFixed(1)},${y(values[i]).toFixed(1)}`;
  }
  line.setAttribute('points', points.join(' '));
  const [lastX, lastY] = points[count - 1].split(',');
  dot.setAttribute('cx', lastX);
  dot.setAttribute('cy', lastY);
  dot.setAttribute('visibility', 'visible');
  const first = values[0];
  const last = values[count - 1];
  const direction = last > first ? 'up' : last < first ? 'down' : 'flat';
  svg.setAttribute('class', `spark spark-${direction}`);
  svg.setAttribute('aria-label', `trend over the last ${minutes} min: ${direction}`);
}
