/** Time by productivity level, and the pulse it gives (levels keyed −2…2 as in the `level` rollups). */
import { PRODUCTIVITY_LEVELS, productivityPulse, type ProductivityLevel } from '@sundial/core';
import { seconds } from './range.js';

export type LevelSeconds = Record<'-2' | '-1' | '0' | '1' | '2', number>;

export class LevelTotals {
  private readonly ms = new Map<number, number>();

  add(level: number, ms: number): void {
    this.ms.set(level, (this.ms.get(level) ?? 0) + ms);
  }

  get totalMs(): number {
    let sum = 0;
    for (const ms of this.ms.values()) sum += ms;
    return sum;
  }

  /** Seconds at each level (every level present, 0 when none). */
  seconds(): LevelSeconds {
    const out = { '-2': 0, '-1': 0, '0': 0, '1': 0, '2': 0 };
    for (const level of PRODUCTIVITY_LEVELS)
      out[String(level) as keyof LevelSeconds] = seconds(this.ms.get(level) ?? 0);
    return out;
  }

  pulse(): number | null {
    const bySeconds = this.seconds();
    const input: Partial<Record<ProductivityLevel, number>> = {};
    for (const level of PRODUCTIVITY_LEVELS) input[level] = bySeconds[String(level) as keyof LevelSeconds];
    return productivityPulse(input);
  }
}
