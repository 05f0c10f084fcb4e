/** A bar chart as inline SVG (no chart library): one bar per point, labelled for screen readers. */
export interface Point { label: string; value: number }

export function BarChart({ points, title, format = String, height = 160 }: {
  points: Point[]; title: string; format?: (n: number) => string; height?: number;
}) {
  const width = Math.max(points.length * 18, 240);
  const max = Math.max(1, ...points.map((p) => p.value));
  const bar = width / Math.max(points.length, 1);
  const total = points.reduce((sum, p) => sum + p.value, 0);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height + 20}`} role="img" aria-label={`${title}: ${format(total)}`} preserveAspectRatio="none">
        <title>{title}</title>
        <line x1="0" x2={width} y1={height} y2={height} className="axis" />
        {points.map((p, i) => {
          const h = (p.value / max) * (height - 10);
          return (
            <rect key={p.label} x={i * bar + 2} y={height - h} width={Math.max(bar - 4, 1)} height={h} className="bar">
              <title>{`${p.label}: ${format(p.value)}`}</title>
            </rect>
          );
        })}
        {points.length > 0 && <text x="0" y={height + 16} className="tick">{points[0].label}</text>}
        {points.length > 1 && <text x={width} y={height + 16} textAnchor="end" className="tick">{points[points.length - 1].label}</text>}
      </svg>
      <figcaption>{title}: <strong>{format(total)}</strong></figcaption>
    </figure>
  );
}
