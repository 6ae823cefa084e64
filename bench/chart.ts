/**
 * The requests-per-second chart of bench/results.md, drawn as plain SVG (no chart dependency): one
 * panel per size, consent requests per one-second bin since each approach's first consent request,
 * against the service's limit line. Values above the panel's scale are clipped and labelled.
 */
export interface Series {
  name: string;
  color: string;
  /** Requests in each one-second bin, from the first request on. */
  perSecond: number[];
  dashed?: boolean;
}

export interface Panel {
  title: string;
  limit: number;
  series: Series[];
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Bins request start times (ms since epoch) into per-second counts from the first one. */
export function perSecond(timesMs: number[]): number[] {
  if (timesMs.length === 0) return [];
  const first = Math.min(...timesMs);
  const bins: number[] = [];
  for (const t of timesMs) {
    const i = Math.floor((t - first) / 1000);
    while (bins.length <= i) bins.push(0);
    bins[i]++;
  }
  return bins;
}

function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function renderChart(panels: Panel[], title: string): string {
  const width = 960;
  const panelHeight = 250;
  const margin = { left: 60, right: 200, top: 40, bottom: 40 };
  const height = 30 + panels.length * (panelHeight + margin.top + margin.bottom);
  const plotW = width - margin.left - margin.right;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);

  panels.forEach((panel, p) => {
    const top = 30 + p * (panelHeight + margin.top + margin.bottom) + margin.top;
    const seconds = Math.max(2, ...panel.series.map((s) => s.perSecond.length));
    const highest = Math.max(0, ...panel.series.flatMap((s) => s.perSecond));
    // Keep the limit line readable: a burst far above it is clipped, not allowed to flatten the rest.
    const yMax = Math.max(panel.limit * 1.6, Math.min(highest, panel.limit * 2.5));
    const x = (sec: number) => margin.left + (sec / seconds) * plotW;
    const y = (v: number) => top + panelHeight - (Math.min(v, yMax) / yMax) * panelHeight;
    out.push(`<text x="${margin.left}" y="${top - 12}" font-size="13" font-weight="bold">${esc(panel.title)}</text>`);
    out.push(`<rect x="${margin.left}" y="${top}" width="${plotW}" height="${panelHeight}" fill="none" stroke="#999"/>`);
    const yStep = niceStep(yMax, 5);
    for (let v = 0; v <= yMax; v += yStep) {
      out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
      out.push(`<text x="${margin.left - 6}" y="${y(v) + 4}" text-anchor="end">${+v.toFixed(6)}</text>`);
    }
    const xStep = Math.max(1, niceStep(seconds, 10));
    for (let s = 0; s <= seconds; s += xStep) {
      out.push(`<line x1="${x(s)}" x2="${x(s)}" y1="${top + panelHeight}" y2="${top + panelHeight + 4}" stroke="#666"/>`);
      out.push(`<text x="${x(s)}" y="${top + panelHeight + 16}" text-anchor="middle">${s}</text>`);
    }
    out.push(
      `<text x="${margin.left + plotW / 2}" y="${top + panelHeight + 32}" text-anchor="middle">seconds since the approach's first consent request</text>`,
    );
    out.push(`<text transform="translate(${margin.left - 42},${top + panelHeight / 2}) rotate(-90)" text-anchor="middle">requests / s</text>`);
    // The service's limit.
    out.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(panel.limit)}" y2="${y(panel.limit)}" stroke="#d00" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    );
    out.push(`<text x="${margin.left + plotW - 4}" y="${y(panel.limit) - 5}" text-anchor="end" fill="#d00">limit ${panel.limit}/s</text>`);
    panel.series.forEach((s, i) => {
      if (s.perSecond.length === 0) return;
      // A step line: each bin is flat over its second.
      const pts: string[] = [];
      s.perSecond.forEach((v, sec) => pts.push(`${x(sec).toFixed(1)},${y(v).toFixed(1)}`, `${x(sec + 1).toFixed(1)},${y(v).toFixed(1)}`));
      out.push(`<polyline points="${pts.join(" ")}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ` stroke-dasharray="3 3"` : ""}/>`);
      s.perSecond.forEach((v, sec) => {
        if (v > yMax) {
          out.push(`<text x="${x(sec + 0.5) + 4}" y="${top + 12 + i * 14}" fill="${s.color}">↑ ${v}</text>`);
        }
      });
      const ly = top + 10 + i * 18;
      out.push(
        `<line x1="${margin.left + plotW + 12}" x2="${margin.left + plotW + 32}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ` stroke-dasharray="3 3"` : ""}/>`,
      );
      out.push(`<text x="${margin.left + plotW + 38}" y="${ly + 4}">${esc(s.name)}</text>`);
    });
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
