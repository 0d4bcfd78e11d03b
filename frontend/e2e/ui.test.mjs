// Browser tests of the web UI against a real server: `npm run test:e2e` (make test runs it).
// Without Chromium they skip with the reason, except with CI=true, where they fail.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
	IN_CI,
	artifacts,
	launchBrowser,
	makeJob,
	missingPrerequisite,
	startServer,
	zipEntries
} from './harness.mjs';

const missing = missingPrerequisite();
if (missing && IN_CI) {
	test('browser tests can run', () => assert.fail(`${missing} (CI=true: the browser tests must run)`));
}

describe('web UI in Chromium', { skip: missing ?? false }, () => {
	let server;
	let browser;
	/** Uncaught errors of every page, checked after each test. */
	const pageErrors = [];

	before(async () => {
		mkdirSync(artifacts, { recursive: true });
		server = await startServer();
		browser = await launchBrowser();
	});

	after(async () => {
		await browser?.close();
		await server?.stop();
	});

	async function open(path, { theme = 'light', width = 1280, height = 900 } = {}) {
		const context = await browser.newContext({
			viewport: { width, height },
			colorScheme: theme,
			acceptDownloads: true
		});
		const page = await context.newPage();
		page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
		if (process.env.E2E_DEBUG) {
			page.on('console', (m) => console.log(`[console ${m.type()}] ${m.text()}`));
			page.on('websocket', (ws) =>
				ws.on('framereceived', (f) => console.log(`[ws] ${String(f.payload).slice(0, 90)}`))
			);
		}
		page.setDefaultTimeout(30_000);
		await page.goto(server.url + path);
		return page;
	}

	function noPageErrors() {
		assert.deepEqual(pageErrors.splice(0), [], 'uncaught errors in the page');
	}

	async function chooseModel(page, id, select = '#model') {
		await page.locator(`${select} option[value="${id}"]`).waitFor({ state: 'attached' });
		await page.selectOption(select, id);
	}

	test('speech: Ctrl+Enter generates, audio streams, then plays from a file with a duration', async () => {
		const page = await open('/');
		await chooseModel(page, 'piper');
		// a long first sentence: the page's WebSocket connects long before its audio is ready
		await page.fill(
			'#text',
			'Hello from the browser test, with a first sentence long enough that the live stream is connected well before its audio is ready. ' +
				'This is a second sentence, streamed as it is made. And a third one to finish.'
		);
		await page.press('#text', 'Control+Enter');
		// streaming playback: chunks from the WebSocket scheduled before the file exists
		await page.getByText(/streamed/).waitFor();
		const duration = await page.waitForFunction(() => {
			const audio = document.querySelector('section[aria-label="Result"] audio');
			return audio && Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : false;
		});
		assert.ok((await duration.jsonValue()) > 1, 'the audio lasts more than a second');
		// the waveform is drawn
		await page.locator('.waveform').first().waitFor();
		const [wav] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: /Download WAV/ }).click()
		]);
		assert.match(wav.suggestedFilename(), /\.wav$/);
		assert.equal((await readFile(await wav.path())).toString('latin1', 0, 4), 'RIFF');
		// another format is another job with the same settings
		const [mp3] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Generate and download as MP3' }).click()
		]);
		assert.match(mp3.suggestedFilename(), /\.mp3$/);
		const head = await readFile(await mp3.path());
		assert.ok(head.toString('latin1', 0, 3) === 'ID3' || (head[0] === 0xff && (head[1] & 0xe0) === 0xe0), 'an MP3 file');
		await page.locator('.toast[data-kind="success"]').first().waitFor();
		await page.screenshot({ path: join(artifacts, 'speech-result-light.png'), fullPage: true });
		await page.context().close();
		noPageErrors();
	});

	test('speech: empty text shows an error toast', async () => {
		const page = await open('/');
		await chooseModel(page, 'piper');
		await page.getByRole('button', { name: 'Generate', exact: true }).click();
		const toast = page.locator('.toast[data-kind="error"]');
		await toast.waitFor();
		assert.match(await toast.innerText(), /text is empty|text: String should have at least 1 character/);
		await page.context().close();
		noPageErrors();
	});

	test('batch: three lines give a ZIP with three audio files', async () => {
		const page = await open('/batch');
		await chooseModel(page, 'piper', '#batch-model');
		await page.fill('#lines', 'First line of the batch.\nSecond line.\n\nThird and last line.');
		await page.getByText('3 / 100 lines').waitFor();
		await page.getByRole('button', { name: 'Generate 3 files' }).click();
		await page.locator('.batch-line').nth(2).waitFor();
		const zipButton = page.getByRole('button', { name: 'Download ZIP' });
		await page.waitForFunction(() => document.querySelectorAll('.batch-line[data-status="complete"]').length === 3);
		const [download] = await Promise.all([page.waitForEvent('download'), zipButton.click()]);
		assert.match(download.suggestedFilename(), /^batch-[0-9a-f]{32}\.zip$/);
		const entries = zipEntries(await readFile(await download.path()));
		assert.equal(entries.length, 3, JSON.stringify(entries));
		for (const entry of entries) assert.match(entry.name, /\.wav$/);
		await page.screenshot({ path: join(artifacts, 'batch-result-light.png'), fullPage: true });
		await page.context().close();
		noPageErrors();
	});

	test('history: the search and filters narrow the table', async () => {
		await makeJob(server.url, { text: 'Zebras are striped horses.', model_id: 'espeak' });
		await makeJob(server.url, { text: 'Zebras again, spoken by joe.', model_id: 'piper' });
		await makeJob(server.url, { text: 'Nothing about that animal here.', model_id: 'espeak' });
		const page = await open('/history');
		const rows = page.locator('tr.job-row');
		await rows.first().waitFor();
		const all = await rows.count();
		assert.ok(all >= 3, `at least three jobs listed, got ${all}`);

		await page.fill('#history-search', 'zebras');
		await page.waitForFunction(() => document.querySelectorAll('tr.job-row').length === 2);
		for (const text of await page.locator('tr.job-row .job-text').allInnerTexts()) {
			assert.match(text, /zebras/i);
		}
		await page.selectOption('#history-model', 'espeak');
		await page.waitForFunction(() => document.querySelectorAll('tr.job-row').length === 1);
		assert.match(await page.locator('tr.job-row .job-text').innerText(), /striped/);

		await page.selectOption('#history-status', 'failed');
		await page.getByText('No job matches these filters.').waitFor();
		await page.selectOption('#history-status', '');
		await page.waitForFunction(() => document.querySelectorAll('tr.job-row').length === 1);

		// play the remaining job
		await page.getByRole('button', { name: /^Play job/ }).click();
		await page.waitForFunction(() => {
			const audio = document.querySelector('audio');
			return audio && audio.duration > 0;
		});

		// "Edit" opens the speech page with the job's settings
		await page.getByRole('link', { name: /^Open job .* in the speech page/ }).click();
		await page.waitForFunction(() => document.querySelector('#text')?.value === 'Zebras are striped horses.');
		assert.equal(await page.inputValue('#model'), 'espeak');
		await page.waitForFunction(() => document.querySelector('#voice')?.value === 'en-us');
		await page.context().close();
		noPageErrors();
	});

	test('voices: an uploaded reference appears in the list', async (t) => {
		const schema = await (await fetch(`${server.url}/openapi.json`)).json();
		if (!schema.paths?.['/api/voices']?.post) {
			t.skip('POST /api/voices is not implemented by this server yet (not in /openapi.json)');
			return;
		}
		const words = 'This is my reference voice, clear and steady. I speak slowly, so that every word of this sentence can be heard.';
		const job = await makeJob(server.url, { text: words, model_id: 'piper', format: 'wav' });
		const wav = Buffer.from(await (await fetch(`${server.url}${job.audio_url}`)).arrayBuffer());
		const page = await open('/voices');
		await page.locator('#voice-file').setInputFiles({ name: 'reference.wav', mimeType: 'audio/wav', buffer: wav });
		await page.fill('#voice-name', 'Browser test voice');
		await page.fill('#voice-transcript', words);
		await page.fill('#voice-tags', 'test, calm');
		await page.getByRole('button', { name: 'Add voice' }).click();
		await page.locator('.toast[data-kind="success"]').waitFor();
		await page.reload(); // the list comes from the server
		const card = page.locator('.voice-card', { has: page.locator('.voice-name', { hasText: 'Browser test voice' }) });
		await card.waitFor();
		assert.match(await card.innerText(), /every word of this sentence/);
		assert.match(await card.innerText(), /calm/);
		await page.screenshot({ path: join(artifacts, 'voices-uploaded-light.png'), fullPage: true });
		await page.context().close();
		noPageErrors();
	});

	test('voices page against SPEC-shaped /api/voices (mocked in the browser)', async () => {
		// Exercises the page's upload, list, edit and delete logic whether or not the server has
		// the endpoints yet: the browser's requests to /api/voices are answered here.
		const page = await open('/voices');
		const real = await (await fetch(`${server.url}/openapi.json`)).json();
		const voices = [];
		const uploads = [];
		await page.route('**/openapi.json', (route) => {
			const doc = structuredClone(real);
			doc.paths['/api/voices'] = {
				get: {},
				post: { requestBody: { content: { 'multipart/form-data': { schema: { properties: {
					name: { type: 'string' }, audio: { type: 'string', format: 'binary' },
					transcript: { type: 'string' }, description: { type: 'string' },
					tags: { type: 'string' } } } } } } }
			};
			doc.paths['/api/voices/{voice_id}'] = { patch: { requestBody: { content: { 'application/json': { schema: {
				properties: { name: {}, description: {}, tags: {}, transcript: {} } } } } } } };
			return route.fulfill({ json: doc });
		});
		await page.route(/\/api\/voices(\/[0-9a-f]+)?$/, async (route) => {
			const request = route.request();
			const id = request.url().match(/\/api\/voices\/([0-9a-f]+)$/)?.[1];
			if (request.method() === 'GET') return route.fulfill({ json: voices });
			if (request.method() === 'POST') {
				const body = request.postDataBuffer().toString('latin1');
				uploads.push(body);
				const field = (name) => body.match(new RegExp(`name="${name}"\\r\\n\\r\\n([^\\r]*)`))?.[1];
				const voice = { id: 'a'.repeat(32), name: field('name'), transcript: field('transcript'),
					description: field('description'), tags: (field('tags') ?? '').split(','),
					duration_seconds: 3.2, created_at: new Date().toISOString() };
				voices.push(voice);
				return route.fulfill({ status: 201, json: voice });
			}
			if (request.method() === 'PATCH') {
				Object.assign(voices[0], request.postDataJSON());
				return route.fulfill({ json: voices[0] });
			}
			if (request.method() === 'DELETE' && id) {
				voices.splice(0, 1);
				return route.fulfill({ status: 204, body: '' });
			}
			return route.fallback();
		});
		await page.reload();
		await page.getByText('No voice profiles yet').waitFor();
		await page.locator('#voice-file').setInputFiles({ name: 'narrator.wav', mimeType: 'audio/wav', buffer: Buffer.alloc(64) });
		assert.equal(await page.inputValue('#voice-name'), 'narrator', 'the name defaults to the file name');
		await page.fill('#voice-transcript', 'Words of the reference.');
		await page.fill('#voice-tags', 'warm, calm');
		await page.getByRole('button', { name: 'Add voice' }).click();
		await page.locator('.voice-name', { hasText: 'narrator' }).waitFor();
		assert.match(uploads[0], /name="audio"; filename="narrator.wav"/);
		assert.match(uploads[0], /name="tags"\r\n\r\nwarm,calm/);
		assert.match(await page.locator('.voice-card').innerText(), /Words of the reference\./);
		await page.getByRole('button', { name: 'Edit narrator' }).click();
		await page.fill(`#tr-${'a'.repeat(32)}`, 'Corrected words.');
		await page.getByRole('button', { name: 'Save' }).click();
		await page.getByText('Corrected words.').waitFor();
		await page.screenshot({ path: join(artifacts, 'voices-mocked-light.png'), fullPage: true });
		page.once('dialog', (dialog) => dialog.accept());
		await page.getByRole('button', { name: 'Delete narrator' }).click();
		await page.getByText('No voice profiles yet').waitFor();
		await page.context().close();
		noPageErrors();
	});

	test('models: the GPU panel shows live devices from /ws/gpu', async () => {
		// this machine has no GPU: the socket is answered here with what NVML would report
		const page = await open('/models', { theme: 'dark' });
		const timers = [];
		await page.routeWebSocket(/\/ws\/gpu/, (ws) => {
			let used = 20_000;
			const send = () => {
				used += 1500;
				ws.send(JSON.stringify({ available: true, message: '1 NVIDIA GPU', devices: [
					{ index: 0, name: 'NVIDIA H200', memory_used_mb: used, memory_total_mb: 143_771, utilization_percent: 37 }
				] }));
			};
			send();
			timers.push(setInterval(send, 1000));
		});
		await page.reload();
		await page.getByText('#0 NVIDIA H200').waitFor();
		await page.getByText(/% busy/).waitFor();
		assert.equal(await page.locator('[data-testid="cpu-only"]').count(), 0);
		await page.waitForTimeout(400);
		await page.screenshot({ path: join(artifacts, 'models-gpu-dark-desktop.png'), fullPage: true });
		timers.forEach(clearInterval);
		await page.context().close();
		noPageErrors();
	});

	test('with API keys the UI asks for one, then works with it (HTTP and WebSocket)', async () => {
		const locked = await startServer({ apiKey: true });
		try {
			const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
			const page = await context.newPage();
			page.on('pageerror', (error) => pageErrors.push(`keys: ${error.message}`));
			if (process.env.E2E_DEBUG) {
				page.on('console', (m) => console.log(`[console ${m.type()}] ${m.text()}`));
				page.on('request', (r) => console.log(`[req] ${r.method()} ${r.url()}`));
				page.on('response', (r) => console.log(`[res] ${r.status()} ${r.url()}`));
			}
			page.setDefaultTimeout(30_000);
			const frames = [];
			page.on('websocket', (ws) => {
				if (ws.url().includes('/ws/jobs/')) ws.on('framereceived', (f) => frames.push(String(f.payload)));
			});
			await page.goto(locked.url + '/');
			await page.locator('.toast[data-kind="error"]', { hasText: 'needs an API key' }).first().waitFor();
			const dialog = page.getByRole('dialog', { name: 'API key' });
			await dialog.waitFor();
			await page.screenshot({ path: join(artifacts, 'api-key-dialog-light.png') });
			await page.fill('#api-key-input', locked.key);
			// saving reloads the page, so that it loads its data with the key
			await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'Save' }).click()]);
			await chooseModel(page, 'espeak');
			await page.fill('#text', 'The key works.');
			await page.getByRole('button', { name: 'Generate', exact: true }).click();
			await page.waitForFunction(() => {
				const audio = document.querySelector('section[aria-label="Result"] audio');
				return audio && audio.duration > 0;
			});
			// the job's WebSocket took ?api_key= and told the page the job completed
			assert.ok(frames.some((f) => JSON.parse(f).type === 'complete'), frames.join('\n'));
			assert.equal(await page.evaluate(() => localStorage.getItem('openspeakers.apiKey')), locked.key);
			await context.close();
		} finally {
			await locked.stop();
		}
		noPageErrors();
	});

	test('screenshots of every page, light and dark, desktop and 375 px', async () => {
		const pages = ['/tts', '/batch', '/history', '/voices', '/models'];
		for (const theme of ['light', 'dark']) {
			for (const [label, width, height] of [['desktop', 1280, 900], ['mobile', 375, 812]]) {
				for (const path of pages) {
					const page = await open(path, { theme, width, height });
					await page.locator('h1').waitFor();
					if (path === '/models') await page.locator('[data-testid="gpu-panel"] p, [data-testid="cpu-only"]').first().waitFor();
					if (path === '/tts') await page.locator('#voice:not([disabled])').waitFor();
					await page.waitForLoadState('networkidle').catch(() => {});
					await page.waitForTimeout(400); // let transitions settle
					const name = (path === '/tts' ? 'speech' : path.slice(1)) + `-${theme}-${label}.png`;
					// nothing may be wider than the window (usable at 375 px)
					const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
					assert.ok(overflow <= 0, `${path} at ${width}px scrolls sideways by ${overflow}px`);
					const dark = await page.evaluate(() => document.documentElement.classList.contains('dark'));
					assert.equal(dark, theme === 'dark', `${path} follows the ${theme} colour scheme`);
					await page.screenshot({ path: join(artifacts, name), fullPage: true });
					await page.context().close();
				}
			}
		}
		// an engine that cannot run here says why, on the speech page
		const page = await open('/');
		await chooseModel(page, 'dia');
		await page.getByText('Dia 1.6B cannot run on this machine:').waitFor();
		assert.ok(await page.getByRole('button', { name: 'Generate', exact: true }).isDisabled());
		await page.screenshot({ path: join(artifacts, 'speech-unavailable-light-desktop.png'), fullPage: true });
		await page.context().close();
		noPageErrors();
	});
});
