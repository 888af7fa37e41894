#!/usr/bin/env node
// Validates chat-bridge's API descriptions offline, in one node process:
//
//   node validate.mjs [--openapi FILE] [--asyncapi FILE] [--strict]
//
// OpenAPI 3.1 (YAML or JSON):
//   redocly                   @redocly/openapi-core lint, built-in `recommended` ruleset (no redocly.yaml is read)
//   openapi-schema-validator  @seriousme/openapi-schema-validator: the official OpenAPI 3.1 JSON Schema (document
//                             structure; Schema Objects not included) and its check that every local $ref resolves
//   json-schema               every Schema Object (components.schemas, and each `schema` of a parameter, header or
//                             media type under paths, webhooks, components) against the JSON Schema 2020-12
//                             meta-schema, and every pattern compiled as an ECMA-262 regular expression
// AsyncAPI 3.0 (YAML or JSON):
//   asyncapi-parser           @asyncapi/parser validate(): its v3 rules and the official JSON Schema on the resolved
//                             document (payloads in the default or a draft-07 schemaFormat are checked; a payload in
//                             any other schemaFormat, e.g. ...;version=2020-12, is accepted unchecked)
//   asyncapi-schema           the unresolved document against the official AsyncAPI JSON Schema of its version
//                             (@asyncapi/specs), with ajv
//
// One line per finding: `<tool>: <severity> <rule/code> <json-pointer>: <message> (<file>:<line>:<col>)`, then one
// summary line per document, and last `total: N error(s), M warning(s)`. Severities: error, warn, info, hint.
// Exit code 0 when no finding is an error (with --strict: and none a warning), 1 otherwise, 2 on bad usage.
// Nothing is fetched from the network: remote $refs are reported as errors instead of being downloaded.

import { readFileSync } from 'node:fs';
import path from 'node:path';

// Redocly's library sends no telemetry (that is the CLI's); set the CLI's switches anyway in case a tool reads them.
process.env.REDOCLY_TELEMETRY = 'off';
process.env.REDOCLY_SUPPRESS_UPDATE_NOTICE = 'true';
process.env.SCARF_ANALYTICS = 'false';
process.env.DO_NOT_TRACK = '1';

const USAGE = 'usage: node validate.mjs [--openapi FILE] [--asyncapi FILE] [--strict]';

function parseArgs(argv) {
    const args = { openapi: null, asyncapi: null, strict: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
        if (name === '--strict') {
            args.strict = true;
        } else if (name === '--openapi' || name === '--asyncapi') {
            const value = inline ?? argv[++i];
            if (!value) throw new Error(`${name} needs a file`);
            args[name.slice(2)] = path.resolve(value);
        } else if (name === '--help' || name === '-h') {
            console.log(USAGE);
            process.exit(0);
        } else {
            throw new Error(`unknown argument ${arg}`);
        }
    }
    if (!args.openapi && !args.asyncapi) throw new Error('give --openapi and/or --asyncapi');
    return args;
}

// ---------------------------------------------------------------------------------------------------------------
// Findings

const SEVERITIES = ['error', 'warn', 'info', 'hint'];

class Report {
    constructor(kind, file) {
        this.kind = kind;
        this.file = file;
        this.findings = [];
        this.tools = new Map();
    }

    tool(name) {
        if (!this.tools.has(name)) this.tools.set(name, { error: 0, warn: 0, info: 0, hint: 0 });
        return this.tools.get(name);
    }

    add(tool, severity, rule, pointer, message, where) {
        if (!SEVERITIES.includes(severity)) severity = 'error';
        this.tool(tool)[severity]++;
        this.findings.push({ tool, severity, rule: rule || '-', pointer: pointer || '#', message, where });
    }

    count(severity) {
        return this.findings.filter((f) => f.severity === severity).length;
    }

    print() {
        const seen = new Set();
        for (const f of this.findings) {
            const message = String(f.message).replace(/\s*\n\s*/g, ' ').trim();
            const line = `${f.tool}: ${f.severity} ${f.rule} ${f.pointer}: ${message}${f.where ? ` (${f.where})` : ''}`;
            if (!seen.has(line)) console.log(line);
            seen.add(line);
        }
        const perTool = [...this.tools].map(([name, c]) => `${name} ${c.error}/${c.warn}`).join(', ');
        console.log(`${this.kind} ${this.file}: ${this.count('error')} error(s), ${this.count('warn')} warning(s)` +
            `${this.count('info') + this.count('hint') ? `, ${this.count('info') + this.count('hint')} info/hint(s)` : ''}` +
            ` (errors/warnings by tool: ${perTool})`);
    }
}

