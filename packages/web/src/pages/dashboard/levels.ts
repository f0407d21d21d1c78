/**
 * Productivity levels as the dashboard shows them: RescueTime's names and
 * colours, reds (very distracting) through grey (neutral) to blues (very
 * productive). Colours come from CSS classes (`level-n2` … `level-p2`) so
 * the dark theme can adjust them.
 */
import type { Level } from '../../api/types';

export interface LevelInfo {
  readonly level: Level;
  readonly key: '-2' | '-1' | '0' | '1' | '2';
  readonly label: string;
  readonly className: string;
}

/** Very distracting first, as RescueTime's stacked bar reads left to right. */
export const LEVELS: readonly LevelInfo[] = [
  { level: -2, key: '-2', label: 'Very distracting', className: 'level-n2' },
  { level: -1, key: '-1', label: 'Distracting', className: 'level-n1' },
  { level: 0, key: '0', label: 'Neutral', className: 'level-0' },
  { level: 1, key: '1', label: 'Productive', className: 'level-p1' },
  { level: 2, key: '2', label: 'Very productive', className: 'level-p2' },
];

export function levelInfo(level: number): LevelInfo {
  return LEVELS.find((l) => l.level === level) ?? (LEVELS[2] as LevelInfo);
}

export type ByProductivity = Record<LevelInfo['key'], number>;

export function levelTotal(by: ByProductivity): number {
  return LEVELS.reduce((sum, l) => sum + by[l.key], 0);
}
