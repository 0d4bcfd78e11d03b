import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** The UI is a single-page app: built to static files that the Python server serves at `/`
 * (src/openspeakers/static), with index.html as the fallback for client-side routes. */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({
			pages: '../src/openspeakers/static',
			assets: '../src/openspeakers/static',
			fallback: 'index.html',
			strict: true
		})
	}
};

export default config;
