/**
 * Import: a Sundial export (ExportDocument) into an empty account
 * (docs/export.md). The whole document is checked first — a refusal names
 * the path of the problem and writes nothing — and then written through the
 * services that own each part (sources, categories, ingest, privacy and the
 * ActivityWatch settings), so encryption, the names dictionary and rollups
 * come out exactly as if the data had arrived live.
 *
 * Ingest applies the person's privacy settings to what it stores. An export
 * holds events as they were stored, under the settings of their day, so each
 * event is written under temporary settings that reproduce it exactly (no
 * ignore rules, not paused, at the detail level it was stored at; the check
 * runs that same filter first and refuses what would not come out equal),
 * and the exported settings are stored last.
 */
import { randomBytes } from 'node:crypto';
import type { ExportDocument, ExportEvent, ImportResponse } from '@sundial/contracts';
import {
  compilePrivacy,
  DEFAULT_CATEGORIES,
  DEFAULT_RULES,
  jsonEqual,
  parseIsoTimestamp,
  validateIgnoreRules,
  validateRules,
  validateTree,
  validateWorkingHours,
  type Category,
  type CategoryRule,
  type CompiledPrivacy,
  type DetailLevel,
} from '@sundial/core';
import type { Store } from '@sundial/store';
import { AppError, invalidInput } from '../errors.js';
import type { Activity, Bucket } from './activity/index.js';
import { AW_SETTING_KEY_LIMIT, AW_SETTING_VALUE_LIMIT_BYTES } from './activity/aw-settings.js';
import type { Content } from './activity/content.js';
import { filterContent, parseEvent, type EventInput } from './activity/ingest.js';
import type { CategoriesService } from './categories.js';

/** Events per ingest batch (one transaction each). */
const IMPORT_BATCH = 5000;
const DETAILS: readonly DetailLevel[] = ['full', 'domain', 'app'];
const LONE_SURROGATE = /\p{Cs}/u;
const DEFAULT_IDS: ReadonlySet<string> = new Set(DEFAULT_CATEGORIES.map((c) => c.id));

export interface ImportDeps {
  readonly store: Pick<Store, 'events'>;
  readonly activity: Pick<Activity, 'sources' | 'ingest' | 'privacy' | 'awSettings'>;
  readonly categories: Pick<
    CategoriesService,
    'tree' | 'rules' | 'createCategory' | 'updateCategory' | 'deleteCategory' | 'createRule'
  >;
  readonly now?: () => number;
}

export interface Importer {
  /** 400 naming the path of the first problem; 409 when the account is not empty. */
  import(userId: string, document: ExportDocument): Promise<ImportResponse>;
}

/** Settings that store an event as given, at one detail level. */
const OPEN = (detail: DetailLevel) => compilePrivacy({ detail, ignore: [], paused: false, retentionDays: null });

/** A site's domain as a URL whose domain it is (domainOf gives it back; the check below makes sure). */
const siteUrl = (domain: string) => `https://${domain}/`;

/**
 * What a client would send to have ingest store this event's fields, and
 * the detail level that stores exactly those: a web event without its URL
 * was stored at `domain` detail (or `app`, without a domain either), a
 * window event with a domain but no URL at `domain`.
 */
