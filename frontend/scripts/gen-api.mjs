// Generate src/lib/api/schema.d.ts from the server's OpenAPI schema, without starting a server:
// the schema is dumped by the Python app factory. `--check` fails when the committed file differs
// from what the current schema gives (the UI must not drift from the API).
//
// PYTHON overrides the interpreter (default: the repository's .venv).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const target = resolve(here, '../src/lib/api/schema.d.ts');
const python = process.env.PYTHON ?? resolve(root, '.venv/bin/python');
const dump =
	'import json; from openspeakers.api.app import create_app; ' +
	'print(json.dumps(create_app().openapi(), sort_keys=True))';

if (!existsSync(python)) {
	console.error(`gen:api: no Python at ${python}: run \`make run\` or \`make test\` once (or set PYTHON)`);
	process.exit(2);
}
const schema = JSON.parse(
	execFileSync(python, ['-c', dump], {
		cwd: root,
		// a .env in the repository must not change the schema; logging stays quiet
		env: { ...process.env, LOG_LEVEL: 'WARNING' },
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024
	})
);
const header =
	'// Generated from the server\'s OpenAPI schema by `npm run gen:api`: do not edit.\n' +
	'// `npm run check:api` (part of `make test`) fails when this file is stale.\n\n';
const text = header + astToString(await openapiTS(schema, { alphabetize: true, defaultNonNullable: false }));

if (process.argv.includes('--check')) {
	const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
	if (current !== text) {
		console.error(
			'src/lib/api/schema.d.ts is stale: the server\'s OpenAPI schema changed.\n' +
				'Run `cd frontend && npm run gen:api`, then `npm run check` to see what the UI must follow.'
		);
		process.exit(1);
	}
	console.log('API types match the server\'s OpenAPI schema');
} else {
	writeFileSync(target, text);
	console.log(`wrote ${target} (${Object.keys(schema.paths).length} paths)`);
}
