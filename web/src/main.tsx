import { render } from 'preact';
import { registerSW } from 'virtual:pwa-register';
import { App } from './app';
import { locale } from './i18n';
import './styles.css';

document.documentElement.lang = locale.value;
render(<App />, document.getElementById('app')!);

// The service worker precaches the shell and the font, so the app opens offline.
registerSW({ immediate: true });
