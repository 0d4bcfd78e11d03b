// Browser tests of the paths users know (/tts ..., with or without a trailing slash), the
// offline API docs, the History page's Delete, and the pages following the server's limits.
// Same harness as ui.test.mjs: a real server, Debian's Chromium.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { IN_CI, launchBrowser, makeJob, missingPrerequisite, startServer } from './harness.mjs';

const missing = missingPrerequisite();
if (missing && IN_CI) {
	test('browser tests can run', () => assert.fail(`${missing} (CI=true: the browser tests must run)`));
}

const PAGES = {
	'/tts': 'Text to speech',
	'/batch': 'Batch',
	'/history': 'History',
	'/voices': 'Voices',
	'/lexicon': 'Lexicon',
	'/models': 'Models'
};

describe('paths, API docs and history in Chromium', { skip: missing ?? false }, () => {
	let server;
	let browser;
	const pageErrors = [];
	/** Hosts every page's requests went to: the docs must not need the internet. */
	const hosts = new Set();

	before(async () => {
		server = await startServer();
		browser = await launchBrowser();
	});

	after(async () => {
		await browser?.close();
		await server?.stop();
	});

	async function open(path) {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
		// requests that reached a server (ReDoc's footer logo on its CDN is refused by the page's
		// Content-Security-Policy inside the browser: it fails with 'csp' and is hidden)
		const reached = (request) => {
			const url = new URL(request.url());
			if (url.protocol.startsWith('http')) hosts.add(url.host);
		};
		page.on('requestfinished', reached);
		page.on('requestfailed', (request) => {
			if (request.failure()?.errorText !== 'csp') reached(request);
		});
		page.setDefaultTimeout(30_000);
		await page.goto(server.url + path);
		return page;
	}

	async function heading(page) {
		await page.locator('h1').first().waitFor();
		return (await page.locator('h1').first().innerText()).trim();
	}

	test('every page at its path, with and without a trailing slash; / opens /tts', async () => {
		for (const [path, title] of Object.entries(PAGES)) {
			for (const spelled of [path, `${path}/`]) {
				const page = await open(spelled);
				assert.equal(await heading(page), title, spelled);
				assert.equal(new URL(page.url()).pathname, path, `${spelled} shows ${path}`);
				await page.context().close();
			}
		}
		const page = await open('/');
		assert.equal(await heading(page), 'Text to speech');
		assert.equal(new URL(page.url()).pathname, '/tts');
		// the main navigation's Speech link is /tts and marked current there
		const current = page.getByRole('navigation', { name: 'Main', exact: true }).locator('a[aria-current="page"]');
		assert.equal(await current.getAttribute('href'), '/tts');
		await page.context().close();
		assert.deepEqual(pageErrors.splice(0), []);
	});

	test('/docs and /redoc work offline: assets from this server, operations listed', async () => {
		hosts.clear();
		const origin = new URL(server.url).host;
		const docs = await open('/docs');
		await docs.locator('.opblock-summary').first().waitFor();
		const paths = await docs.locator('.opblock-summary-path').allInnerTexts();
		for (const expected of ['/api/tts/generate', '/v1/audio/speech', '/api/tts/history/{job_id}', '/api/system/limits']) {
			assert.ok(paths.some((p) => p.replace(/\u200b/g, '') === expected), `${expected} in ${paths.join(' ')}`);
		}
		await docs.context().close();
		const redoc = await open('/redoc');
		await redoc.locator('h2', { hasText: 'Submit a generation job' }).first().waitFor({ state: 'attached', timeout: 60_000 });
		assert.ok(await redoc.locator('h2', { hasText: 'Generate speech (OpenAI-compatible), streamed' }).count());
		await redoc.context().close();
		assert.deepEqual([...hosts], [origin], 'no request left the server (no CDN, no web fonts)');
		assert.deepEqual(pageErrors.splice(0), []);
	});

	test('history: Delete asks first, then removes the job and its audio', async () => {
		const job = await makeJob(server.url, { text: 'A job to delete from the history.', model_id: 'piper', format: 'mp3' });
		const kept = await makeJob(server.url, { text: 'A job to keep in the history.', model_id: 'piper' });
		const audio = join(server.root, 'audio', `${job.id}.mp3`);
		assert.ok(existsSync(audio), 'the audio file exists before');
		const page = await open('/history');
		const row = page.locator(`tr[data-job-id="${job.id}"]`);
		await row.waitFor();
		const dialog = page.getByRole('dialog');
		await row.getByRole('button', { name: /^Delete job/ }).click();
		await dialog.waitFor();
		assert.match(await dialog.innerText(), /removed from the history and from the disk/);
		await dialog.getByRole('button', { name: 'Keep' }).click();
		await dialog.waitFor({ state: 'hidden' });
		assert.equal((await fetch(`${server.url}/api/tts/jobs/${job.id}`)).status, 200, 'Keep keeps it');
		await row.getByRole('button', { name: /^Delete job/ }).click();
		await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
		await row.waitFor({ state: 'detached' });
		await page.locator('.toast', { hasText: 'Deleted 1 job' }).waitFor();
		assert.equal((await fetch(`${server.url}/api/tts/jobs/${job.id}`)).status, 404);
		assert.ok(!existsSync(audio), 'the audio file is gone');
		assert.equal((await fetch(`${server.url}/api/tts/jobs/${kept.id}`)).status, 200, 'the other job stays');
		// bulk: tick the remaining finished job, delete the selection
		await page.locator(`tr[data-job-id="${kept.id}"] input[type="checkbox"]`).check();
		await page.getByRole('button', { name: 'Delete selected (1)' }).click();
		await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
		await page.getByText('No jobs yet').waitFor();
		assert.equal((await fetch(`${server.url}/api/tts/jobs/${kept.id}`)).status, 404);
		await page.context().close();
		assert.deepEqual(pageErrors.splice(0), []);
	});

	test('the pages start on DEFAULT_MODEL and follow the server limits', async () => {
		const real = await open('/tts');
		await real.locator('#model option[value="piper"]').waitFor({ state: 'attached' });
		await real.waitForFunction(() => document.querySelector('#model')?.value);
		assert.equal(await real.inputValue('#model'), 'piper', 'DEFAULT_MODEL, not the first engine (kokoro)');
		await real.context().close();
		// a server configured otherwise (answered in the browser): the pages use its figures
		const limits = await (await fetch(`${server.url}/api/system/limits`)).json();
		const other = { ...limits, default_model: 'espeak', max_text_chars: 50, max_batch_lines: 3 };
		for (const [path, select, shown] of [['/tts', '#model', '0 / 50 characters'], ['/batch', '#batch-model', '0 / 3 lines']]) {
			const context = await browser.newContext();
			await context.route('**/api/system/limits', (route) => route.fulfill({ json: other }));
			const page = await context.newPage();
			await page.goto(server.url + path);
			await page.getByText(shown).waitFor();
			await page.waitForFunction((s) => document.querySelector(s)?.value === 'espeak', select);
			if (path === '/tts') {
				const range = await page.locator('#pitch').evaluate((el) => [el.min, el.max]);
				assert.deepEqual(range, [String(limits.engines.espeak.pitch.min), String(limits.engines.espeak.pitch.max)]);
			}
			await context.close();
		}
		assert.deepEqual(pageErrors.splice(0), []);
	});

	test('the Lexicon page adds, edits and deletes entries; a bad one shows the server\'s message', async () => {
		const lexicon = async () => (await (await fetch(`${server.url}/api/lexicon`)).json()).items;
		const page = await open('/lexicon');
		await page.getByText('No entries yet.').waitFor();
		await page.fill('#lex-word', 'Wardrobe');
		await page.fill('#lex-replacement', 'door');
		await page.selectOption('#lex-model', 'piper');
		await page.getByRole('button', { name: 'Add' }).click();
		const row = page.locator('[data-testid="lexicon-table"] tbody tr');
		await row.filter({ hasText: 'Wardrobe' }).waitFor();
		const [entry] = await lexicon();
		assert.deepEqual([entry.word, entry.replacement, entry.phonemes, entry.model_id], ['Wardrobe', 'door', null, 'piper']);

		await page.getByRole('button', { name: 'Edit Wardrobe' }).click();
		assert.equal(await page.inputValue('#lex-replacement'), 'door');
		await page.fill('#lex-replacement', '');
		await page.fill('#lex-phonemes', "d'o@");
		await page.selectOption('#lex-alphabet', 'x-espeak');
		await page.selectOption('#lex-model', '');
		await page.getByRole('button', { name: 'Save' }).click();
		await row.filter({ hasText: "d'o@" }).waitFor();
		const [edited] = await lexicon();
		assert.deepEqual([edited.id, edited.replacement, edited.phonemes, edited.alphabet, edited.model_id], [entry.id, null, "d'o@", 'x-espeak', null]);

		await page.fill('#lex-word', '<b>');
		await page.fill('#lex-replacement', 'bold');
		await page.getByRole('button', { name: 'Add' }).click();
		await page.getByRole('alert').filter({ hasText: 'none of < > & [ ]' }).waitFor();
		assert.equal((await lexicon()).length, 1);

		await page.getByRole('button', { name: 'Delete Wardrobe' }).click();
		await page.getByText('No entries yet.').waitFor();
		assert.deepEqual(await lexicon(), []);
		await page.context().close();
		assert.deepEqual(pageErrors.splice(0), []);
	});
});
