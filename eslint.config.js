// Lint: typescript-eslint's strict rules, plus the import boundaries of
// docs/ARCHITECTURE.md ("may import"), enforced per package.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const OUR_PACKAGES = ['core', 'contracts', 'crypto', 'store', 'server', 'agent', 'web', 'cli'];
const NODE_BUILTIN = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'tls',
  'child_process',
  'url',
  'util',
  'stream',
];
const DATABASE_DRIVERS = ['kysely', 'better-sqlite3', 'pg'];

/** What each package may import of ours, and whether it may touch Node built-ins and database drivers. */
const BOUNDARIES = {
  core: { ours: [], node: false, drivers: false },
  contracts: { ours: ['core'], node: false, drivers: false },
  crypto: { ours: [], node: ['node:crypto', 'node:buffer'], drivers: false },
  store: { ours: ['core'], node: true, drivers: true },
  server: { ours: ['core', 'contracts', 'crypto', 'store'], node: true, drivers: false },
  // The agent keeps its own queue file (better-sqlite3 directly): no Kysely or pg on a desktop.
  agent: { ours: ['core', 'contracts'], node: true, drivers: ['better-sqlite3'] },
  web: { ours: ['core', 'contracts'], node: false, drivers: false },
  cli: { ours: ['server', 'agent', 'store', 'crypto'], node: true, drivers: false },
};

function boundaryRule(name, rule) {
  const forbiddenOurs = OUR_PACKAGES.filter((p) => p !== name && !rule.ours.includes(p)).map((p) => `@sundial/${p}`);
  const patterns = [
    { group: ['@sundial/*/*'], message: 'Import a package through its index, not its internals.' },
    ...(forbiddenOurs.length
      ? [
          {
            group: forbiddenOurs,
            message: `${name} may import only: ${rule.ours.join(', ') || 'nothing of ours'} (docs/ARCHITECTURE.md).`,
          },
        ]
      : []),
    ...(rule.drivers === true
      ? []
      : [
          {
            group: DATABASE_DRIVERS.filter((d) => !(Array.isArray(rule.drivers) && rule.drivers.includes(d))),
            message: 'Only packages/store talks to the database (and the agent to its queue file).',
          },
        ]),
  ];
  if (rule.node === false) patterns.push({ group: NODE_BUILTIN, message: `${name} must not use Node built-ins.` });
  if (Array.isArray(rule.node)) {
    patterns.push({
      group: NODE_BUILTIN.filter((g) => g !== 'node:*'),
      message: `${name} may use only ${rule.node.join(', ')}.`,
    });
    patterns.push({
      regex: `^node:(?!(${rule.node.map((n) => n.slice(5)).join('|')})$)`,
      message: `${name} may use only ${rule.node.join(', ')}.`,
    });
  }
  return {
    files: [`packages/${name}/src/**/*.ts`, `packages/${name}/src/**/*.tsx`],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '.test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Settings are read only in packages/server/src/config.ts (the agent: packages/agent/src/config.ts).',
        },
      ],
    },
  },
  ...Object.entries(BOUNDARIES).map(([name, rule]) => boundaryRule(name, rule)),
  {
    // The config module is where the environment is read; tests and scripts set up their own.
    files: [
      'packages/server/src/config.ts',
      'packages/agent/src/config.ts',
      'packages/*/test/**',
      'packages/*/bench/**',
      'test/**',
      'scripts/**',
      '*.config.*',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', '.ci/**/*.mjs', '*.config.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
);
