// The installed UiAutomator2 driver's execute-method map (lib/execute-method-map.js, which spreads the Android
// driver's): prints {"mobile: name": {"required": [...], "optional": [...]}} as JSON.
// Usage: node execute_methods_of_the_driver.mjs <repo root>
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const [root] = process.argv.slice(2);
const file = path.join(root, 'node_modules', 'appium-uiautomator2-driver', 'build', 'lib', 'execute-method-map.js');
const {executeMethodMap} = await import(pathToFileURL(file).href);
const specs = {};
for (const [name, entry] of Object.entries(executeMethodMap)) {
  specs[name] = {required: entry.params?.required ?? [], optional: entry.params?.optional ?? []};
}
console.log(JSON.stringify(specs));
