export { uuidv7, isUuid, uuidv7Time } from './ids.js';
export { ROLLUP_SLOT_MS, parseIsoTimestamp, formatIsoTimestamp, rollupSlot } from './time.js';
export { truncateIp } from './ip.js';
export { BoundedCache } from './bounded-cache.js';
export { type TimedEvent, type Period, eventEnd, sortByStart } from './event.js';
export { jsonEqual } from './json-equal.js';
export { type HeartbeatResult, mergeHeartbeat } from './heartbeat.js';
export { flood } from './flood.js';
export { intersectPeriods, unionPeriods, unionNoOverlap, clipToRange, sumDurations } from './periods.js';
export { parseQuery, QueryError } from './query2/parser.js';
export type * from './query2/ast.js';
export {
  type RollupDimension,
  type RollupSource,
  type RollupCell,
  type Range,
  type ActivityRef,
  type Classification,
  type Classifier,
  type ContributionOptions,
  type WindowSegment,
  windowSegments,
  activityOf,
  mergeRanges,
  rollupContributions,
  rollupDelta,
} from './rollup.js';
export {
  type DetailLevel,
  type ActivityKind,
  type ActivityContent,
  type PrivacySettings,
  type CompiledPrivacy,
  DEFAULT_PRIVACY,
  DETAIL_LEVELS,
  compilePrivacy,
} from './privacy.js';
export {
  type IgnoreField,
  type MatchKind,
  type IgnoreRule,
  PRIVACY_LIMITS,
  IGNORE_FIELDS,
  MATCH_KINDS,
  validateIgnoreRules,
} from './privacy-rules.js';
export { type SplitUrl, domainOf, hostOf, normaliseDomain, splitUrl } from './url.js';
export {
  type QueryBucketInfo,
  type QuerySource,
  type QueryLimits,
  type QueryPeriod,
  DEFAULT_QUERY_LIMITS,
  evaluateQuery,
  runQuery,
} from './query2/evaluate.js';
export { type QueryEvent, type QueryValue, isQueryEvent, isEventList } from './query2/values.js';
export { MAX_REGEX_LENGTH, checkRegexSafety } from './regex-safety.js';
export {
  type LocalDate,
  type DayRange,
  type PeriodBucket,
  type PeriodRange,
  type SlotSpan,
  type WeekStart,
  MAX_RANGE_DAYS,
  isValidTimeZone,
  parseLocalDate,
  formatLocalDate,
  localDate,
  zonedMidnight,
  zonedWallClock,
  dayRanges,
  periodRanges,
  slotsOf,
} from './calendar.js';
export { productivityPulse } from './pulse.js';
export {
  type ProductivityLevel,
  type Category,
  PRODUCTIVITY_LEVELS,
  CATEGORY_LIMITS,
  isProductivityLevel,
  categoryPath,
  validateTree,
} from './categories/tree.js';
export {
  type RuleField,
  type RuleSource,
  type CategoryRule,
  type CategoryInput,
  type Categorisation,
  type Categoriser,
  RULE_SOURCES,
  CATEGORY_RULE_LIMITS,
  UNCATEGORISED,
  compareRulePrecedence,
  compileRules,
  validateRules,
} from './categories/rules.js';
export { type DefaultCategoryRule, DEFAULT_CATEGORIES, DEFAULT_RULES } from './categories/defaults.js';
export { UNCATEGORISED_KEY, categoryKey, categoryKeys } from './categories/key.js';
export { isBrowserApp } from './categories/browsers.js';
export {
  type Weekday,
  type AlertComparison,
  type LevelOp,
  type AlertTarget,
  type AlertDimension,
  type AlertSpec,
  type AlertDay,
  WEEKDAYS,
  ALERT_COMPARISONS,
  ALERT_LIMITS,
  validateAlert,
  normaliseAlert,
  weekdayOf,
  alertDay,
  thresholdMet,
  levelKeys,
  categorySubtree,
} from './alerts.js';
export {
  type WorkingHours,
  type TimeSpan,
  type CompiledWorkingHours,
  compileWorkingHours,
  validateWorkingHours,
  withinWorkingHours,
} from './working-hours.js';
