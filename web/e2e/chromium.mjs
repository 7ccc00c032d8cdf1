// How the tests and the benchmark start Debian's Chromium.

/** The Chromium binary: Debian's package, or CHROMIUM_BIN. */
export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

/** Flags for Chromium in a container without a GPU, a sandbox or a network to update from. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
