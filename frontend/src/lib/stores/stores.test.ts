import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEY_STORAGE, Settings, THEME_STORAGE } from './settings.svelte';
import { DEFAULT_TIMEOUT, ToastStore } from './toasts.svelte';

class MemoryStorage implements Storage {
	private map = new Map<string, string>();
	get length() {
		return this.map.size;
	}
	clear() {
		this.map.clear();
	}
	getItem(key: string) {
		return this.map.get(key) ?? null;
	}
	key(i: number) {
		return [...this.map.keys()][i] ?? null;
	}
	removeItem(key: string) {
		this.map.delete(key);
	}
	setItem(key: string, value: string) {
		this.map.set(key, value);
	}
}

describe('ToastStore', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('adds toasts and removes them after their timeout', () => {
		const toasts = new ToastStore();
		toasts.success('saved');
		toasts.error(new Error('text is empty'));
		expect(toasts.items.map((t) => [t.kind, t.message])).toEqual([
			['success', 'saved'],
			['error', 'text is empty']
		]);
		vi.advanceTimersByTime(DEFAULT_TIMEOUT.success);
		expect(toasts.items.map((t) => t.kind)).toEqual(['error']);
		vi.advanceTimersByTime(DEFAULT_TIMEOUT.error);
		expect(toasts.items).toEqual([]);
	});

	it('keeps errors longer than successes', () => {
		expect(DEFAULT_TIMEOUT.error).toBeGreaterThan(DEFAULT_TIMEOUT.success);
	});

	it('shows a repeated message once, as the newest', () => {
		const toasts = new ToastStore();
		toasts.error('server unreachable');
		toasts.info('other');
		toasts.error('server unreachable');
		expect(toasts.items.map((t) => t.message)).toEqual(['other', 'server unreachable']);
	});

	it('keeps at most `max` toasts, dropping the oldest', () => {
		const toasts = new ToastStore(3);
		for (const n of [1, 2, 3, 4]) toasts.info(`n${n}`);
		expect(toasts.items.map((t) => t.message)).toEqual(['n2', 'n3', 'n4']);
	});

	it('dismisses by id, and a timeout of 0 stays', () => {
		const toasts = new ToastStore();
		const sticky = toasts.push('info', 'sticky', 0);
		const other = toasts.info('other');
		toasts.dismiss(other);
		vi.advanceTimersByTime(60_000);
		expect(toasts.items.map((t) => t.id)).toEqual([sticky]);
		toasts.clear();
		expect(toasts.items).toEqual([]);
	});
});

describe('Settings', () => {
	it('reads and stores the API key, trimmed; an empty key is removed', () => {
		const storage = new MemoryStorage();
		storage.setItem(KEY_STORAGE, 'osk-saved');
		const settings = new Settings(storage);
		expect(settings.apiKey).toBe('osk-saved');
		settings.setApiKey('  osk-new \n');
		expect(storage.getItem(KEY_STORAGE)).toBe('osk-new');
		settings.setApiKey('');
		expect(storage.getItem(KEY_STORAGE)).toBeNull();
		expect(settings.apiKey).toBe('');
	});

	it('remembers the theme and toggles it', () => {
		const storage = new MemoryStorage();
		storage.setItem(THEME_STORAGE, 'dark');
		const settings = new Settings(storage);
		expect(settings.theme).toBe('dark');
		settings.toggleTheme();
		expect(settings.theme).toBe('light');
		expect(storage.getItem(THEME_STORAGE)).toBe('light');
	});

	it('works without storage (blocked local storage)', () => {
		const settings = new Settings(null);
		settings.setApiKey('k');
		expect(settings.apiKey).toBe('k');
		expect(settings.theme).toBe('light');
	});
});
