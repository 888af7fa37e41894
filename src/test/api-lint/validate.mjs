// Validates chat-bridge's API documents with tools independent of it, offline once `npm ci` has run:
//   node validate.mjs --openapi <file> --asyncapi <file>      (YAML or JSON; either may be left out)
// OpenAPI 3.1: Redocly's `recommended` ruleset (its struct rule checks the specification itself) and the OpenAPI
// 3.1 JSON Schema (@seriousme/openapi-schema-validator). AsyncAPI 3.0: the official @asyncapi/parser.
// Prints one line per finding; exits 1 if any is an error (--strict: also warnings).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';

process.env.REDOCLY_TELEMETRY = 'off';
process.env.REDOCLY_SUPPRESS_UPDATE_NOTICE = 'true';

const { values } = parseArgs({ options: { openapi: { type: 'string' }, asyncapi: { type: 'string' }, strict: { type: 'boolean' } } });
let errors = 0;
let warnings = 0;

function report(tool, severity, rule, where, message) {
  if (severity === 'error') errors++; else if (severity === 'warn') warnings++;
  console.log(`${tool}: ${severity} ${rule} ${where ?? ''}: ${message}`);
}

if (values.openapi) {
  const { createConfig, lint } = await import('@redocly/openapi-core');
  const config = await createConfig({ extends: ['recommended'] });
  const before = errors + warnings;
  for (const problem of await lint({ ref: values.openapi, config })) {
    report('redocly', problem.severity, problem.ruleId, problem.location?.[0]?.pointer, problem.message);
  }
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const validator = new Validator();
  const result = await validator.validate(parseYaml(readFileSync(values.openapi, 'utf8')));
  if (!result.valid) {
    for (const e of [].concat(result.errors ?? [])) {
      report('openapi-schema-validator', 'error', e.keyword ?? 'schema', e.instancePath, e.message ?? JSON.stringify(e));
    }
  }
  console.log(`openapi ${values.openapi} (${validator.version ?? '?'}): ${errors + warnings - before} finding(s)`);
}

if (values.asyncapi) {
  const { Parser } = await import('@asyncapi/parser');
  const severities = ['error', 'warn', 'info', 'hint'];
  const before = errors + warnings;
  for (const d of await new Parser().validate(readFileSync(values.asyncapi, 'utf8'))) {
    report('asyncapi-parser', severities[d.severity] ?? String(d.severity), d.code, (d.path ?? []).join('.'), d.message);
  }
  console.log(`asyncapi ${values.asyncapi}: ${errors + warnings - before} error(s)/warning(s)`);
}

console.log(`total: ${errors} error(s), ${warnings} warning(s)`);
process.exit(errors > 0 || (values.strict && warnings > 0) ? 1 : 0);
