'use strict';

/**
 * TikTokSim: an Appium 3 driver that proxies every WebDriver command to the virtual TikTok device.
 *
 * The virtual device (the Python package `simulator/`) already speaks the W3C WebDriver protocol with
 * the UiAutomator2 extensions. This driver plays the part the UiAutomator2 driver plays for a phone:
 * it reaches (or starts) the device server, opens a session there, and from then on passes every
 * command through base-driver's WebDriver proxy, `mobile:` execute methods included. Only glue lives
 * here; the device stays Python.
 *
 * Capabilities of our own (all optional, `appium:` prefix):
 *   simUrl            URL of a running virtual device (else env TIKTOK_SIM_URL, else we start one)
 *   simPython         Python that runs `-m tiktok_promo.simulator` (else env TIKTOK_SIM_PYTHON, else the repo's
 *                     .venv/bin/python if present, else python3)
 *   simRoot           directory holding `simulator/` (else env TIKTOK_SIM_ROOT, else found upwards
 *                     from this driver and from Appium's working directory)
 *   simStartupTimeout milliseconds to wait for a started device to print its URL (default 30000)
 * Everything else (platformName, `sim:world`, `sim:faults`, `sim:transitions`, `appium:udid`...) is passed on to the
 * device, with the automationName its face for that platform speaks: UiAutomator2 for Android, XCUITest for iOS.
 *
 * Both platforms: Appium picks a driver by the session's automationName and platformName together (appium/appium
 * packages/appium/lib/extension/driver-config.ts, _getDriverBySupport: the automationName matched case-insensitively
 * and the platformName among the manifest's `platformNames`), so package.json lists Android and iOS, and a session
 * asking `platformName: iOS` + `appium:automationName: TikTokSim` reaches this driver and the device's iOS face.
 */

const {spawn} = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const {BaseDriver, JWProxy, errors, isStandardCap} = require('@appium/base-driver');

const OWN_CAPS = new Set(['simUrl', 'simPython', 'simRoot', 'simStartupTimeout']);
const LISTENING = /listening on (https?:\/\/\S+)/;
const DEFAULT_STARTUP_TIMEOUT_MS = 30000;
// The insecure features the device checks for a session (simulator/security.py): mobile: shell, the server log.
const DEVICE_INSECURE_FEATURES = ['adb_shell', 'get_server_logs'];
const STOP_GRACE_MS = 5000;
const REMOTE_IDLE_MARGIN_S = 30;
// What the device's face for each platform answers as, and the locator strategies that face answers (the ones
// UiAutomator2 and XCUITest users send; the iOS face's are listed in simulator/ios/session.py).
const FACES = Object.freeze({
  android: {
    platformName: 'Android',
    automationName: 'UiAutomator2',
    locatorStrategies: ['id', 'accessibility id', 'xpath', '-android uiautomator', 'class name'],
  },
  ios: {
    platformName: 'iOS',
    automationName: 'XCUITest',
    locatorStrategies: ['xpath', 'id', 'name', 'class name', 'accessibility id', '-ios predicate string',
      '-ios class chain'],
  },
});

/** Spawned device processes still alive: killed if Appium exits without deleting its sessions. */
const LIVE_CHILDREN = new Set();
process.once('exit', () => {
  for (const child of LIVE_CHILDREN) {
    child.kill('SIGKILL');
  }
});

const CAP_CONSTRAINTS = Object.freeze({
  platformName: {presence: true, isString: true, inclusionCaseInsensitive: ['Android', 'iOS']},
  automationName: {isString: true},
  simUrl: {isString: true},
  simPython: {isString: true},
  simRoot: {isString: true},
  simStartupTimeout: {isNumber: true},
  // the device's own vendor capabilities: known here so Appium does not warn, checked by the device
  'sim:world': {isString: true},
  'sim:faults': {},
  'sim:transitions': {isBoolean: true},
  // UiAutomator2 capabilities the harness sends and the device understands: passed on unchanged
  timeouts: {isObject: true},
  udid: {isString: true},
  deviceName: {isString: true},
  appPackage: {isString: true},
  appActivity: {isString: true},
  noReset: {isBoolean: true},
  forceAppLaunch: {isBoolean: true},
  autoGrantPermissions: {isBoolean: true},
  systemPort: {isNumber: true},
  mjpegServerPort: {isNumber: true},
  chromedriverPort: {isNumber: true},
  // XCUITest capabilities the iOS face understands: passed on unchanged
  bundleId: {isString: true},
  platformVersion: {isString: true},
  language: {isString: true},
  locale: {isString: true},
  wdaLocalPort: {isNumber: true},
  waitForIdleTimeout: {isNumber: true}, // WDA's, in seconds: 0 for TikTok's never-idle feed (docs/ios.md)
});

