// What the installed UiAutomator2 driver makes of CSS selectors: its own converter (lib/css/index.js), run as is.
// Usage: node css_of_the_driver.mjs <repo root> <app package> '<JSON list of selectors>'; prints a JSON list of
// {selector: "..."} or {error: "..."}, one per selector.
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const [root, appPackage, list] = process.argv.slice(2);
const css = path.join(root, 'node_modules', 'appium-uiautomator2-driver', 'build', 'lib', 'css', 'index.js');
const {cssToNativeLocator} = await import(pathToFileURL(css).href);
const answers = [];
for (const selector of JSON.parse(list)) {
  try {
    answers.push({selector: (await cssToNativeLocator(selector, appPackage || null)).selector});
  } catch (err) {
    answers.push({error: err.message});
  }
}
console.log(JSON.stringify(answers));
