// The cancel flow and the idioms WebdriverIO 9 users write, against the virtual device or an Appium 3 in front of it.
//
// Usage: node wdio_cancel_flow.mjs <server url> <automationName> [world]
// One line per step, as tests/clients/wdiokit.mjs prints them.
import {check, run, step} from './wdiokit.mjs';

const [url, automationName = 'UiAutomator2', world = 'default'] = process.argv.slice(2);
const PACKAGE = 'com.zhiliaoapp.musically';

async function refused(promise, pattern) {
  try {
    await promise;
  } catch (err) {
    check(pattern.test(String(err.message)), `refused for another reason: ${err.message}`);
    return;
  }
  throw new Error('was accepted; UiAutomator2 refuses it');
}

await run(url, {
  platformName: 'Android',
  'appium:automationName': automationName,
  'appium:appPackage': PACKAGE,
  'appium:noReset': true,
  'sim:world': world,
}, async (browser) => {
  // TikTok's feed plays a video and is never idle: at the default waitForIdleTimeout (10 s) every find and click
  // on it waits 10 s. At 0 nothing waits, and the screens are seen coming in: the steps wait for what they need.
  await browser.updateSettings({waitForIdleTimeout: 0});

  await step('timeouts', async () => {
    await browser.setTimeout({implicit: 300});
    const timeouts = await browser.getTimeouts();
    check(timeouts.implicit === 300, `implicit wait is ${JSON.stringify(timeouts)}`);
    await refused(browser.setTimeout({script: 1000}), /not implemented/i);
    await browser.setTimeout({implicit: 0});
  });

  await step('find by accessibility id, class name, id and css', async () => {
    const home = await browser.$('~Home');
    check(await home.isExisting(), 'no Home tab');
    const labels = await browser.$$('android.widget.TextView');
    check(labels.length > 3, `only ${labels.length} TextViews`);
    const rid = await home.getAttribute('resource-id');
    const short = rid.split(':id/')[1];
    check((await browser.$(`id=${rid}`).getAttribute('content-desc')) === 'Home', 'id= find');
    check((await browser.$(`#${short}`).getAttribute('content-desc')) === 'Home', '#id css find');
  });

  await step('attributes, rect, text', async () => {
    const label = await browser.$('android=new UiSelector().text("Home")');
    check((await label.getText()) === 'Home', 'text');
    check((await label.getAttribute('name')) === 'Home', 'name is the text');
    check((await label.getAttribute('content-desc')) === null, 'no content-desc is null');
    const size = await label.getSize();
    check(size.width > 0 && size.height > 0, `size ${JSON.stringify(size)}`);
    await refused(label.getAttribute('index'), /unknown for the element/);
  });

  await step('page source and screenshot', async () => {
    const source = await browser.getPageSource();
    check(source.includes('<hierarchy') && source.includes('content-desc="Home"'), 'source');
    const png = Buffer.from(await browser.takeScreenshot(), 'base64');
    check(png.subarray(1, 4).toString() === 'PNG', 'screenshot is a PNG');
  });

  await step('feed -> profile (W3C tap)', async () => {
    const me = await browser.$('~Me');
    const {x, y} = await me.getLocation();
    const {width, height} = await me.getSize();
    await browser
      .action('pointer', {parameters: {pointerType: 'touch'}})
      .move({x: Math.round(x + width / 2), y: Math.round(y + height / 2)})
      .down()
      .pause(50)
      .up()
      .perform();
    await browser.$('//*[@text="@mia.creates"]').waitForExist({timeoutMsg: 'the profile is not open'});
  });

  await step('back', async () => {
    await browser.$('~Home').click();
    await browser.$('~Me').click();
    await browser.$('~Profile menu').click();
    await browser.$('android=new UiSelector().text("Creator tools")').waitForExist({timeoutMsg: 'menu'});
    await browser.back();
    check(!(await browser.$('android=new UiSelector().text("Creator tools")').isExisting()), 'menu still open');
  });

  await step('profile -> menu -> creator tools -> promotions', async () => {
    await browser.$('~Profile menu').click();
    await browser.$('android=new UiSelector().text("Creator tools")').click();
    await browser.$('~Promotions').click();
    await browser.$('//*[@text="Promotions"]').waitForExist({timeoutMsg: 'promotions list'});
  });

  await step('W3C swipe on the list', async () => {
    const list = await browser.$('android=new UiSelector().className("androidx.recyclerview.widget.RecyclerView")');
    const {x, y} = await list.getLocation();
    const {width, height} = await list.getSize();
    const cx = Math.round(x + width / 2);
    await browser
      .action('pointer', {parameters: {pointerType: 'touch'}})
      .move({x: cx, y: Math.round(y + height * 0.7)})
      .down()
      .move({duration: 1000, x: cx, y: Math.round(y + height * 0.5)})
      .up()
      .perform();
    await browser.execute('mobile: scrollGesture', {elementId: list, direction: 'up', percent: 1.0});
  });

  await step('child finds and mobile: gestures with element objects', async () => {
    const list = await browser.$('android=new UiSelector().className("androidx.recyclerview.widget.RecyclerView")');
    const rows = await list.$$('android.widget.LinearLayout');
    check(rows.length > 1, `${rows.length} rows`);
    const title = await list.$('.//android.widget.TextView[@text="Summer haul try-on"]');
    check(await title.isExisting(), 'the row is not in the list');
    await refused(browser.execute('mobile: scrollGesture', {elementId: list, direction: 'down'}),
      /Parameters were incorrect/);
    await browser.execute('mobile: clickGesture', {elementId: title});
    await browser.$('~Status').waitForExist({timeoutMsg: 'details did not open'});
  });

  await step('details -> cancel -> confirm -> status', async () => {
    check((await browser.$('~Status').getText()) === 'Active', 'not active before');
    await browser.$('~Cancel').click();
    await browser.$('~Confirm').click();
    const status = await browser.$('~Status');
    await status.waitUntil(async () => (await status.getText()) === 'Canceled', {timeout: 5000});
  });

  await step('app state, terminate and activate', async () => {
    check((await browser.queryAppState(PACKAGE)) === 4, 'not in the foreground');
    check((await browser.isKeyboardShown()) === false, 'keyboard');
    check((await browser.hideKeyboard()) === false, 'hideKeyboard: no keyboard to hide');
    await browser.terminateApp(PACKAGE);
    check((await browser.queryAppState(PACKAGE)) === 1, 'still running');
    await browser.activateApp(PACKAGE);
    await browser.$('~Home').waitForExist({timeoutMsg: 'the feed did not come back'});
    await refused(browser.execute('mobile: flyAway', {}), /Unsupported execute method/);
    await refused(browser.execute('return 1'), /not implemented/i);
  });
});
