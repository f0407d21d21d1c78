/**
 * The categories and rules a new person starts with, so the first day of
 * tracking already reads as "Software Development 5 h, Social Networking
 * 40 min" rather than a list of app names. Written for Sundial as data; the
 * tree's shape follows RescueTime's well-known top-level categories.
 *
 * Choices a reader may question:
 * - Browsers are not categorised by app: the site decides, and a browser
 *   window without a site stays uncategorised rather than "Utilities".
 * - App names are given as the watchers report them: the macOS application
 *   name ("Visual Studio Code", "iTerm2"), the X11 window class ("code",
 *   "Gnome-terminal", "jetbrains-idea") and the Windows executable
 *   ("Code.exe"). Exact app rules ignore case, so "code" covers "Code".
 * - Sites that need a path to tell their parts apart (Google Docs vs Sheets,
 *   Outlook mail vs calendar, Amazon vs Prime Video) use a domain glob for
 *   the site and url globs for the parts: an exact domain rule would beat
 *   the url globs (exact comes first in rules.ts's precedence).
 * - Forges (github.com, gitlab.com…) are Version control: browsing pull
 *   requests and issues is development work. Developer documentation is
 *   Documentation; general Q&A, encyclopaedias and courses are Reference.
 *
 * The rules are in default-rules.ts. Every rule carries an example — an
 * activity it is meant to match — and the tests check each example is
 * decided by its own rule through the whole default set, so a new rule
 * cannot silently shadow another.
 */

import type { Category, ProductivityLevel } from './tree.js';

export { DEFAULT_RULES, type DefaultCategoryRule } from './default-rules.js';

type CategoryRow = readonly [
  id: string,
  parentId: string | null,
  name: string,
  level: ProductivityLevel,
  color: string,
];

const CATEGORY_ROWS: readonly CategoryRow[] = [
  ['software-development', null, 'Software Development', 2, '#1f6feb'],
  ['editing-ides', 'software-development', 'Editing & IDEs', 2, '#3b82f6'],
  ['terminals', 'software-development', 'Terminals', 2, '#0ea5e9'],
  ['version-control', 'software-development', 'Version control', 2, '#6366f1'],
  ['documentation', 'software-development', 'Documentation', 2, '#60a5fa'],
  ['communication', null, 'Communication & Scheduling', 0, '#14b8a6'],
  ['email', 'communication', 'Email', 0, '#0d9488'],
  ['chat', 'communication', 'Chat', 0, '#2dd4bf'],
  ['meetings', 'communication', 'Meetings', 1, '#0f766e'],
  ['calendar', 'communication', 'Calendar', 1, '#5eead4'],
  ['reference', null, 'Reference & Learning', 1, '#22c55e'],
  ['design', null, 'Design & Composition', 2, '#a855f7'],
  ['business', null, 'Business', 1, '#f59e0b'],
  ['office', 'business', 'Office', 1, '#fbbf24'],
  ['spreadsheets', 'business', 'Spreadsheets', 1, '#d97706'],
  ['project-management', 'business', 'Project management', 1, '#b45309'],
  ['news', null, 'News & Opinion', -2, '#f97316'],
  ['social', null, 'Social Networking', -2, '#ef4444'],
  ['entertainment', null, 'Entertainment', -2, '#dc2626'],
  ['video', 'entertainment', 'Video', -2, '#b91c1c'],
  ['music', 'entertainment', 'Music', -1, '#f43f5e'],
  ['games', 'entertainment', 'Games', -2, '#be123c'],
  ['shopping', null, 'Shopping', -2, '#ec4899'],
  ['utilities', null, 'Utilities', 0, '#64748b'],
];

export const DEFAULT_CATEGORIES: readonly Category[] = Object.freeze(
  CATEGORY_ROWS.map(([id, parentId, name, level, color]) => Object.freeze({ id, parentId, name, level, color })),
);
