// The server's limits and defaults (GET /api/system/limits), fetched once and shared by the
// pages, so the UI shows the configured MAX_TEXT_CHARS, batch size, speed and pitch ranges and
// starts on DEFAULT_MODEL instead of built-in guesses.
import { api } from '$lib/api/client';
import type { EngineLimits, Limits } from '$lib/api/types';

/** Used until the server has answered (and if it cannot): the server's own defaults. */
export const FALLBACK_RANGE = { min: 0.5, max: 2 } as const;

export class ServerLimits {
	value = $state<Limits | null>(null);
	#pending: Promise<Limits | null> | null = null;

	constructor(private fetchLimits: () => Promise<Limits> = api.limits) {}

	/** Fetch once; later calls get the same answer (null if the server could not be asked). */
	load(): Promise<Limits | null> {
		this.#pending ??= this.fetchLimits().then(
			(limits) => (this.value = limits),
			() => {
				this.#pending = null; // try again on the next page
				return null;
			}
		);
		return this.#pending;
	}

	engine(modelId: string | undefined): EngineLimits | undefined {
		return modelId ? this.value?.engines[modelId] : undefined;
	}

	/** Range of the speed slider: the engine's native range where it has one (best quality),
	 * else every speed the server accepts (the audio is time-stretched). */
	speedRange(modelId: string | undefined): { min: number; max: number } {
		const engine = this.engine(modelId);
		return engine?.native_speed ?? engine?.speed ?? FALLBACK_RANGE;
	}

	pitchRange(modelId: string | undefined): { min: number; max: number } {
		return this.engine(modelId)?.pitch ?? FALLBACK_RANGE;
	}
}

export const limits = new ServerLimits();

/** The model a page starts on: the last one used (when still available), else the server's
 * DEFAULT_MODEL, else the first available one. */
export function startingModel(
	models: { id: string; available: boolean }[],
	defaultModel: string | undefined,
	last: string | null = null
): string {
	const available = (id: string | null | undefined) =>
		models.find((m) => m.id === id && m.available)?.id;
	return (
		available(last) ??
		available(defaultModel) ??
		models.find((m) => m.available)?.id ??
		models[0]?.id ??
		''
	);
}
