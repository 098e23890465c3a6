// The cancel flow on the virtual device's iOS face as a WebdriverIO 9 user writes it for TikTok on an iPhone:
// XCUITest's `-ios predicate string:` and `-ios class chain:` selectors, WDA's alert, the app by its bundle id.
//
// Usage: node wdio_ios_cancel_flow.mjs <server url> <automationName> [world]
// Prints one line per step ("ok <step>") and, on the first failure, "FAIL <step>: <message>" with exit code 1.
// The test (tests/clients/test_webdriverio.py) starts it and checks every step passed.
import {remote} from 'webdriverio';

const [url, automationName = 'XCUITest', world = 'default'] = process.argv.slice(2);
const BUNDLE = 'com.zhiliaoapp.musically';
const TITLE = 'Summer haul try-on';
const parsed = new URL(url);

let current = 'start a session';
function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}
async function step(name, body) {
  current = name;
  await body();
  console.log(`ok ${name}`);
}
// A button by its label, the way XCUITest users write it most: a predicate on type and label.
const button = (label) => browser.$(`-ios predicate string:type == "XCUIElementTypeButton" AND label == "${label}"`);
// The value a details field shows (its label names the field, its value is what it shows).
const field = (label) => browser.$(`-ios class chain:**/XCUIElementTypeStaticText[\`label == "${label}"\`]`);

