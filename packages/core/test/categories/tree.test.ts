import { describe, expect, it } from 'vitest';
import { type Category, CATEGORY_LIMITS, categoryPath, validateTree } from '../../src/categories/tree.js';

const category = (id: string, parentId: string | null = null, overrides: Partial<Category> = {}): Category => ({
  id,
  parentId,
  name: id,
  level: 0,
  color: '#112233',
  ...overrides,
});

/** A chain root → c1 → … of the given depth. */
const chain = (depth: number): Category[] =>
  Array.from({ length: depth }, (_, i) => category(`c${i}`, i === 0 ? null : `c${i - 1}`));

const TREE: Category[] = [
  category('dev', null, { name: 'Software Development', level: 2 }),
  category('editors', 'dev', { name: 'Editing & IDEs', level: 2 }),
  category('fun', null, { name: 'Entertainment', level: -2 }),
  category('video', 'fun', { name: 'Video', level: -2 }),
  category('vim', 'editors', { name: 'Vim', level: 1 }),
];

describe('categoryPath', () => {
  it('names the categories from the root down', () => {
    expect(categoryPath(TREE, 'vim')).toEqual(['Software Development', 'Editing & IDEs', 'Vim']);
    expect(categoryPath(TREE, 'video')).toEqual(['Entertainment', 'Video']);
    expect(categoryPath(TREE, 'dev')).toEqual(['Software Development']);
  });

  it('is empty for an unknown id', () => {
    expect(categoryPath(TREE, 'nope')).toEqual([]);
    expect(categoryPath([], 'dev')).toEqual([]);
  });

  it('stops on a list validateTree would reject instead of looping', () => {
    const cyclic = [category('a', 'b'), category('b', 'a')];
    expect(categoryPath(cyclic, 'a')).toEqual(['b', 'a']);
    expect(categoryPath([category('a', 'missing')], 'a')).toEqual(['a']);
  });
});

describe('validateTree', () => {
  it('accepts a tree, an empty list and a chain at the depth limit', () => {
    expect(validateTree(TREE)).toBeNull();
    expect(validateTree([])).toBeNull();
    expect(validateTree(chain(CATEGORY_LIMITS.maxDepth))).toBeNull();
  });

  it('accepts colours in either case and names of 100 characters (code points)', () => {
    expect(validateTree([category('a', null, { color: '#ABCDEF' })])).toBeNull();
    expect(validateTree([category('a', null, { name: '🕐'.repeat(100) })])).toBeNull();
  });

  it('ignores fields it does not know', () => {
    expect(validateTree([{ ...category('a'), description: 'x' } as Category])).toBeNull();
  });

  it.each<[string, unknown, string]>([
    ['a non-list', { a: 1 }, 'categories: must be a list of categories'],
    [
      'too many categories',
      Array.from({ length: CATEGORY_LIMITS.maxCategories + 1 }, (_, i) => category(`c${i}`)),
      'categories: at most 500 categories are allowed (got 501)',
    ],
    ['a non-object', [category('a'), 'b'], 'categories[1]: must be an object with id, parentId, name, level and color'],
    ['null', [null], 'categories[0]: must be an object with id, parentId, name, level and color'],
    ['an empty id', [category('')], 'categories[0].id: must be a non-empty string'],
    ['a blank id', [category('  ')], 'categories[0].id: must be a non-empty string'],
    ['a numeric id', [{ ...category('a'), id: 7 }], 'categories[0].id: must be a non-empty string'],
    ['a long id', [category('x'.repeat(101))], 'categories[0].id: is too long (101 characters, at most 100)'],
    [
      'a duplicate id',
      [category('a'), category('b'), category('a')],
      'categories[2].id: duplicate of categories[0].id',
    ],
    [
      'a missing parentId',
      [{ ...category('a'), parentId: undefined }],
      'categories[0].parentId: must be a category id or null',
    ],
    ['an unknown parent', [category('a'), category('b', 'zzz')], 'categories[1].parentId: no category has id "zzz"'],
    ['an empty name', [category('a', null, { name: '' })], 'categories[0].name: must be a non-empty string'],
    ['a blank name', [category('a', null, { name: ' \t' })], 'categories[0].name: must be a non-empty string'],
    ['a non-string name', [{ ...category('a'), name: 3 }], 'categories[0].name: must be a non-empty string'],
    [
      'a long name',
      [category('a', null, { name: 'n'.repeat(101) })],
      'categories[0].name: is too long (101 characters, at most 100)',
    ],
    ['level 3', [{ ...category('a'), level: 3 }], 'categories[0].level: must be one of -2, -1, 0, 1, 2'],
    ['level 0.5', [{ ...category('a'), level: 0.5 }], 'categories[0].level: must be one of -2, -1, 0, 1, 2'],
    ['level "1"', [{ ...category('a'), level: '1' }], 'categories[0].level: must be one of -2, -1, 0, 1, 2'],
    ['a short colour', [category('a', null, { color: '#abc' })], 'categories[0].color: must be a colour like #1a2b3c'],
    ['a named colour', [category('a', null, { color: 'red' })], 'categories[0].color: must be a colour like #1a2b3c'],
    [
      'a non-hex colour',
      [category('a', null, { color: '#12345g' })],
      'categories[0].color: must be a colour like #1a2b3c',
    ],
    ['a self-parent', [category('a'), category('b', 'b')], 'categories[1].parentId: makes a cycle (b → b)'],
    [
      'a longer cycle',
      [category('root'), category('a', 'c'), category('b', 'a'), category('c', 'b')],
      'categories[1].parentId: makes a cycle (a → c → b → a)',
    ],
    [
      'a child of a cycle (reported at the cycle)',
      [category('child', 'a'), category('a', 'b'), category('b', 'a')],
      'categories[1].parentId: makes a cycle (a → b → a)',
    ],
    [
      'nesting deeper than the limit',
      chain(CATEGORY_LIMITS.maxDepth + 1),
      'categories[6].parentId: nesting is deeper than 6 levels',
    ],
    [
      'siblings with the same name (ignoring case)',
      [category('a', null, { name: 'Video' }), category('b', null, { name: ' video ' })],
      'categories[1].name: a sibling has the same name (categories[0])',
    ],
  ])('rejects %s', (_, categories, message) => {
    expect(validateTree(categories as Category[])).toBe(message);
  });

  it('allows the same name under different parents', () => {
    const tree = [
      category('a'),
      category('b'),
      category('a1', 'a', { name: 'Other' }),
      category('b1', 'b', { name: 'Other' }),
    ];
    expect(validateTree(tree)).toBeNull();
  });

  it('reports the first problem in list order', () => {
    expect(validateTree([category('a', null, { color: 'x' }), category('', null)])).toBe(
      'categories[0].color: must be a colour like #1a2b3c',
    );
  });
});
