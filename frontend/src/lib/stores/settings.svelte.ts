// Settings kept in localStorage: the API key (sent as a Bearer header) and the colour theme.
export type Theme = 'light' | 'dark';

export const KEY_STORAGE = 'openspeakers.apiKey';
export const THEME_STORAGE = 'openspeakers.theme';

function storage(): Storage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null; // blocked storage (privacy settings)
	}
}

export class Settings {
	apiKey = $state('');
	theme = $state<Theme>('light');
	/** The API key dialog is open (also opened by any 401). */
	keyDialogOpen = $state(false);

	constructor(private store: Storage | null = storage()) {
		this.apiKey = this.store?.getItem(KEY_STORAGE) ?? '';
		const saved = this.store?.getItem(THEME_STORAGE);
		const prefersDark =
			typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches;
		this.theme = saved === 'dark' || saved === 'light' ? saved : prefersDark ? 'dark' : 'light';
	}

	setApiKey(key: string): void {
		this.apiKey = key.trim();
		if (this.apiKey) this.store?.setItem(KEY_STORAGE, this.apiKey);
		else this.store?.removeItem(KEY_STORAGE);
	}

	setTheme(theme: Theme): void {
		this.theme = theme;
		this.store?.setItem(THEME_STORAGE, theme);
		if (typeof document !== 'undefined') {
			document.documentElement.classList.toggle('dark', theme === 'dark');
		}
	}

	toggleTheme(): void {
		this.setTheme(this.theme === 'dark' ? 'light' : 'dark');
	}
}

export const settings = new Settings();
