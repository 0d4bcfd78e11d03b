// Toasts: short messages for errors and completions, shown by <ToastContainer>.
export type ToastKind = 'success' | 'error' | 'info';

export interface Toast {
	id: number;
	kind: ToastKind;
	message: string;
	/** milliseconds before it goes away by itself; 0 = stays until dismissed */
	timeout: number;
}

export const DEFAULT_TIMEOUT: Record<ToastKind, number> = {
	success: 4000,
	info: 4000,
	error: 8000
};

export class ToastStore {
	items = $state<Toast[]>([]);
	private next = 1;
	private timers = new Map<number, ReturnType<typeof setTimeout>>();

	constructor(private max = 5) {}

	push(kind: ToastKind, message: string, timeout = DEFAULT_TIMEOUT[kind]): number {
		// the same message twice in a row (e.g. a poll failing) shows once
		const same = this.items.find((t) => t.kind === kind && t.message === message);
		if (same) this.dismiss(same.id);
		const id = this.next++;
		this.items = [...this.items, { id, kind, message, timeout }].slice(-this.max);
		if (timeout > 0) this.timers.set(id, setTimeout(() => this.dismiss(id), timeout));
		return id;
	}

	success(message: string): number {
		return this.push('success', message);
	}

	error(message: string | unknown): number {
		return this.push('error', message instanceof Error ? message.message : String(message));
	}

	info(message: string): number {
		return this.push('info', message);
	}

	dismiss(id: number): void {
		clearTimeout(this.timers.get(id));
		this.timers.delete(id);
		this.items = this.items.filter((t) => t.id !== id);
	}

	clear(): void {
		for (const t of this.items) this.dismiss(t.id);
	}
}

export const toasts = new ToastStore();