export function eventInput(e: ExportEvent, start: number, end: number): { detail: DetailLevel; input: EventInput } {
  const timing = { id: e.id, start: e.start, duration: (end - start) / 1000 };
  const given = (fields: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const extra = e.extra ?? {};
  switch (e.kind) {
    case 'away':
      return { detail: 'full', input: { ...timing, data: { status: e.away === true ? 'afk' : 'not-afk' } } };
    case 'other':
      return { detail: 'full', input: { ...timing, data: { ...extra } } };
    case 'window':
      if (e.url === undefined && e.domain !== undefined) {
        return {
          detail: 'domain',
          input: { ...timing, data: { ...extra, ...given({ app: e.app, url: siteUrl(e.domain) }) } },
        };
      }
      return {
        detail: 'full',
        input: { ...timing, data: { ...extra, ...given({ app: e.app, title: e.title, url: e.url }) } },
      };
    case 'web':
      if (e.url !== undefined)
        return { detail: 'full', input: { ...timing, data: { ...extra, ...given({ url: e.url, title: e.title }) } } };
      if (e.domain !== undefined)
        return { detail: 'domain', input: { ...timing, data: { ...extra, url: siteUrl(e.domain) } } };
      return { detail: 'app', input: { ...timing, data: { ...extra, url: 'about:blank' } } };
  }
}

/** parseEvent names fields as a client sends them (`data.app`, `duration`); say them as the document has them. */
function documentPath(where: string, message: string): string {
  if (!message.startsWith(`${where}.`)) return message;
  const [field = '', ...words] = message.slice(where.length + 1).split(': ');
  const said = words.join(': ');
  if (field === 'duration') return `${where}.end: the duration ${said}`;
  if (field === 'data') return `${where}.extra: ${said}`;
  if (!field.startsWith('data.')) return message;
  const name = field.slice('data.'.length);
  const named = ['app', 'title', 'url'].includes(name.split('.')[0] ?? '');
  return `${where}.${named ? name : `extra.${name}`}: ${said}`;
}

/** Checks one event whole: times, id, content, and that ingest would store exactly its fields. */
function checkEvent(where: string, e: ExportEvent, at: number, open: Record<DetailLevel, CompiledPrivacy>) {
  const start = parseIsoTimestamp(e.start);
  const end = parseIsoTimestamp(e.end);
  if (start === null) throw invalidInput(`${where}.start: is not an ISO 8601 date-time`);
  if (end === null) throw invalidInput(`${where}.end: is not an ISO 8601 date-time`);
  if (end < start) throw invalidInput(`${where}.end: is before start`);
  const { detail, input } = eventInput(e, start, end);
  let stored: Content | null;
  try {
    stored = filterContent(open[detail], e.kind, parseEvent(where, e.kind, input, at, true).content);
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, documentPath(where, error.message));
    throw error;
  }
  const wanted = { app: e.app, title: e.title, url: e.url, domain: e.domain, away: e.away, extra: e.extra };
  if (wanted.extra !== undefined && Object.keys(wanted.extra).length === 0) wanted.extra = undefined;
  if (!stored || !jsonEqual(stored, wanted)) {
    throw invalidInput(`${where}: Sundial would not store these fields as given (they match no detail level)`);
  }
  return { start, end, detail };
}

function checkText(path: string, value: string): void {
  if (LONE_SURROGATE.test(value)) throw invalidInput(`${path}: is not well-formed Unicode`);
}

/** The default rules that apply to this tree (their category is in it), as the categories service counts them. */
function activeDefaults(tree: readonly Category[]): CategoryRule[] {
  const ids = new Set(tree.map((c) => c.id));
  return DEFAULT_RULES.filter((r) => r.categoryId === null || ids.has(r.categoryId)).map(
    ({ id, field, match, pattern, categoryId, source }) => ({ id, field, match, pattern, categoryId, source }),
  );
}