/** The device's face for a session's platformName (checked case-insensitively by the constraints above). */
function faceOf(platformName) {
  return String(platformName).toLowerCase() === 'ios' ? FACES.ios : FACES.android;
}

/** Directories from `start` up to the file-system root. */
function ancestors(start) {
  const dirs = [];
  let dir = path.resolve(start);
  for (;;) {
    dirs.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) {
      return dirs;
    }
    dir = parent;
  }
}

/** The directory that holds the `simulator` Python package, or null. */
function findSimRoot(explicit) {
  const candidates = [explicit, process.env.TIKTOK_SIM_ROOT].filter(Boolean);
  candidates.push(...ancestors(__dirname), ...ancestors(process.cwd()));
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, 'simulator', '__main__.py'))) {
      return path.resolve(dir);
    }
  }
  return null;
}

/** The Python interpreter that runs the virtual device. */
function pickPython(root, explicit) {
  if (explicit) {
    return explicit;
  }
  if (process.env.TIKTOK_SIM_PYTHON) {
    return process.env.TIKTOK_SIM_PYTHON;
  }
  if (root) {
    const venv = process.platform === 'win32'
      ? path.join(root, '.venv', 'Scripts', 'python.exe')
      : path.join(root, '.venv', 'bin', 'python');
    if (fs.existsSync(venv)) {
      return venv;
    }
  }
  return 'python3';
}

/** The last lines of a process's output, on one line, for an error message. */
function tail(text, lines = 5) {
  return text.trim().split(/\r?\n/).slice(-lines).join(' | ');
}

class TikTokSimDriver extends BaseDriver {
  /** Routes of the device beyond WebDriver's, so they reach it through Appium (proxied like the rest). */
  static newMethodMap = Object.freeze({
    '/session/:sessionId/sim/stats': {GET: {command: 'simStats'}},
    '/session/:sessionId/sim/ledger': {GET: {command: 'simLedger'}},
    '/session/:sessionId/sim/clock': {
      POST: {command: 'simAdvanceClock', payloadParams: {optional: ['seconds', 'minutes', 'hours', 'days']}},
    },
  });

  constructor(opts = {}, shouldValidateCaps = true) {
    super(opts, shouldValidateCaps);
    this.desiredCapConstraints = CAP_CONSTRAINTS;
    this.locatorStrategies = FACES.android.locatorStrategies;
    this.simProxy = null;
    this.simChild = null;
    this.simUrl = null;
    this.stoppingSim = false;
  }

  proxyActive() {
    return Boolean(this.simProxy && this.simProxy.sessionId);
  }

  getProxyAvoidList() {
    // What Appium answers itself for a session, from this driver (base-driver lib/protocol/routes/appium.ts):
    // GET /session/:id, /appium/capabilities (this session's capabilities, automationName TikTokSim), and
    // /appium/commands and /appium/extensions (the routes and execute methods Appium knows of this driver), as the
    // UiAutomator2 driver keeps them from its server (appium-uiautomator2-driver lib/driver.ts, NO_PROXY). The
    // settings stay proxied: the device owns every one of them, where UiAutomator2 merges its own with its server's.
    return [
      ['GET', /^\/session\/[^/]+\/?$/],
      ['GET', /^\/session\/[^/]+\/appium\/capabilities\/?$/],
      ['GET', /^\/session\/[^/]+\/appium\/commands\/?$/],
      ['GET', /^\/session\/[^/]+\/appium\/extensions\/?$/],
    ];
  }

  canProxy() {
    return true;
  }

  /** What Appium's router calls for every proxied route: the device answers, its status and body go back. */
  async proxyReqRes(req, res) {
    return await this.simProxy.proxyReqRes(req, res);
  }

