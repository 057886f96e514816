/*
 * JSON Schema (draft-07) of a rules/*.yaml file. Validated by ajv when rules are
 * loaded; the loader maps each error's instance path back to the YAML line.
 */
import { CATEGORIES } from './types.js';

const snippet = {
  oneOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      properties: { c: { type: 'string', minLength: 1 }, asm: { type: 'string', minLength: 1 } },
      minProperties: 1,
      maxProperties: 1,
    },
  ],
};

const names = { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 };

export const RULE_FILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    family: { type: 'string' },
    description: { type: 'string' },
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'category', 'severity', 'message', 'match', 'fix', 'docs', 'tests'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
          category: { enum: [...CATEGORIES] },
          severity: { enum: ['error', 'warning', 'note'] },
          message: { type: 'string', minLength: 1 },
          docs: { type: 'string', minLength: 1 },
          match: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              asm: {
                type: 'object',
                additionalProperties: false,
                minProperties: 1,
                properties: {
                  mnemonic: names,
                  exact: names,
                  src: { type: 'string', format: 'regex' },
                  dst: { type: 'string', format: 'regex' },
                  operand: { type: 'string', format: 'regex' },
                  symbol: { type: 'string', format: 'regex' },
                },
              },
              c: {
                type: 'object',
                additionalProperties: false,
                required: ['query'],
                properties: {
                  query: { type: 'string', minLength: 1 },
                  site: { type: 'string' },
                  'skip-definitions': { type: 'boolean' },
                },
              },
              pte: {
                type: 'object',
                additionalProperties: false,
                required: ['kind', 'types'],
                properties: {
                  kind: { enum: ['write', 'read'] },
                  types: names,
                  helpers: { type: 'array', items: { type: 'string' } },
                  'block-ops': { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
                  masks: { type: 'array', items: { type: 'string' } },
                  'address-sinks': { type: 'array', items: { type: 'string' } },
                  'table-fields': { enum: ['whole', 'part'] },
                  'table-pages': names,
                },
              },
              wrapper: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  any: { type: 'array', items: { type: 'string' } },
                  all: { type: 'array', items: { type: 'string' } },
                  'max-statements': { type: 'integer', minimum: 1 },
                },
              },
              'va-hole': {
                type: 'object',
                additionalProperties: false,
                required: ['min'],
                properties: {
                  min: { type: 'integer', minimum: 0 },
                  max: { type: 'integer', minimum: 0 },
                  'ignore-names': { type: 'string', format: 'regex' },
                },
              },
              console: {
                type: 'object',
                additionalProperties: false,
                required: ['entry', 'part', 'port-io'],
                properties: {
                  entry: names,
                  part: { enum: ['routine', 'port-io'] },
                  'port-io': names,
                },
              },
            },
          },
          fix: {
            type: 'object',
            additionalProperties: false,
            required: ['xen'],
            properties: {
              xen: { enum: ['hypercall', 'mask', 'leave', 'breakpoint'] },
              breakpoint: { type: 'string', minLength: 1 },
              hypercall: { type: 'string', minLength: 1 },
              'breakpoint-asm': { type: 'string', minLength: 1 },
              'hypercall-asm': { type: 'string', minLength: 1 },
            },
          },
          tests: {
            type: 'object',
            additionalProperties: false,
            required: ['match'],
            properties: {
              match: { type: 'array', items: snippet, minItems: 1 },
              'no-match': { type: 'array', items: snippet },
              fix: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['before', 'after'],
                  properties: {
                    before: { type: 'string' },
                    after: { type: 'string' },
                    mode: { enum: ['breakpoint', 'hypercall'] },
                    lang: { enum: ['c', 'asm'] },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