/** The tree parents first (by depth), keeping the document's order within a depth. */
function parentsFirst(tree: readonly Category[]): Category[] {
  const byId = new Map(tree.map((c) => [c.id, c]));
  const depth = (c: Category): number => {
    let d = 0;
    for (let p = c.parentId; p !== null && d <= tree.length; p = byId.get(p)?.parentId ?? null) d += 1;
    return d;
  };
  return tree
    .map((c, i) => ({ c, i, d: depth(c) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map(({ c }) => c);
}

/** Everything the writes need, found while checking. */
interface Plan {
  readonly tree: readonly Category[] | null;
  /** `detail \0 device` → indices of the events to write at that detail on that device. */
  readonly groups: ReadonlyMap<string, number[]>;
  readonly times: Float64Array;
}

/** The whole document, checked before anything is written. */
function check(doc: ExportDocument, at: number): Plan {
  const devices = new Set<string>();
  doc.devices.forEach((d, i) => {
    if (devices.has(d.id)) throw invalidInput(`devices[${i}].id: the same id as an earlier device`);
    checkText(`devices[${i}].name`, d.name);
    devices.add(d.id);
  });
  const buckets = new Map<string, ExportDocument['buckets'][number]>();
  doc.buckets.forEach((b, i) => {
    if (buckets.has(b.key)) throw invalidInput(`buckets[${i}].key: the same key as an earlier bucket`);
    if (b.key.includes('/')) throw invalidInput(`buckets[${i}].key: must not contain '/'`);
    checkText(`buckets[${i}].key`, b.key);
    checkText(`buckets[${i}].hostname`, b.hostname);
    if (!devices.has(b.device)) throw invalidInput(`buckets[${i}].device: no device in devices has this id`);
    buckets.set(b.key, b);
  });

  const problem = validateIgnoreRules(doc.settings.privacy.ignore);
  if (problem !== null) throw invalidInput(`settings.privacy.${problem}`);
  const hours = doc.settings.privacy.workingHours ?? null;
  const hoursProblem = hours === null ? null : validateWorkingHours(hours);
  if (hoursProblem !== null) throw invalidInput(`settings.privacy.${hoursProblem}`);
  for (const [key, value] of Object.entries(doc.settings.activitywatch)) {
    const path = `settings.activitywatch[${JSON.stringify(key)}]`;
    if (key.length === 0 || key.length > AW_SETTING_KEY_LIMIT) {
      throw invalidInput(`${path}: keys must be 1 to ${AW_SETTING_KEY_LIMIT} characters`);
    }
    checkText(path, key);
    if (Buffer.byteLength(JSON.stringify([key, value])) > AW_SETTING_VALUE_LIMIT_BYTES) {
      throw invalidInput(`${path}: must be at most ${AW_SETTING_VALUE_LIMIT_BYTES} bytes of JSON`);
    }
  }

  // A default tree is not imported: the account keeps (this version's) defaults.
  const tree = doc.categories.customised
    ? doc.categories.tree.map((c) => ({ ...c, level: c.level as Category['level'] }))
    : null;
  const treeProblem = tree === null ? null : validateTree(tree);
  if (treeProblem !== null) throw invalidInput(treeProblem.replace(/^categories\[/, 'categories.tree['));
  const target = tree ?? DEFAULT_CATEGORIES;
  const rules: CategoryRule[] = doc.rules.map((r) => ({
    id: r.id,
    field: r.field,
    match: r.match,
    pattern: r.pattern,
    categoryId: r.categoryId,
    ...(r.level === null ? {} : { level: r.level as NonNullable<CategoryRule['level']> }),
    source: 'person',
  }));
  const rulesProblem = validateRules([...rules, ...activeDefaults(target)], target);
  if (rulesProblem !== null) throw invalidInput(rulesProblem);

  const open = { full: OPEN('full'), domain: OPEN('domain'), app: OPEN('app') };
  const groups = new Map<string, number[]>();
  const times = new Float64Array(doc.events.length * 2);
  const ids = new Set<string>();
  doc.events.forEach((e, i) => {
    const where = `events[${i}]`;
    const bucket = buckets.get(e.bucket);
    if (!bucket) throw invalidInput(`${where}.bucket: no bucket in buckets has this key`);
    if (bucket.kind !== e.kind) throw invalidInput(`${where}.kind: its bucket holds ${bucket.kind} events`);
    if (bucket.device !== e.device) throw invalidInput(`${where}.device: its bucket belongs to another device`);
    const { start, end, detail } = checkEvent(where, e, at, open);
    const id = e.id.toLowerCase();
    if (ids.has(id)) throw invalidInput(`${where}.id: the same id as an earlier event`);
    ids.add(id);
    times[2 * i] = start;
    times[2 * i + 1] = end;
    const group = `${detail}\u0000${e.device}`;
    const list = groups.get(group);
    if (list) list.push(i);
    else groups.set(group, [i]);
  });
  return { tree, groups, times };
}

export function importer(deps: ImportDeps): Importer {
  const now = deps.now ?? Date.now;
  const { activity, categories } = deps;
  /** People with an import under way in this process: a second one at once would find the account empty too. */
  const running = new Set<string>();

  /** 409 unless the account is empty, and unless every existing bucket the document names can take its events. */
  async function checkEmpty(userId: string, doc: ExportDocument): Promise<void> {
    const refuse = (what: string) =>
      new AppError('conflict', `This account already has ${what}: import only into an empty account`);
    if ((await deps.store.events.page(userId, null, 1)).length > 0) throw refuse('activity');
    if ((await categories.tree(userId)).customised) throw refuse('its own categories');
    if ((await categories.rules(userId, false)).length > 0) throw refuse('its own rules');
    for (const [i, b] of doc.buckets.entries()) {
      const existing = await activity.sources.bucket(userId, b.key);
      if (existing && (existing.deviceId !== b.device || existing.kind !== b.kind)) {
        throw new AppError('conflict', `buckets[${i}].key: this account has a bucket with this key for other events`);
      }
    }
  }

  /**
   * The exported tree through the categories service, one valid tree after
   * every step: kept default categories move to the top level under
   * temporary names, the other defaults are deleted leaves first, the
   * person's own are created at the top level (new ids), and then every
   * category takes its parent and name, parents first. Answers old → new ids.
   */
  async function rebuildTree(userId: string, tree: readonly Category[]): Promise<Map<string, string>> {
    const names = new Set(tree.map((c) => c.name.trim().toLowerCase()));
    const token = randomBytes(6).toString('hex');
    let n = 0;
    const temporary = () => {
      let name: string;
      do name = `import-${token}-${n++}`;
      while (names.has(name));
      return name;
    };
    const ids = new Map<string, string>();
    for (const c of tree.filter((c) => DEFAULT_IDS.has(c.id))) {
      await categories.updateCategory(userId, c.id, {
        parentId: null,
        name: temporary(),
        level: c.level,
        color: c.color,
      });
      ids.set(c.id, c.id);
    }
    let current = (await categories.tree(userId)).categories;
    for (;;) {
      const leaf = current.find((c) => !ids.has(c.id) && !current.some((x) => x.parentId === c.id));
      if (!leaf) break;
      await categories.deleteCategory(userId, leaf.id);
      current = current.filter((c) => c.id !== leaf.id);
    }
    for (const c of tree.filter((c) => !DEFAULT_IDS.has(c.id))) {
      const created = await categories.createCategory(userId, {
        parentId: null,
        name: temporary(),
        level: c.level,
        color: c.color,
      });
      ids.set(c.id, created.id);
    }
    for (const c of parentsFirst(tree)) {
      const parentId = c.parentId === null ? null : (ids.get(c.parentId) ?? null);
      await categories.updateCategory(userId, ids.get(c.id) ?? c.id, {
        parentId,
        name: c.name,
        level: c.level,
        color: c.color,
      });
    }
    return ids;
  }

  async function writeEvents(userId: string, doc: ExportDocument, plan: Plan, buckets: ReadonlyMap<string, Bucket>) {
    let stored = 0;
    for (const detail of DETAILS) {
      const groups = [...plan.groups].filter(([key]) => key.startsWith(`${detail}\u0000`));
      if (groups.length === 0) continue;
      await activity.privacy.put(userId, { detail, ignore: [], paused: false, retentionDays: null });
      for (const [key, indices] of groups) {
        const deviceId = key.slice(detail.length + 1);
        for (let from = 0; from < indices.length; from += IMPORT_BATCH) {
          const items = indices.slice(from, from + IMPORT_BATCH).map((i) => {
            const e = doc.events[i] as ExportEvent;
            const { input } = eventInput(e, plan.times[2 * i] ?? 0, plan.times[2 * i + 1] ?? 0);
            return { bucket: buckets.get(e.bucket) as Bucket, event: input };
          });
          stored += (await activity.ingest.batch(userId, deviceId, items, true)).accepted;
        }
      }
    }
    return stored;
  }

  async function write(userId: string, doc: ExportDocument, plan: Plan): Promise<ImportResponse> {
    const { sources } = activity;
    for (const d of doc.devices) await sources.ensureDevice(userId, d.id, d.name, d.platform);
    const buckets = new Map<string, Bucket>();
    for (const b of doc.buckets) {
      const fields = { type: b.type, client: b.client, hostname: b.hostname, data: b.data };
      const bucket =
        (await sources.createBucket(userId, b.device, b.key, b.kind, fields)) ?? (await sources.bucket(userId, b.key));
      if (!bucket) throw new Error(`import: bucket ${b.key} vanished while being created`);
      buckets.set(b.key, bucket);
    }
    const ids = plan.tree === null ? new Map<string, string>() : await rebuildTree(userId, plan.tree);
    for (const r of doc.rules) {
      const categoryId = r.categoryId === null ? null : (ids.get(r.categoryId) ?? r.categoryId);
      await categories.createRule(userId, {
        field: r.field,
        match: r.match,
        pattern: r.pattern,
        categoryId,
        level: r.level,
      });
    }
    let events = 0;
    try {
      events = await writeEvents(userId, doc, plan, buckets);
    } finally {
      // Also after a failure: the person's own settings, never the temporary open ones.
      await activity.privacy.put(userId, {
        ...doc.settings.privacy,
        ignore: doc.settings.privacy.ignore.map((r) => ({ ...r })),
      });
    }
    const settings = Object.entries(doc.settings.activitywatch);
    for (const [key, value] of settings) await activity.awSettings.put(userId, key, value);
    return {
      devices: doc.devices.length,
      buckets: doc.buckets.length,
      categories: plan.tree?.length ?? 0,
      rules: doc.rules.length,
      settings: settings.length,
      events,
    };
  }

  return {
    async import(userId, doc) {
      const plan = check(doc, now());
      if (running.has(userId)) throw new AppError('conflict', 'An import into this account is already under way');
      running.add(userId);
      try {
        await checkEmpty(userId, doc);
        return await write(userId, doc, plan);
      } finally {
        running.delete(userId);
      }
    },
  };
}