  /**
   * Settings belong to the device (its settings routes are proxied). Appium hands a session's initial
   * `appium:settings[...]` capabilities to this method right after createSession, not to the proxy: kept here, a
   * client's waitForIdleTimeout of 0 never reached the device, and every command on the never-idle feed waited the
   * default 10 s. So they are passed on, as UiAutomator2's driver passes them to its server.
   */
  async updateSettings(newSettings) {
    if (!this.simProxy || !this.simProxy.sessionId) {
      return await super.updateSettings(newSettings);
    }
    await this.simProxy.command('/appium/settings', 'POST', {settings: newSettings});
  }

  /** One command to the device from inside the driver; its unwrapped `value`. */
  async proxyCommand(url, method, body = null) {
    return await this.simProxy.command(url, method, body);
  }

  async createSession(w3cCaps1, w3cCaps2, w3cCaps3, driverData) {
    const [sessionId, caps] = await super.createSession(w3cCaps1, w3cCaps2, w3cCaps3, driverData);
    const face = faceOf(caps.platformName);
    this.locatorStrategies = face.locatorStrategies;
    try {
      const remoteCaps = await this.startRemoteSession(caps);
      this.caps = {
        ...remoteCaps,
        ...caps,
        platformName: face.platformName,
        automationName: 'TikTokSim',
        simUrl: this.simUrl,
      };
      return [sessionId, this.caps];
    } catch (err) {
      await this.stopSimulator();
      this.simProxy = null;
      await super.deleteSession(sessionId).catch(() => {});
      if (err instanceof errors.SessionNotCreatedError) {
        throw err;
      }
      throw new errors.SessionNotCreatedError(err.message);
    }
  }

