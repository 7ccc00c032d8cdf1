import { render } from 'preact';
import { App } from './app';
import { locale } from './i18n';
import './styles.css';

document.documentElement.lang = locale.value;
render(<App />, document.getElementById('app')!);

// The service worker precaches the shell and the font, so the app opens offline. A new release
// takes over the worker at once but never reloads the page: the open page keeps running, with any
// unsaved form, and the next start loads the new version.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  void navigator.serviceWorker.register('/sw.js', { scope: '/' });
}