let browser;
try {
  browser = await remote({
    hostname: parsed.hostname,
    port: Number(parsed.port),
    path: parsed.pathname === '' ? '/' : parsed.pathname,
    protocol: parsed.protocol.replace(':', ''),
    logLevel: 'silent',
    connectionRetryCount: 0,
    // An iPhone's next screen slides in: WebdriverIO's own wait for an element before it acts on it.
    waitforTimeout: 3000,
    waitforInterval: 50,
    capabilities: {
      platformName: 'iOS',
      'appium:automationName': automationName,
      'appium:bundleId': BUNDLE,
      'appium:deviceName': 'iPhone 15 Pro',
      'appium:noReset': true,
      // The feed plays a video and is never idle: WDA waits for an idle app from the launch on (this capability
      // reaches WDA before the launch), before each find and around each tap, up to 10 s by default. Half a second
      // is a little longer than an iPhone's screen takes to come in, so each tap returns with the next screen at
      // rest, and the feed costs half a second a command.
      'appium:waitForIdleTimeout': 0.5,
      'sim:world': world,
    },
  });
  console.log('ok start a session');
  // WDA's cool-off before each page source would cost 2 s on the feed, whatever the above says.
  await browser.updateSettings({waitForIdleTimeout: 0.5, animationCoolOffTimeout: 0});

  await step('find by predicate string and class chain', async () => {
    const tabs = await browser.$$('-ios class chain:**/XCUIElementTypeTabBar/XCUIElementTypeButton');
    check(tabs.length >= 4, `only ${tabs.length} tab bar buttons`);
    const last = await browser.$('-ios class chain:**/XCUIElementTypeTabBar/XCUIElementTypeButton[-1]');
    check((await last.getAttribute('label')) === (await tabs[tabs.length - 1].getAttribute('label')),
      'a negative index is not the last button');
    const home = await browser.$('-ios predicate string:label ==[c] "home" AND type == "XCUIElementTypeButton"');
    check((await home.getAttribute('name')) === 'Home', 'a case-insensitive predicate missed Home');
    check((await home.getTagName()) === 'XCUIElementTypeButton', 'tag name is the element type');
    // WDA cannot parse it; the XCUITest driver retries the lookup until the implicit wait ends and says no such
    // element, so a typo finds nothing rather than failing loudly
    check(!(await browser.$('-ios predicate string:label == "Home" AND').isExisting()), 'a bad predicate found');
    check(!(await browser.$('-ios class chain:**/Button').isExisting()), 'a chain with a short class name found');
  });

  await step('page source and screenshot', async () => {
    const source = await browser.getPageSource();
    check(source.includes('<XCUIElementTypeApplication') && source.includes(`bundleId="${BUNDLE}"`), 'source');
    const png = Buffer.from(await browser.takeScreenshot(), 'base64');
    check(png.subarray(1, 4).toString() === 'PNG', 'screenshot is a PNG');
    // the PNG's width and height (its IHDR) are pixels: three per point on an iPhone 15 Pro
    check(png.readUInt32BE(16) === 3 * 393 && png.readUInt32BE(20) === 3 * 852, 'not an iPhone 15 Pro screen');
  });

  await step('profile -> menu -> creator tools -> promotions', async () => {
    await browser.$('-ios class chain:**/XCUIElementTypeTabBar/XCUIElementTypeButton[`label == "Me"`]').click();
    await button('Profile menu').click();
    await browser.$('-ios predicate string:label == "Creator tools" AND visible == 1').click();
    await button('Promotions').click();
    await browser.$('-ios class chain:**/XCUIElementTypeNavigationBar[`name == "Promotions"`]')
      .waitForExist({timeoutMsg: 'the promotions list did not open'});
  });

  await step('a row by its title -> details', async () => {
    const cells = await browser.$$('-ios class chain:**/XCUIElementTypeCollectionView/XCUIElementTypeCell');
    check(cells.length > 1, `${cells.length} rows`);
    const row = await browser.$(`-ios predicate string:type == "XCUIElementTypeCell" AND label BEGINSWITH "${TITLE},"`);
    const title = await row.$(`-ios class chain:**/XCUIElementTypeStaticText[\`value == "${TITLE}"\`]`);
    check(await title.isExisting(), 'the row holds no text with its title');
    await row.click();
    await field('Status').waitForExist({timeoutMsg: 'details did not open'});
    check((await field('Video').getAttribute('value')) === TITLE, 'the details of another promotion');
  });

  await step('cancel -> keep -> still active', async () => {
    check((await field('Status').getAttribute('value')) === 'Active', 'not active before');
    await button('Cancel').click();
    const alert = await browser.$('-ios class chain:**/XCUIElementTypeAlert');
    await alert.waitForExist({timeoutMsg: 'no confirmation'});
    const buttons = await browser.execute('mobile: alert', {action: 'getButtons'});
    check(JSON.stringify(buttons) === JSON.stringify(['Keep promotion', 'Confirm']), `buttons ${buttons}`);
    await alert.$('-ios class chain:**/XCUIElementTypeButton[`label == "Keep promotion"`]').click();
    await alert.waitForExist({reverse: true, timeoutMsg: 'the confirmation stayed'});
    check((await field('Status').getAttribute('value')) === 'Active', 'keeping it stopped it');
  });

  await step('cancel -> confirm -> status', async () => {
    await button('Cancel').click();
    await browser.$('-ios class chain:**/XCUIElementTypeAlert/**/XCUIElementTypeButton[`label == "Confirm"`]')
      .click();
    const status = await field('Status');
    await status.waitUntil(async () => (await status.getAttribute('value')) === 'Canceled', {timeout: 5000});
    check(!(await button('Cancel').isExisting()), 'a canceled promotion still offers Cancel');
  });

  await step('app state, terminate and activate', async () => {
    check((await browser.queryAppState(BUNDLE)) === 4, 'not in the foreground');
    await browser.execute('mobile: terminateApp', {bundleId: BUNDLE});
    check((await browser.execute('mobile: queryAppState', {bundleId: BUNDLE})) === 1, 'still running');
    await browser.execute('mobile: activateApp', {bundleId: BUNDLE});
    await browser.$('-ios predicate string:type == "XCUIElementTypeTabBar"')
      .waitForExist({timeoutMsg: 'the app did not come back'});
  });

  await browser.deleteSession();
  console.log('ok end the session');
} catch (err) {
  console.log(`FAIL ${current}: ${String(err.message).split('\n')[0]}`);
  if (browser) {
    await browser.deleteSession().catch(() => {});
  }
  process.exitCode = 1;
}