function pointerOf(segments) {
    return '#' + segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function segmentsOf(pointer) {
    const p = pointer.replace(/^#/, '');
    if (p === '' || p === '/') return [];
    return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The document as parsed by `yaml` (JSON is YAML 1.2), with a way to turn a JSON pointer into file:line:col. */
async function loadDocument(file) {
    const { parseDocument, LineCounter, isCollection, isSeq } = await import('yaml');
    const text = readFileSync(file, 'utf8');
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
    const where = (segments) => {
        let node = doc.contents;
        for (const segment of segments) {
            if (!isCollection(node)) break;
            const key = isSeq(node) ? Number(segment) : segment;
            const next = node.get(key, true);
            if (next === undefined) break;
            node = next;
        }
        const offset = node?.range?.[0] ?? 0;
        const { line, col } = lineCounter.linePos(offset);
        return `${path.basename(file)}:${line}:${col}`;
    };
    const problems = [...doc.errors, ...doc.warnings].map((e) => ({
        severity: doc.errors.includes(e) ? 'error' : 'warn',
        code: e.code,
        message: e.message,
        where: Array.isArray(e.pos) ? (({ line, col }) => `${path.basename(file)}:${line}:${col}`)(lineCounter.linePos(e.pos[0])) : path.basename(file),
    }));
    const data = doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 1000 });
    return { text, data, problems, where };
}

async function guarded(report, tool, fn) {
    report.tool(tool);
    try {
        await fn();
    } catch (e) {
        report.add(tool, 'error', 'internal-error', '#', `${tool} failed: ${e?.stack || e}`);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// OpenAPI

async function lintOpenApi(file) {
    const report = new Report('openapi', file);
    const doc = await loadDocument(file);
    for (const p of doc.problems) report.add('yaml', p.severity, p.code, '#', p.message, p.where);
    if (!doc.data) return report;
    if (typeof doc.data !== 'object' || typeof doc.data.openapi !== 'string' || !doc.data.openapi.startsWith('3.1')) {
        report.add('yaml', 'error', 'openapi-version', '#/openapi', `expected an OpenAPI 3.1.x document, got openapi: ${JSON.stringify(doc.data?.openapi)}`, doc.where(['openapi']));
    }

    await guarded(report, 'redocly', async () => {
        const redocly = await import('@redocly/openapi-core');
        const offline = new redocly.BaseResolver({
            http: {
                headers: [],
                customFetch: async (url) => {
                    throw new Error(`remote $ref ${url} not fetched: this check runs offline`);
                },
            },
        });
        const config = await redocly.createConfig({ extends: ['recommended'] }, { externalRefResolver: offline });
        const problems = await redocly.lint({ ref: file, config, externalRefResolver: offline });
        for (const problem of problems) {
            if (problem.ignored) continue;
            const location = problem.location?.[0];
            let where;
            if (location?.source) {
                try {
                    const { start } = redocly.getLineColLocation(location);
                    where = `${path.basename(location.source.absoluteRef)}:${start.line}:${start.col}`;
                } catch {
                    where = path.basename(location.source.absoluteRef);
                }
            }
            const suggest = problem.suggest?.length ? ` Did you mean: ${problem.suggest.join(', ')}?` : '';
            report.add('redocly', problem.severity, problem.ruleId,
                location?.pointer || '#', problem.message + suggest, where);
        }
    });

    await guarded(report, 'openapi-schema-validator', async () => {
        const { Validator } = await import('@seriousme/openapi-schema-validator');
        const validator = new Validator({ allErrors: true });
        const result = await validator.validate(structuredClone(doc.data));
        if (result.valid) return;
        if (typeof result.errors === 'string') {
            report.add('openapi-schema-validator', 'error', 'document', '#', result.errors);
            return;
        }
        for (const error of ajvNoiseless(result.errors || [])) {
            const segments = segmentsOf(error.instancePath || '');
            report.add('openapi-schema-validator', 'error', error.keyword || 'ref', pointerOf(segments),
                ajvMessage(error), doc.where(segments));
        }
    });

    await guarded(report, 'json-schema', async () => {
        const { default: Ajv2020 } = await import('ajv/dist/2020.js');
        const { default: addFormats } = await import('ajv-formats');
        const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
        addFormats(ajv);
        const meta = ajv.getSchema('https://json-schema.org/draft/2020-12/schema');
        const dialect = doc.data.jsonSchemaDialect;
        const known = (uri) => uri === undefined ||
            /^https:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/.test(uri) ||
            /^https:\/\/spec\.openapis\.org\/oas\/3\.1\/dialect\//.test(uri);
        if (!known(dialect)) {
            report.add('json-schema', 'warn', 'unknown-dialect', '#/jsonSchemaDialect',
                `Schema Objects not checked: jsonSchemaDialect ${dialect} is neither JSON Schema 2020-12 nor the OpenAPI 3.1 dialect`,
                doc.where(['jsonSchemaDialect']));
            return;
        }
        for (const { segments, schema } of openApiSchemaObjects(doc.data)) {
            if (schema && typeof schema === 'object' && typeof schema.$schema === 'string' && !known(schema.$schema)) {
                report.add('json-schema', 'warn', 'unknown-dialect', pointerOf([...segments, '$schema']),
                    `not checked: $schema ${schema.$schema} is neither JSON Schema 2020-12 nor the OpenAPI 3.1 dialect`,
                    doc.where([...segments, '$schema']));
                continue;
            }
            if (!meta(schema)) {
                for (const error of ajvNoiseless(meta.errors || [])) {
                    const at = [...segments, ...segmentsOf(error.instancePath || '')];
                    report.add('json-schema', 'error', error.keyword, pointerOf(at), ajvMessage(error), doc.where(at));
                }
            }
            // The meta-schema's `format: regex` is only an annotation here: compile every pattern as ECMA-262.
            for (const { at, regex } of patternsOf(schema, segments)) {
                const problem = regexProblem(regex);
                if (problem) report.add('json-schema', problem.severity, 'pattern', pointerOf(at), problem.message, doc.where(at));
            }
        }
    });
    return report;
}

/** Where an OpenAPI 3.1 document holds Schema Objects (not descending into them, nor into examples). */
function* openApiSchemaObjects(root) {
    const schemasMap = root?.components?.schemas;
    if (schemasMap && typeof schemasMap === 'object') {
        for (const [name, schema] of Object.entries(schemasMap)) yield { segments: ['components', 'schemas', name], schema };
    }
    const skip = new Set(['example', 'examples', 'schemas', 'security', 'securitySchemes', 'info', 'servers', 'tags', 'externalDocs']);
    function* walk(node, segments) {
        if (!node || typeof node !== 'object') return;
        for (const [key, value] of Object.entries(node)) {
            if (skip.has(key) || key.startsWith('x-')) continue;
            if (key === 'schema' && !Array.isArray(node) && (typeof value === 'boolean' || (value && typeof value === 'object'))) {
                yield { segments: [...segments, key], schema: value };
                continue;
            }
            yield* walk(value, [...segments, key]);
        }
    }
    for (const top of ['paths', 'webhooks', 'components']) {
        if (root && typeof root[top] === 'object') yield* walk(root[top], [top]);
    }
}

const SUBSCHEMA = new Set(['items', 'additionalItems', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains',
    'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema']);
const SUBSCHEMA_ARRAYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/** Every `pattern` and `patternProperties` key in a schema and its subschemas, with where it is. */
function* patternsOf(schema, segments) {
    if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
    if (typeof schema.pattern === 'string') yield { at: [...segments, 'pattern'], regex: schema.pattern };
    for (const [key, value] of Object.entries(schema)) {
        if (SUBSCHEMA.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
            yield* patternsOf(value, [...segments, key]);
        } else if (SUBSCHEMA_ARRAYS.has(key) && Array.isArray(value)) {
            for (let i = 0; i < value.length; i++) yield* patternsOf(value[i], [...segments, key, i]);
        } else if (SUBSCHEMA_MAPS.has(key) && value && typeof value === 'object') {
            for (const [name, sub] of Object.entries(value)) {
                if (key === 'patternProperties') yield { at: [...segments, key, name], regex: name };
                yield* patternsOf(sub, [...segments, key, name]);
            }
        }
    }
}

function regexProblem(regex) {
    try {
        new RegExp(regex, 'u');
        return null;
    } catch (unicode) {
        try {
            new RegExp(regex);
            return { severity: 'warn', message: `/${regex}/ is valid only without the u flag (validators that compile patterns as Unicode, such as ajv by default, refuse it): ${unicode.message}` };
        } catch (e) {
            return { severity: 'error', message: `not a valid ECMA-262 regular expression: ${e.message}` };
        }
    }
}

function ajvMessage(error) {
    const params = error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : '';
    return `${error.message || error.keyword}${params}`;
}

/** Drops the "must match a schema in anyOf/oneOf" and if/then wrappers when a more precise error explains them. */
function ajvNoiseless(errors) {
    const wrappers = new Set(['anyOf', 'oneOf', 'if', 'then', 'else', '$ref']);
    const precise = errors.filter((e) => !wrappers.has(e.keyword));
    const explained = (e) => precise.some((p) => p !== e && (p.instancePath || '').startsWith(e.instancePath || ''));
    // "must have required property '$ref'" is the Reference Object branch of a oneOf(Reference, X) that X explains.
    const refBranch = (e) => e.keyword === 'required' && e.params?.missingProperty === '$ref';
    return errors.filter((e) => !(wrappers.has(e.keyword) || refBranch(e)) || !explained(e));
}

// ---------------------------------------------------------------------------------------------------------------
// AsyncAPI

async function lintAsyncApi(file) {
    const report = new Report('asyncapi', file);
    const doc = await loadDocument(file);
    for (const p of doc.problems) report.add('yaml', p.severity, p.code, '#', p.message, p.where);
    if (!doc.data) return report;
    const version = typeof doc.data === 'object' ? doc.data.asyncapi : undefined;
    if (typeof version !== 'string' || !version.startsWith('3.')) {
        report.add('yaml', 'error', 'asyncapi-version', '#/asyncapi', `expected an AsyncAPI 3.x document, got asyncapi: ${JSON.stringify(version)}`, doc.where(['asyncapi']));
    }

    await guarded(report, 'asyncapi-parser', async () => {
        const { Parser, DiagnosticSeverity } = await import('@asyncapi/parser');
        const blocked = [];
        const refuse = (schema) => ({
            schema,
            order: 1,
            read: (uri) => {
                // The parser would try the next resolver (a real HTTP GET) after one that throws: answer with an empty
                // document instead, and report the reference as an error below.
                blocked.push(uri.toString());
                return '{}';
            },
        });
        const parser = new Parser({ __unstable: { resolver: { cache: false, resolvers: [refuse('http'), refuse('https')] } } });
        const diagnostics = await parser.validate(doc.text, { source: file });
        const names = { [DiagnosticSeverity.Error]: 'error', [DiagnosticSeverity.Warning]: 'warn', [DiagnosticSeverity.Information]: 'info', [DiagnosticSeverity.Hint]: 'hint' };
        for (const d of diagnostics) {
            const segments = (d.path || []).map(String);
            const start = d.range?.start;
            const source = d.source && d.source !== file ? path.basename(d.source) : path.basename(file);
            const where = start ? `${source}:${start.line + 1}:${start.character + 1}` : doc.where(segments);
            report.add('asyncapi-parser', names[d.severity] ?? 'error', d.code, pointerOf(segments), d.message, where);
        }
        for (const uri of [...new Set(blocked)]) {
            report.add('asyncapi-parser', 'error', 'remote-ref', '#', `remote $ref ${uri} not fetched: this check runs offline`);
        }
    });

    await guarded(report, 'asyncapi-schema', async () => {
        const { default: specs } = await import('@asyncapi/specs');
        const schema = specs.schemas[version];
        if (!schema) {
            report.add('asyncapi-schema', 'error', 'unknown-version', '#/asyncapi',
                `@asyncapi/specs has no JSON Schema for AsyncAPI ${version} (known: ${Object.keys(specs.schemas).join(', ')})`, doc.where(['asyncapi']));
            return;
        }
        const { default: Ajv } = await import('ajv');
        const { default: addFormats } = await import('ajv-formats');
        // The official schema is draft-07 and carries the draft-04/draft-07 meta-schemas among its definitions.
        const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, unicodeRegExp: false, validateSchema: false });
        addFormats(ajv);
        const copy = structuredClone(schema);
        // Ajv already has the draft-07 meta-schema, which the official schema also carries among its definitions.
        delete copy.definitions?.['http://json-schema.org/draft-07/schema'];
        delete copy.definitions?.['http://json-schema.org/draft-04/schema'];
        const validate = ajv.compile(copy);
        if (validate(structuredClone(doc.data))) return;
        for (const error of ajvNoiseless(validate.errors || [])) {
            const segments = segmentsOf(error.instancePath || '');
            report.add('asyncapi-schema', 'error', error.keyword, pointerOf(segments), ajvMessage(error), doc.where(segments));
        }
    });
    return report;
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
    let args;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (e) {
        console.error(`${e.message}\n${USAGE}`);
        return 2;
    }
    const reports = [];
    for (const [kind, file, lint] of [['openapi', args.openapi, lintOpenApi], ['asyncapi', args.asyncapi, lintAsyncApi]]) {
        if (!file) continue;
        let report;
        try {
            report = await lint(file);
        } catch (e) {
            report = new Report(kind, file);
            report.add('validate', 'error', 'unreadable', '#', e?.message || String(e));
        }
        report.print();
        reports.push(report);
    }
    const errors = reports.reduce((n, r) => n + r.count('error'), 0);
    const warnings = reports.reduce((n, r) => n + r.count('warn'), 0);
    const failed = errors > 0 || (args.strict && warnings > 0);
    console.log(`total: ${errors} error(s), ${warnings} warning(s)${args.strict ? ' (--strict: warnings fail too)' : ''}${failed ? ' FAILED' : ''}`);
    return failed ? 1 : 0;
}

process.exitCode = await main();
