// What the WebdriverIO client scripts share: a session on a server URL, steps printed as they pass, checks.
// Each script prints one line per step ("ok <step>") and, on the first failure, "FAIL <step>: <message>" with exit
// code 1; its test (tests/clients/test_webdriverio.py) starts it and checks every step passed.
import {remote} from 'webdriverio';

let current = 'start a session';

export function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

export async function step(name, body) {
  current = name;
  await body();
  console.log(`ok ${name}`);
}

/** A session on the server at `url` with these capabilities, as the scripts' users open one. */
export async function connect(url, capabilities) {
  const parsed = new URL(url);
  const browser = await remote({
    hostname: parsed.hostname,
    port: Number(parsed.port),
    path: parsed.pathname === '' ? '/' : parsed.pathname,
    protocol: parsed.protocol.replace(':', ''),
    logLevel: 'silent',
    connectionRetryCount: 0,
    // A phone's next screen comes in over a few hundred ms: WebdriverIO's own wait for an element before it acts
    // on it, polled often enough not to add much to the slide.
    waitforTimeout: 3000,
    waitforInterval: 50,
    capabilities,
  });
  console.log('ok start a session');
  return browser;
}

/** Run the script's steps in a session, end it, and report the first failure (exit code 1). */
export async function run(url, capabilities, steps) {
  let browser;
  try {
    browser = await connect(url, capabilities);
    await steps(browser);
    await browser.deleteSession();
    console.log('ok end the session');
  } catch (err) {
    console.log(`FAIL ${current}: ${String(err.message).split('\n')[0]}`);
    if (browser) {
      await browser.deleteSession().catch(() => {});
    }
    process.exitCode = 1;
  }
}