  /** Reach or start the device, open a session on it and point the proxy at it; the device's caps. */
  async startRemoteSession(caps) {
    const url = caps.simUrl || process.env.TIKTOK_SIM_URL;
    if (url) {
      this.simUrl = url.replace(/\/+$/, '');
      this.log.info(`Using the virtual TikTok device at ${this.simUrl}`);
    } else {
      const root = findSimRoot(caps.simRoot);
      const python = pickPython(root, caps.simPython);
      const timeout = Number(caps.simStartupTimeout ?? DEFAULT_STARTUP_TIMEOUT_MS);
      this.simUrl = await this.startSimulator(python, root, timeout);
    }
    const parsed = new URL(this.simUrl);
    this.simProxy = new JWProxy({
      scheme: parsed.protocol.replace(':', ''),
      server: parsed.hostname,
      port: Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)),
      base: parsed.pathname.replace(/\/+$/, ''),
      reqBasePath: this.basePath,
      log: this.log,
      keepAlive: true,
    });
    let value;
    try {
      value = await this.simProxy.command('/session', 'POST', {
        capabilities: {alwaysMatch: this.capsForDevice(caps), firstMatch: [{}]},
      });
    } catch (err) {
      throw new errors.SessionNotCreatedError(
        `The virtual TikTok device at ${this.simUrl} refused the session: ${err.message}`,
      );
    }
    if (!value || !value.sessionId) {
      throw new errors.SessionNotCreatedError(
        `The virtual TikTok device at ${this.simUrl} answered without a session id`,
      );
    }
    this.simProxy.sessionId = value.sessionId;
    this.log.info(`Proxying to session ${value.sessionId} on the virtual TikTok device at ${this.simUrl}`);
    return value.capabilities || {};
  }

  /** The capabilities the device gets: ours removed, Appium's prefix put back, the face's own automationName. */
  capsForDevice(caps) {
    const out = {};
    for (const [name, value] of Object.entries(caps)) {
      if (OWN_CAPS.has(name) || name === 'automationName' || name === 'newCommandTimeout') {
        continue;
      }
      out[name.includes(':') || isStandardCap(name) ? name : `appium:${name}`] = value;
    }
    const face = faceOf(caps.platformName);
    out.platformName = face.platformName;
    out['appium:automationName'] = face.automationName;
    // Appium owns the idle timeout; the device ends a forgotten session a little after Appium would.
    const idle = this.newCommandTimeoutMs / 1000;
    out['appium:newCommandTimeout'] = idle > 0 ? idle + REMOTE_IDLE_MARGIN_S : 0;
    return out;
  }

  /** Start `python -m tiktok_promo.simulator` on a free port (the device picks it and prints its URL); the URL. */
  async startSimulator(python, root, timeoutMs) {
    const env = {...process.env, PYTHONUNBUFFERED: '1'};
    if (root) {
      env.PYTHONPATH = [root, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
    }
    const args = ['-m', 'tiktok_promo.simulator', '--host', '127.0.0.1', '--port', '0'];
    // The insecure features Appium allows this driver (--allow-insecure tiktoksim:adb_shell, *:..., or
    // --relaxed-security) are allowed on the device it starts, which checks them as UiAutomator2 would.
    const allowed = DEVICE_INSECURE_FEATURES.filter((name) => this.isFeatureEnabled(name));
    if (allowed.length) {
      args.push('--allow-insecure', allowed.map((name) => `*:${name}`).join(','));
    }
    this.log.info(`Starting the virtual TikTok device: ${python} ${args.join(' ')} (in ${root || process.cwd()})`);
    const child = spawn(python, args, {cwd: root || process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe']});
    this.simChild = child;
    LIVE_CHILDREN.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-8000);
      for (const line of chunk.split(/\r?\n/).filter(Boolean)) {
        this.log.debug(`[simulator] ${line}`);
      }
    });
    child.once('exit', (code, signal) => {
      LIVE_CHILDREN.delete(child);
      if (!this.stoppingSim && this.proxyActive()) {
        const why = `The virtual TikTok device (pid ${child.pid}) exited unexpectedly with ${signal || `code ${code}`}`;
        this.log.error(why);
        this.startUnexpectedShutdown(new Error(why)).catch(() => {});
      }
    });
    return await new Promise((resolve, reject) => {
      let settled = false;
      const settle = (err, url) => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        if (err) {
          reject(new errors.SessionNotCreatedError(err));
        } else {
          resolve(url);
        }
      };
      const timer = setTimeout(() => settle(
        `The virtual TikTok device did not print its URL within ${timeoutMs} ms ` +
        `(${python} -m tiktok_promo.simulator); last output: ${tail(stderr || stdout) || 'none'}`,
      ), timeoutMs);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = LISTENING.exec(stdout);
        if (match) {
          this.log.info(`The virtual TikTok device (pid ${child.pid}) listens on ${match[1]}`);
          settle(null, match[1]);
        }
      });
      child.once('error', (err) => settle(
        `Could not start the virtual TikTok device with '${python}': ${err.message}; ` +
        `set appium:simPython or TIKTOK_SIM_PYTHON to a Python that has the project installed`,
      ));
      child.once('exit', (code, signal) => settle(
        `The virtual TikTok device (${python} -m tiktok_promo.simulator) exited with ${signal || `code ${code}`} ` +
        `before it was ready: ${tail(stderr || stdout) || 'no output'}`,
      ));
    });
  }

  /** Stop a device we started: SIGTERM, then SIGKILL after a grace period. */
  async stopSimulator() {
    const child = this.simChild;
    this.simChild = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    this.stoppingSim = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const within = (ms) => Promise.race([exited.then(() => true), new Promise((r) => setTimeout(r, ms, false))]);
    child.kill('SIGTERM');
    if (!(await within(STOP_GRACE_MS))) {
      this.log.warn(`The virtual TikTok device (pid ${child.pid}) ignored SIGTERM; killing it`);
      child.kill('SIGKILL');
      await within(STOP_GRACE_MS);
    }
    this.log.info(`Stopped the virtual TikTok device (pid ${child.pid})`);
  }

  async deleteSession(sessionId) {
    if (this.simProxy && this.simProxy.sessionId) {
      try {
        await this.simProxy.command('', 'DELETE');
      } catch (err) {
        this.log.warn(`Could not delete the session on the virtual TikTok device: ${err.message}`);
      }
      this.simProxy.sessionId = null;
    }
    await this.stopSimulator();
    this.simProxy = null;
    await super.deleteSession(sessionId);
  }

  // Reached only if a route is ever taken off the proxy: the same answers, asked of the device.
  async simStats() {
    return await this.proxyCommand('/sim/stats', 'GET');
  }

  async simLedger() {
    return await this.proxyCommand('/sim/ledger', 'GET');
  }

  async simAdvanceClock(seconds, minutes, hours, days) {
    return await this.proxyCommand('/sim/clock', 'POST', {seconds, minutes, hours, days});
  }
}

module.exports = {TikTokSimDriver, default: TikTokSimDriver};
