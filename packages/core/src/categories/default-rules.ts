/**
 * The default categorisation rules, as data, by the category they file
 * activity under (the tree and the reasoning behind the choices are in
 * defaults.ts).
 */

import type { MatchKind } from '../privacy-rules.js';
import type { CategoryInput, CategoryRule, RuleField } from './rules.js';
import { LEISURE_RULE_ROWS } from './default-rules-leisure.js';
import { WORK_RULE_ROWS } from './default-rules-work.js';

export interface DefaultCategoryRule extends CategoryRule {
  readonly source: 'default';
  /** An activity this rule is meant to decide. */
  readonly example: CategoryInput;
}

export type RuleRow = readonly [field: RuleField, match: MatchKind, pattern: string, example: CategoryInput];

/** Rules by the id of the category they file activity under. */
const RULE_ROWS: Readonly<Record<string, readonly RuleRow[]>> = { ...WORK_RULE_ROWS, ...LEISURE_RULE_ROWS };

/**
 * The default rules. Ids are derived from the rule itself
 * (`default:domain:exact:github.com`), so they stay the same however the
 * list is reordered, and two identical rules cannot both exist.
 */
export const DEFAULT_RULES: readonly DefaultCategoryRule[] = Object.freeze(
  Object.entries(RULE_ROWS).flatMap(([categoryId, rows]) =>
    rows.map(([field, match, pattern, example]) =>
      Object.freeze({
        id: `default:${field}:${match}:${pattern}`,
        field,
        match,
        pattern,
        categoryId,
        source: 'default' as const,
        example: Object.freeze(example),
      }),
    ),
  ),
);
