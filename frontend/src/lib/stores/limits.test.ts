import { describe, expect, it, vi } from 'vitest';
import type { Limits } from '$lib/api/types';
import { FALLBACK_RANGE, ServerLimits, startingModel } from './limits.svelte';

const LIMITS: Limits = {
	default_model: 'piper',
	max_text_chars: 3000,
	openai_max_input_chars: 4096,
	max_batch_lines: 10,
	voice_max_upload_bytes: 1024,
	voice_min_seconds: 3,
	voice_max_seconds: 60,
	engines: {
		espeak: { speed: { min: 0.25, max: 4 }, native_speed: { min: 0.5, max: 2.5 }, pitch: { min: 0.5, max: 2 } },
		orpheus: { speed: { min: 0.25, max: 4 }, native_speed: null, pitch: null }
	}
};

describe('startingModel', () => {
	const models = [
		{ id: 'kokoro', available: true },
		{ id: 'piper', available: true },
		{ id: 'dia', available: false }
	];
	it('prefers the last model, then DEFAULT_MODEL, then the first available', () => {
		expect(startingModel(models, 'piper', 'kokoro')).toBe('kokoro');
		expect(startingModel(models, 'piper', null)).toBe('piper');
		expect(startingModel(models, 'piper', 'dia')).toBe('piper');
		expect(startingModel(models, 'dia', null)).toBe('kokoro');
		expect(startingModel([], undefined)).toBe('');
	});
});

describe('ServerLimits', () => {
	it('asks the server once and gives each engine its ranges', async () => {
		const fetch = vi.fn().mockResolvedValue(LIMITS);
		const limits = new ServerLimits(fetch);
		expect(limits.speedRange('espeak')).toEqual(FALLBACK_RANGE);
		await Promise.all([limits.load(), limits.load()]);
		expect(fetch).toHaveBeenCalledTimes(1);
		expect(limits.value?.max_text_chars).toBe(3000);
		expect(limits.speedRange('espeak')).toEqual({ min: 0.5, max: 2.5 });
		expect(limits.speedRange('orpheus')).toEqual({ min: 0.25, max: 4 });
		expect(limits.pitchRange('espeak')).toEqual({ min: 0.5, max: 2 });
	});

	it('tries again after a failure', async () => {
		const fetch = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue(LIMITS);
		const limits = new ServerLimits(fetch);
		expect(await limits.load()).toBeNull();
		expect((await limits.load())?.default_model).toBe('piper');
	});
});
