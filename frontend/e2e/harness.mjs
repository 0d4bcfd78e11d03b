// Browser-test harness: a real `openspeakers serve` on a free port with temporary data
// directories, and Debian's Chromium driven by playwright-core (never a downloaded browser).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../..');
export const artifacts = resolve(repo, 'test-artifacts/ui');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const IN_CI = (process.env.CI ?? '').toLowerCase() === 'true';

/** Why the browser tests cannot run here, or null. With CI=true the caller fails instead. */
export function missingPrerequisite() {
	if (!existsSync(CHROMIUM)) {
		return `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium chromium-driver)`;
	}
	if (!existsSync(resolve(repo, 'src/openspeakers/static/index.html'))) {
		return 'the UI is not built: run `npm run build` in frontend/ (make test does)';
	}
	return null;
}

function freePort() {
	return new Promise((ok, fail) => {
		const server = createServer();
		server.unref();
		server.on('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => ok(port));
		});
	});
}

/** Start `openspeakers serve`; with `apiKey: true` a key is created first (returned as `key`),
 * so the server requires it. */
export async function startServer({ apiKey = false } = {}) {
	const root = mkdtempSync(join(tmpdir(), 'openspeakers-ui-'));
	const port = await freePort();
	const python = process.env.PYTHON ?? resolve(repo, '.venv/bin/python');
	const log = join(root, 'server.log');
	const env = {
		...process.env,
		DATA_DIR: join(root, 'data'),
		AUDIO_OUTPUT_DIR: join(root, 'audio'),
		MODEL_CACHE_DIR: join(root, 'cache'),
		PRELOAD_STANDBY: 'false',
		CPU_WORKERS: '2',
		LOG_LEVEL: 'WARNING'
	};
	delete env.DATABASE_URL;
	delete env.CELERY_BROKER_URL;
	mkdirSync(env.DATA_DIR, { recursive: true });
	let key = null;
	if (apiKey) {
		key = execFileSync(python, ['-m', 'openspeakers.cli', 'keys', 'create', '--name', 'ui-test'], {
			cwd: root,
			env,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore']
		}).trim();
	}
	const out = openSync(log, 'a');
	const child = spawn(python, ['-m', 'openspeakers.cli', 'serve', '--host', '127.0.0.1', '--port', String(port)], {
		cwd: root, // no .env of the repository
		env,
		stdio: ['ignore', out, out]
	});
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited:\n${readFileSync(log, 'utf8')}`);
		try {
			if ((await fetch(`${url}/api/system/health`)).ok) break;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	if (Date.now() >= deadline) throw new Error('server did not become healthy in 60 s');
	return {
		url,
		key,
		root,
		log,
		async stop() {
			child.kill('SIGTERM');
			await new Promise((r) => {
				const t = setTimeout(() => {
					child.kill('SIGKILL');
					r();
				}, 10_000);
				child.once('exit', () => {
					clearTimeout(t);
					r();
				});
			});
			rmSync(root, { recursive: true, force: true });
		}
	};
}

export async function launchBrowser() {
	const { chromium } = await import('playwright-core');
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--no-first-run'
		]
	});
}

/** Submit a job over the API and wait for it; returns the finished job. */
export async function makeJob(url, body) {
	const res = await fetch(`${url}/api/tts/generate`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	if (res.status !== 202) throw new Error(`generate: ${res.status} ${await res.text()}`);
	let job = await res.json();
	while (job.status === 'pending' || job.status === 'running') {
		job = await (await fetch(`${url}/api/tts/jobs/${job.id}?wait=30`)).json();
	}
	return job;
}

/** Names of the files in a ZIP archive (read from its central directory). */
export function zipEntries(buffer) {
	let eocd = buffer.length - 22;
	while (eocd >= 0 && buffer.readUInt32LE(eocd) !== 0x06054b50) eocd--;
	if (eocd < 0) throw new Error('not a ZIP file (no end of central directory)');
	const count = buffer.readUInt16LE(eocd + 10);
	let offset = buffer.readUInt32LE(eocd + 16);
	const entries = [];
	for (let i = 0; i < count; i++) {
		if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error('bad central directory');
		const size = buffer.readUInt32LE(offset + 24);
		const nameLength = buffer.readUInt16LE(offset + 28);
		const extra = buffer.readUInt16LE(offset + 30);
		const comment = buffer.readUInt16LE(offset + 32);
		entries.push({ name: buffer.toString('utf8', offset + 46, offset + 46 + nameLength), size });
		offset += 46 + nameLength + extra + comment;
	}
	return entries;
}
