/*
 * Charts as inline SVG for the operators' reports: drawn from numbers, every label escaped, no script,
 * no font or image fetched — a report opened from disk or an S3 link shows them as they are.
 */

const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A coordinate with at most one decimal: the SVG stays small and its text stable. */
const px = (value: number): string => String(Math.round(value * 10) / 10);

const FONT =
  'font-family="-apple-system,\'PingFang SC\',\'Microsoft YaHei\',Arial,sans-serif" font-size="11"';

export interface Bar {
  label: string;
  value: number;
}

/** Vertical bars with their counts above them, e.g. a distribution or accounts per segment. */
export function barChartSvg(title: string, bars: readonly Bar[], options: { width?: number } = {}): string {
  const width = options.width ?? Math.max(320, 70 * bars.length + 40);
  const height = 220;
  const top = 30;
  const bottom = 48;
  const plot = height - top - bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (width - 40) / Math.max(1, bars.length);
  const barWidth = Math.max(4, slot * 0.7);
  const shapes = bars.map((bar, i) => {
    const h = (bar.value / max) * plot;
    const x = 20 + i * slot + (slot - barWidth) / 2;
    const y = top + plot - h;
    const cx = px(x + barWidth / 2);
    return [
      `<rect x="${px(x)}" y="${px(y)}" width="${px(barWidth)}" height="${px(h)}" fill="#1f4e79"><title>${escapeXml(bar.label)}: ${bar.value}</title></rect>`,
      `<text x="${cx}" y="${px(y - 4)}" text-anchor="middle">${bar.value}</text>`,
      `<text x="${cx}" y="${px(top + plot + 16)}" text-anchor="middle">${escapeXml(bar.label)}</text>`,
    ].join('');
  });
  return svg(width, height, title, [
    `<line x1="16" y1="${top + plot}" x2="${width - 16}" y2="${top + plot}" stroke="#888"/>`,
    ...shapes,
  ]);
}

/**
 * The Pareto curve: cumulative share of revenue (y) over the share of accounts taken largest first (x),
 * with the target line (80 %) and the cut where the key accounts end.
 */
export function paretoChartSvg(
  title: string,
  revenues: readonly number[],
  options: { targetShare: number; keyCount: number; targetLabel: string; keyLabel: string },
): string {
  const width = 480;
  const height = 280;
  const left = 44;
  const top = 30;
  const plotW = width - left - 20;
  const plotH = height - top - 40;
  const sorted = [...revenues].sort((a, b) => b - a);
  const total = sorted.reduce((s, v) => s + Math.max(0, v), 0);
  const x = (share: number) => left + share * plotW;
  const y = (share: number) => top + plotH - share * plotH;
  let running = 0;
  const points = [`${px(x(0))},${px(y(0))}`];
  sorted.forEach((value, i) => {
    running += Math.max(0, value);
    points.push(`${px(x((i + 1) / sorted.length))},${px(y(total === 0 ? 0 : running / total))}`);
  });
  const cut = sorted.length === 0 ? 0 : Math.min(1, options.keyCount / sorted.length);
  const target = options.targetShare;
  const axis = [0, 0.2, 0.4, 0.6, 0.8, 1].flatMap((t) => [
    `<text x="${left - 6}" y="${px(y(t) + 4)}" text-anchor="end">${Math.round(t * 100)}%</text>`,
    `<text x="${px(x(t))}" y="${top + plotH + 16}" text-anchor="middle">${Math.round(t * 100)}%</text>`,
  ]);
  return svg(width, height, title, [
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    ...axis,
    `<line x1="${left}" y1="${px(y(target))}" x2="${left + plotW}" y2="${px(y(target))}" stroke="#b45309" stroke-dasharray="5,4"/>`,
    `<text x="${left + plotW - 4}" y="${px(y(target) - 4)}" text-anchor="end" fill="#b45309">${escapeXml(options.targetLabel)}</text>`,
    `<line x1="${px(x(cut))}" y1="${top}" x2="${px(x(cut))}" y2="${top + plotH}" stroke="#2e7d32" stroke-dasharray="2,3"/>`,
    `<text x="${px(x(cut) + 4)}" y="${top + 12}" fill="#2e7d32">${escapeXml(options.keyLabel)}</text>`,
    `<polyline points="${points.join(' ')}" fill="none" stroke="#1f4e79" stroke-width="2"/>`,
  ]);
}

function svg(width: number, height: number, title: string, body: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${height}" viewBox="0 0 ${px(width)} ${height}" role="img" aria-label="${escapeXml(title)}" ${FONT}>`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="8" y="16" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
  ].join('');
}
