/** Categories, categorisation rules and the rule tester (/api/v1/categories, /api/v1/rules). */
import type { Static } from 'typebox';
import type * as C from '@sundial/contracts';
import { api } from './client';

export type Category = Static<typeof C.CategoryView>;
export type CategoryInput = Static<typeof C.CategoryBody>;
export type Rule = Static<typeof C.RuleView>;
export type RuleInput = Static<typeof C.RuleBody>;
export type RuleTestInput = Static<typeof C.RuleTestBody>;
export type RuleTestResult = Static<typeof C.RuleTestResponse>;
export type CategoriesList = Static<typeof C.CategoriesResponse>;

const one = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;

export const categoriesApi = {
  list: (signal?: AbortSignal) => api.get<CategoriesList>('/api/v1/categories', { signal }),
  create: (body: CategoryInput) => api.post<Category>('/api/v1/categories', { body }),
  update: (id: string, body: CategoryInput) => api.put<Category>(one('/api/v1/categories', id), { body }),
  remove: (id: string) => api.delete<null>(one('/api/v1/categories', id)),
};

export const rulesApi = {
  /** Mine and the defaults that apply (the defaults are read-only). */
  list: (signal?: AbortSignal) =>
    api.get<Static<typeof C.RulesResponse>>('/api/v1/rules', { query: { include: 'defaults' }, signal }),
  create: (body: RuleInput) => api.post<Rule>('/api/v1/rules', { body }),
  update: (id: string, body: RuleInput) => api.put<Rule>(one('/api/v1/rules', id), { body }),
  remove: (id: string) => api.delete<null>(one('/api/v1/rules', id)),
  test: (body: RuleTestInput, signal?: AbortSignal) => api.post<RuleTestResult>('/api/v1/rules/test', { body, signal }),
};
