import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vitest/config';

// Dev server on FRONTEND_PORT (5200), proxying the API to the Python server on BACKEND_PORT.
const backend = `http://127.0.0.1:${process.env.BACKEND_PORT ?? '8080'}`;

export default defineConfig({
	plugins: [tailwindcss(), sveltekit()],
	server: {
		port: Number(process.env.FRONTEND_PORT ?? 5200),
		strictPort: true,
		proxy: {
			'/api': backend,
			'/v1': backend,
			'/ws': { target: backend, ws: true }
		}
	},
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
