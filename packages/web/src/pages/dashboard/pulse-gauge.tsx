/**
 * The productivity pulse as a half-circle gauge, 0 (all very distracting)
 * to 100 (all very productive); the arc takes the colour of the level the
 * pulse is closest to. No time means no pulse: the gauge says so.
 */
import { levelInfo } from './levels';

const R = 80;
const CX = 100;
const CY = 95;

/** A point on the gauge's arc for a share 0…1 (left to right over the top). */
function point(share: number): [number, number] {
  const angle = Math.PI * (1 - share);
  return [CX + R * Math.cos(angle), CY - R * Math.sin(angle)];
}

function arc(from: number, to: number): string {
  const [x1, y1] = point(from);
  const [x2, y2] = point(to);
  return `M ${x1.toFixed(2)} ${y1.toFixed(2)} A ${R} ${R} 0 0 1 ${x2.toFixed(2)} ${y2.toFixed(2)}`;
}

export function PulseGauge({ pulse }: { readonly pulse: number | null }) {
  const label = pulse === null ? 'Productivity pulse: no time recorded' : `Productivity pulse ${pulse} out of 100`;
  // 0–100 maps onto the five levels: 0 → −2, 50 → 0, 100 → +2.
  const level = pulse === null ? 0 : Math.round((pulse / 100) * 4) - 2;
  return (
    <figure className="pulse" aria-label={label} role="img">
      <svg viewBox="0 0 200 116" className="pulse-svg" aria-hidden="true">
        <path d={arc(0, 1)} className="pulse-track" />
        {pulse !== null && pulse > 0 && (
          <path d={arc(0, pulse / 100)} className={`pulse-value ${levelInfo(level).className}`} />
        )}
        <text x={CX} y={CY - 12} className="pulse-number" textAnchor="middle">
          {pulse ?? '–'}
        </text>
        <text x={CX - R} y={CY + 18} className="pulse-end" textAnchor="middle">
          0
        </text>
        <text x={CX + R} y={CY + 18} className="pulse-end" textAnchor="middle">
          100
        </text>
      </svg>
      <figcaption className="muted small" data-testid="pulse">
        {pulse === null ? 'No time recorded' : `Pulse ${pulse}`}
      </figcaption>
    </figure>
  );
}
