/** Categories and categorisation rules on the wire (/api/v1/categories, /api/v1/rules). */
import { Type, type Static } from 'typebox';

const Level = Type.Integer({
  minimum: -2,
  maximum: 2,
  description: 'Productivity level: −2 very distracting … +2 very productive',
});
const CategoryId = Type.String({ minLength: 1, maxLength: 100 });
const Field = Type.Union([Type.Literal('app'), Type.Literal('title'), Type.Literal('domain'), Type.Literal('url')]);
const Match = Type.Union([Type.Literal('exact'), Type.Literal('glob'), Type.Literal('regex')]);

export const CategoryIdParams = Type.Object({ id: CategoryId }, { additionalProperties: false });
export type CategoryIdParams = Static<typeof CategoryIdParams>;

export const CategoryBody = Type.Object(
  {
    parentId: Type.Union([CategoryId, Type.Null()], { description: "The parent category's id; null at the top" }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    level: Level,
    color: Type.String({ maxLength: 7, description: 'A colour like #1a2b3c' }),
  },
  { additionalProperties: false },
);
export type CategoryBody = Static<typeof CategoryBody>;

export const CategoryView = Type.Object(
  {
    id: Type.String(),
    parentId: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    path: Type.Array(Type.String(), { description: 'Names from the top category down to this one' }),
    level: Type.Integer(),
    color: Type.String(),
  },
  { additionalProperties: false },
);

export const CategoriesResponse = Type.Object(
  {
    categories: Type.Array(CategoryView),
    customised: Type.Boolean({ description: 'false while the person still has the default tree' }),
  },
  { additionalProperties: false },
);

export const RuleIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type RuleIdParams = Static<typeof RuleIdParams>;

export const RuleBody = Type.Object(
  {
    field: Field,
    match: Match,
    pattern: Type.String({ minLength: 1, maxLength: 500 }),
    categoryId: Type.Union([CategoryId, Type.Null()], {
      description: 'The category matching activity gets; null leaves it uncategorised',
    }),
    level: Type.Optional(
      Type.Union([Level, Type.Null()], { description: "A level for matching activity, overriding the category's" }),
    ),
  },
  { additionalProperties: false },
);
export type RuleBody = Static<typeof RuleBody>;

export const RuleView = Type.Object(
  {
    id: Type.String(),
    field: Type.String(),
    match: Type.String(),
    pattern: Type.String(),
    categoryId: Type.Union([Type.String(), Type.Null()]),
    level: Type.Union([Type.Integer(), Type.Null()]),
    source: Type.Union([Type.Literal('person'), Type.Literal('default')], {
      description: '`default` rules are built in and read-only',
    }),
  },
  { additionalProperties: false },
);

export const RulesQuery = Type.Object(
  {
    include: Type.Optional(Type.Literal('defaults', { description: 'Also list the default rules that apply' })),
  },
  { additionalProperties: false },
);
export type RulesQuery = Static<typeof RulesQuery>;

export const RulesResponse = Type.Object({ rules: Type.Array(RuleView) }, { additionalProperties: false });

export const RuleTestBody = Type.Object(
  {
    app: Type.Optional(Type.String({ maxLength: 2048 })),
    title: Type.Optional(Type.String({ maxLength: 2048 })),
    domain: Type.Optional(Type.String({ maxLength: 2048 })),
    url: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);
export type RuleTestBody = Static<typeof RuleTestBody>;

export const RuleTestResponse = Type.Object(
  {
    category: Type.Union([
      Type.Object(
        { id: Type.String(), name: Type.String(), path: Type.Array(Type.String()), level: Type.Integer() },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    level: Type.Integer({ description: "The activity's level: the rule's own, else its category's, else 0" }),
    ruleId: Type.Union([Type.String(), Type.Null()], { description: 'The rule that decided; null when none matched' }),
    source: Type.Union([Type.Literal('person'), Type.Literal('default'), Type.Null()]),
  },
  { additionalProperties: false },
);

export const CategorisationStatus = Type.Object(
  {
    state: Type.Union([Type.Literal('current'), Type.Literal('running')], {
      description: '`running` while history is being re-categorised after a change of categories or rules',
    }),
    version: Type.Integer({ description: 'Version of my categories and rules (bumped by every change)' }),
    categorisedVersion: Type.Integer({ description: 'The version my reports by category and level reflect' }),
    done: Type.Union([Type.Integer(), Type.Null()], { description: 'Chunks of history done, while running' }),
    total: Type.Union([Type.Integer(), Type.Null()], { description: 'Chunks of history in all, while running' }),
  },
  { additionalProperties: false },
);
