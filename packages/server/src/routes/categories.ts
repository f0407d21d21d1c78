/**
 * Categories and categorisation rules (/api/v1/categories, /api/v1/rules):
 * reading needs a token with the read scope, changing needs a session.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  CategoriesResponse,
  CategorisationStatus,
  CategoryBody,
  CategoryIdParams,
  CategoryView,
  ERROR_RESPONSES,
  NoContent,
  RuleBody,
  RuleIdParams,
  RulesQuery,
  RulesResponse,
  RuleTestBody,
  RuleTestResponse,
  RuleView,
} from '@sundial/contracts';
import { categoryPath, type Category, type CategoryRule } from '@sundial/core';
import type { AuditLog } from '../audit/index.js';
import { clientInfo, principalOf } from '../auth/authenticate.js';
import { notFound } from '../errors.js';
import type { CategoriesService } from '../services/categories.js';
import type { Recategoriser } from '../services/activity/recategorise.js';

function categoryView(tree: readonly Category[], category: Category) {
  return {
    id: category.id,
    parentId: category.parentId,
    name: category.name,
    path: categoryPath(tree, category.id),
    level: category.level,
    color: category.color,
  };
}

function ruleView(rule: CategoryRule) {
  return {
    id: rule.id,
    field: rule.field,
    match: rule.match,
    pattern: rule.pattern,
    categoryId: rule.categoryId,
    level: rule.level ?? null,
    source: rule.source,
  };
}

export function categoryRoutes(deps: {
  categories: CategoriesService;
  recategoriser: Recategoriser;
  audit: AuditLog;
}): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const errors = ERROR_RESPONSES;
    const { categories } = deps;
    const tags = ['categories'];

    /** Each change is audited by kind only: names and patterns are the person's and stay out of the log. */
    const audited = (
      request: FastifyRequest,
      target: 'category' | 'rule',
      operation: 'create' | 'update' | 'delete',
    ) => {
      const { userId } = principalOf(request);
      return deps.audit.record({
        action: 'categories.change',
        actorId: userId,
        subjectId: userId,
        ip: clientInfo(request).ip,
        details: { target, operation },
      });
    };

    /** The category as it now stands in the person's tree (its path may name changed parents). */
    const viewOf = async (userId: string, category: Category) =>
      categoryView((await categories.tree(userId)).categories, category);

    app.get(
      '/api/v1/categories',
      {
        config: { access: 'token:read' },
        schema: { tags, summary: 'My category tree', response: { 200: CategoriesResponse, ...errors } },
      },
      async (request) => {
        const { categories: tree, customised } = await categories.tree(principalOf(request).userId);
        return { categories: tree.map((category) => categoryView(tree, category)), customised };
      },
    );

    app.get(
      '/api/v1/categorisation',
      {
        config: { access: 'token:read' },
        schema: {
          tags,
          summary: 'Whether my history is being re-categorised after a change, and how far it got',
          response: { 200: CategorisationStatus, ...errors },
        },
      },
      async (request) => deps.recategoriser.status(principalOf(request).userId),
    );

    app.get(
      '/api/v1/categories/:id',
      {
        config: { access: 'token:read' },
        schema: {
          tags,
          summary: 'One of my categories',
          params: CategoryIdParams,
          response: { 200: CategoryView, ...errors },
        },
      },
      async (request) => {
        const { categories: tree } = await categories.tree(principalOf(request).userId);
        const found = tree.find((category) => category.id === request.params.id);
        if (found === undefined) throw notFound('No such category');
        return categoryView(tree, found);
      },
    );

    app.post(
      '/api/v1/categories',
      {
        config: { access: 'session' },
        schema: { tags, summary: 'Add a category', body: CategoryBody, response: { 201: CategoryView, ...errors } },
      },
      async (request, reply) => {
        const { userId } = principalOf(request);
        const created = await categories.createCategory(userId, request.body);
        await audited(request, 'category', 'create');
        return reply.status(201).send(await viewOf(userId, created));
      },
    );

    app.put(
      '/api/v1/categories/:id',
      {
        config: { access: 'session' },
        schema: {
          tags,
          summary: 'Change a category (name, parent, level, colour)',
          params: CategoryIdParams,
          body: CategoryBody,
          response: { 200: CategoryView, ...errors },
        },
      },
      async (request) => {
        const { userId } = principalOf(request);
        const updated = await categories.updateCategory(userId, request.params.id, request.body);
        await audited(request, 'category', 'update');
        return viewOf(userId, updated);
      },
    );

    app.delete(
      '/api/v1/categories/:id',
      {
        config: { access: 'session' },
        schema: {
          tags,
          summary: 'Delete a category without children; my rules that used it become uncategorised',
          params: CategoryIdParams,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await categories.deleteCategory(principalOf(request).userId, request.params.id);
        await audited(request, 'category', 'delete');
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/rules',
      {
        config: { access: 'token:read' },
        schema: {
          tags,
          summary: 'My categorisation rules (with ?include=defaults, the default rules too)',
          querystring: RulesQuery,
          response: { 200: RulesResponse, ...errors },
        },
      },
      async (request) => {
        const rules = await categories.rules(principalOf(request).userId, request.query.include === 'defaults');
        return { rules: rules.map(ruleView) };
      },
    );

    app.get(
      '/api/v1/rules/:id',
      {
        config: { access: 'token:read' },
        schema: {
          tags,
          summary: 'One rule: mine or a default',
          params: RuleIdParams,
          response: { 200: RuleView, ...errors },
        },
      },
      async (request) => {
        const rules = await categories.rules(principalOf(request).userId, true);
        const found = rules.find((rule) => rule.id === request.params.id);
        if (found === undefined) throw notFound('No such rule');
        return ruleView(found);
      },
    );

    app.post(
      '/api/v1/rules',
      {
        config: { access: 'session' },
        schema: { tags, summary: 'Add a rule', body: RuleBody, response: { 201: RuleView, ...errors } },
      },
      async (request, reply) => {
        const created = await categories.createRule(principalOf(request).userId, request.body);
        await audited(request, 'rule', 'create');
        return reply.status(201).send(ruleView(created));
      },
    );

    app.put(
      '/api/v1/rules/:id',
      {
        config: { access: 'session' },
        schema: {
          tags,
          summary: 'Change one of my rules (default rules are read-only)',
          params: RuleIdParams,
          body: RuleBody,
          response: { 200: RuleView, ...errors },
        },
      },
      async (request) => {
        const updated = await categories.updateRule(principalOf(request).userId, request.params.id, request.body);
        await audited(request, 'rule', 'update');
        return ruleView(updated);
      },
    );

    app.delete(
      '/api/v1/rules/:id',
      {
        config: { access: 'session' },
        schema: {
          tags,
          summary: 'Delete one of my rules',
          params: RuleIdParams,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await categories.deleteRule(principalOf(request).userId, request.params.id);
        await audited(request, 'rule', 'delete');
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/rules/test',
      {
        config: { access: 'token:read' },
        schema: {
          tags,
          summary: 'The category and level this activity would get',
          body: RuleTestBody,
          response: { 200: RuleTestResponse, ...errors },
        },
      },
      async (request) => categories.test(principalOf(request).userId, request.body),
    );
  };
}
