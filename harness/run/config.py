"""Where a run goes: the target (the virtual device or an Appium server), its profile, and the options.

Profiles are data in harness/run/profiles/*.yaml: capabilities plus a few harness settings. The run's choices come
from options, then the environment, then the profile. Every mistake a person can make here ends in
one ConfigError sentence (pytest shows it as a usage error, the `promo` command exits 2).
Secrets (cloud keys) belong in the environment; a profile refers to them as ${NAME}.
"""

from __future__ import annotations

import difflib
import os
import re
import urllib.error
import urllib.request
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tiktok_promo.harness.errors import ConfigError
from tiktok_promo.harness.redact import redact_url

TARGETS = ("sim", "appium")
CONFIG_DIR = Path(__file__).resolve().parent / "profiles"
DEFAULT_PROFILES = {"sim": "sim", "appium": "android-emulator"}
DEFAULT_APPIUM_URL = "http://127.0.0.1:4723"
# `appium_url: local` (or --appium-url local): the run starts its own Appium 3 on a free port and stops it.
LOCAL_APPIUM = "local"
# `appium_url: local-grid`: the run starts a Selenium Grid 4 (a hub and one relay node per device, each with its
# own Appium 3) on free ports and stops it at the end (harness.run.grid).
LOCAL_GRID = "local-grid"
VIRTUAL_AUTOMATION = "TikTokSim"  # our Appium driver in drivers/appium-tiktok-sim: the device is the virtual one
REACHABLE_TIMEOUT = 5.0
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_FALSE_WORDS = {"0", "false", "no", "off"}
_TRUE_WORDS = {"1", "true", "yes", "on"}
def read_settings_file(path: Path, what: str) -> str:
    """The text of a small settings file, read by the one bounded reader (simulator.safe_input): ConfigError
    (naming it) for a folder, a device, a FIFO, a huge or binary file, instead of reading without bound."""
    from tiktok_promo.simulator.safe_input import InputRefused, read_text

    try:
        return read_text(path, what)
    except InputRefused as refused:
        raise ConfigError(f"{refused}.") from None


def read_settings_yaml(path: Path, what: str) -> object:
    """The YAML of a small settings file, with the one reader's limits and refusals (simulator.safe_input)."""
    from tiktok_promo.simulator.safe_input import InputRefused, parse_yaml

    text = read_settings_file(path, what)
    try:
        return parse_yaml(text, f"{what} {path}")
    except InputRefused as refused:
        raise ConfigError(f"{refused}.") from None


def env_flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """An on/off environment setting; ConfigError naming the variable for anything but 1/0, true/false,
    yes/no, on/off."""
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    word = raw.strip().lower()
    if word in _TRUE_WORDS | _FALSE_WORDS:
        return word in _TRUE_WORDS
    raise ConfigError(f"{name} must be one of 1, 0, true, false, yes, no, on, off; not {raw[:40]!r}.")
# When a scenario's (or a cancel's) screen recording is kept: only when it failed or drifted, every time, or never.
VIDEO_MODES = ("on-failure", "always", "off")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:_[A-Za-z]{2}|_\d{3})?")
# A newline, a tab, an escape sequence (ESC [ ...), DEL and the C1 controls: in an option they would rewrite the
# terminal a message is printed on, split a log line, or reach a capability no device has.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def check_text(value: str, name: str) -> str:
    """A free-text value (an option or an environment variable named `name`) without control characters."""
    bad = _CONTROL.search(value)
    if bad:
        raise ConfigError(f"{name} holds a control character ({bad.group()!r} at position {bad.start() + 1}); give "
                          "the value on one line, without tabs or escape sequences.")
    return value


def option_value(value: str | None, option: str, variable: str | None = None,
                 env: Mapping[str, str] | None = None) -> str | None:
    """An option's value, else its environment variable's, stripped and checked; None when neither is given.

    An option given empty (`--udid ''`) is a mistake and refused: it would otherwise quietly mean "the
    default". An environment variable set empty (or to blanks) counts as unset, as a shell's `VAR=` usually
    means "not this time".
    """
    if value is not None:
        if not value.strip():
            raise ConfigError(f"{option} is empty; give a value, or leave the option out for the default.")
        return check_text(value, option).strip()
    raw = (os.environ if env is None else env).get(variable or "") if variable else None
    if raw is None or not raw.strip():
        return None
    return check_text(raw, variable or option).strip()


class RecoveryBudget(BaseModel):
    """How much recovery one operation (a plan, one promotion's cancel) may spend before it fails.

    Set per profile under `recovery:` in harness/run/profiles/*.yaml; the defaults suit a phone on a desk.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    attempts: int = Field(default=4, ge=1, le=10,
                          description="tries of one operation, the first included; each retry begins again")
    new_sessions: int = Field(default=2, ge=0, le=5, description="sessions started again after one died")
    confirm_taps: int = Field(default=3, ge=1, le=5,
                              description="Confirm taps for one promotion in all, each after a fresh read of it")
    seconds: float = Field(default=180.0, gt=0, le=3600, description="wall time of one operation, retries included")
    spinner_seconds: float = Field(default=30.0, gt=0, le=600,
                                   description="how long a wait goes on while the app shows a spinner")


class PoolDevice(BaseModel):
    """One device of a profile's pool: parallel workers (pytest -n N) take one each, in order."""

    model_config = ConfigDict(extra="forbid")

    udid: str = Field(min_length=1, description="the adb serial (or the device id the grid's stereotype matches)")
    capabilities: dict[str, Any] = Field(default_factory=dict, description="capabilities of this device only")


class TargetProfile(BaseModel):
    """A target profile file: capabilities and the harness settings that go with that device."""

    model_config = ConfigDict(extra="forbid")

    description: str = ""
    account: str | None = Field(default=None, description="the @username that started the promotions")
    world: str | None = Field(default=None, description="virtual device only: the world to start in")
    appium_url: str | None = Field(default=None, description="an Appium, Grid or cloud URL, 'local' or 'local-grid'")
    grid_nodes: int = Field(default=2, ge=1, le=16,
                            description="appium_url local-grid: how many nodes (devices) the run's Grid starts; "
                                        "pytest -n N starts N when that is more")
    virtual_device: bool | None = Field(
        default=None, description="the device is the virtual one (worlds, faults, clock, ledger); default: "
                                  "automationName TikTokSim or a sim:world capability says so")
    recording: bool = Field(
        default=False, description="the device is a recording of a phone served by "
                                   "`python -m tiktok_promo.simulator --replay` "
                                   "(no phone, adb or SDK to check; no worlds, clock or ledger)")
    devices: list[PoolDevice] = Field(default_factory=list, repr=False,
                                      description="the device pool of parallel runs")
    per_device_ports: bool = Field(
        default=True, description="give each device its own systemPort/mjpegServerPort/chromedriverPort; off "
                                  "for a grid or cloud, whose nodes own their ports")
    find_timeout: float = Field(default=10.0, gt=0, le=300)
    status_timeout: float = Field(default=5.0, gt=0, le=300)
    command_timeout: float = Field(default=60.0, gt=0, le=600)
    recovery: RecoveryBudget = Field(
        default_factory=RecoveryBudget,
        description="attempts, new sessions, confirm taps and seconds that recovery may spend (flows.recovery)")
    # Not in repr: a profile (and a RunConfig holding it) may be printed into a report as a step parameter,
    # and the capabilities may hold a cloud key.
    capabilities: dict[str, Any] = Field(min_length=1, repr=False)

    @property
    def is_virtual(self) -> bool:
        """Whether the profile's device is the virtual TikTok device (the profile says so, or its caps do)."""
        if self.virtual_device is not None:
            return self.virtual_device
        caps = self.capabilities
        return caps.get("appium:automationName") == VIRTUAL_AUTOMATION or "sim:world" in caps


@dataclass(frozen=True, repr=False)
class RunConfig:
    """Everything a run needs to reach its device, resolved and checked.

    Its repr names the profile and the redacted URL only: pytest-bdd hands it to steps, and Allure records
    step arguments, so the capabilities (which may hold a cloud key) must never be in it.
    """

    target: str
    profile_path: Path
    profile: TargetProfile
    world: str | None
    appium_url: str | None
    udid: str | None
    account: str | None
    step_screenshots: bool = True
    local_appium: bool = False  # the run starts (and stops) its own Appium server: see harness.run.appium_server
    local_grid: bool = False  # the run starts (and stops) its own Selenium Grid 4: see harness.run.grid
    # The run's own Grid, once started (harness.run.grid.SeleniumGrid.state): its nodes name a dead one.
    grid_state: Mapping[str, Any] | None = None
    language: str | None = None  # the app's language when told (--language); None: the device's locale says
    video: str | None = None  # --video (PROMO_VIDEO), one of VIDEO_MODES; None: not told, each command's default

    def __repr__(self) -> str:
        return (f"RunConfig(target={self.target!r}, profile={self.profile_path.stem!r}, world={self.world!r}, "
                f"url={self.safe_url!r}, udid={self.udid!r}, account={self.account!r}, language={self.language!r})")

    @property
    def is_sim(self) -> bool:
        """The virtual device runs in-process (the harness starts it)."""
        return self.target == "sim"

    @property
    def virtual_device(self) -> bool:
        """The device is the virtual one (in-process, or behind Appium with the TikTokSim driver): worlds,
        faults, the clock and the ledger are available."""
        return self.is_sim or self.profile.is_virtual

    @property
    def safe_url(self) -> str:
        """The Appium URL without credentials, fit for reports and logs."""
        if self.appium_url:
            return redact_url(self.appium_url)
        if self.local_grid:
            return "a local Selenium Grid started by the run"
        return "a local Appium server started by the run" if self.local_appium else "in-process virtual device"

    def capabilities(self, world: str | None = None, faults: Any = None) -> dict[str, Any]:
        """The W3C capabilities of one session; the implicit wait is 0 (see harness.ui.finder)."""
        caps = dict(self.profile.capabilities)
        timeouts = dict(caps.get("timeouts") or {})
        timeouts["implicit"] = 0
        caps["timeouts"] = timeouts
        if self.udid:
            caps["appium:udid"] = self.udid
        if self.virtual_device:
            caps["sim:world"] = world or self.world or "default"
            if faults is not None:
                caps["sim:faults"] = faults
        return caps

    def memory_key(self, world: str | None = None) -> str:
        """Which locator memory a session shares: one per device, app release and language."""
        told = f":{self.language}" if self.language else ""
        if self.virtual_device:
            return f"sim:{world or self.world}{told}"
        return f"appium:{self.udid or self.profile_path.stem}{told}"


def redact_url_loosely(url: str) -> str:
    """A URL too broken to parse, shortened and without anything that looks like user:password@."""
    from tiktok_promo.harness.redact import Redactor

    return Redactor().clean(url[:200])


def expand_env(value: Any, env: Mapping[str, str], source: str) -> Any:
    """Replace ${NAME} (or ${NAME:-default}) in strings with the environment's values."""
    if isinstance(value, dict):
        return {k: expand_env(v, env, source) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_env(v, env, source) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise ConfigError(f"Caps file {source} needs the environment variable {name}, which is not set.")

    return _ENV_REF.sub(substitute, value)


def find_profile(name_or_path: str) -> Path:
    """A caps file by path, or a profile in harness/run/profiles/ by name ('sim', 'android-phone')."""
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path
    named = CONFIG_DIR / f"{name_or_path}.yaml"
    if named.is_file():
        return named
    if path.exists():
        raise ConfigError(f"Caps file {name_or_path} is not a file.")
    names = sorted(p.stem for p in CONFIG_DIR.glob("*.yaml"))
    near = difflib.get_close_matches(name_or_path, names, n=1, cutoff=0.6) if len(name_or_path) < 100 else []
    hint = f"; did you mean {near[0]}?" if near else ""
    raise ConfigError(f"Caps file {name_or_path} does not exist (profiles in harness/run/profiles/: "
                      f"{', '.join(names)}){hint}.".replace("?.", "?"))


def load_profile(name_or_path: str, env: Mapping[str, str] | None = None) -> tuple[Path, TargetProfile]:
    """Read and check a profile; ConfigError names the file and what is wrong."""
    path = find_profile(name_or_path)
    data = read_settings_yaml(path, "Caps file")
    if not isinstance(data, dict):
        raise ConfigError(f"Caps file {path} must be a mapping with a 'capabilities' section.")
    data = expand_env(data, os.environ if env is None else env, str(path))
    try:
        return path, TargetProfile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        message = "is not a setting a profile has" if first["type"] == "extra_forbidden" else first["msg"]
        raise ConfigError(f"Caps file {path}: {where}: {message}.") from None


def world_problem(world: str, error: Exception) -> str:
    """The sentence for a world that does not load: a file with a mistake in it, or a name nothing has."""
    text = str(error).rstrip(".")
    try:
        is_file = Path(world).expanduser().is_file()
    except (OSError, ValueError):  # a name too long for the file system is no file
        is_file = False
    if is_file:
        return text[:1].upper() + text[1:] + "."  # "World file x.yaml is not valid YAML at line 4, ..."
    shipped = re.search(r"shipped world \(([^)]*)\)", text)
    names = [name.strip() for name in shipped.group(1).split(",")] if shipped else []
    near = difflib.get_close_matches(world, names, n=1, cutoff=0.6) if len(world) < 100 else []
    return f"Unknown world: {text}" + (f"; did you mean {near[0]}?" if near else ".")


def world_folders(*worlds: str | None) -> list[str]:
    """The folders of the world files among `worlds` (a shipped world's name has none).

    The virtual device reads worlds only from its shipped ones and the folders its operator allows; a person
    who names a world file to the harness (`--world`, `--device sim-2=FILE`) allows that file's folder.
    """
    from tiktok_promo.simulator.world import shipped_worlds  # only the sim target needs the simulator

    folders: list[str] = []
    for world in worlds:
        if not world or world in shipped_worlds():
            continue
        path = Path(world).expanduser()
        if len(path.parts) < 2 and not path.suffix:
            continue  # 'atlantis': a name nothing has, not a file
        try:
            folder = str(path.resolve().parent)
        except (OSError, ValueError, RuntimeError):
            continue
        if folder not in folders:
            folders.append(folder)
    return folders


def check_world(world: str) -> str:
    """A shipped world name, or an existing world file (made absolute: the device may run elsewhere)."""
    from tiktok_promo.simulator.world import (  # only the sim target needs the simulator
        WORLDS_DIR,
        WorldError,
        resolve_world,
    )

    if len(world) > 1000:
        raise ConfigError(f"--world (PROMO_WORLD) is {len(world):,} characters long; give a world name or a file "
                          "path.")
    path = Path(world)
    try:
        is_file_path = not (WORLDS_DIR / f"{world}.yaml").is_file() and path.exists()
    except (OSError, ValueError):  # a name too long for a path, a NUL in it
        is_file_path = False
    if is_file_path:
        read_settings_file(path, "World file")  # bounded, and text: before the device reads it
    try:
        resolve_world(world, folders=world_folders(world))
    except WorldError as error:
        raise ConfigError(world_problem(world, error)) from None
    except (ValueError, OSError, RecursionError) as error:  # what a loader may raise past its own checks
        raise ConfigError(f"World {world[:200]!r} cannot be loaded: {error}.") from None
    return str(path.resolve()) if is_file_path else world


def _check_url(url: str) -> str:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsed on access: a port that is not a number, or out of range, raises here
    except ValueError as error:
        raise ConfigError(f"Appium URL {redact_url_loosely(url)!r} is not a valid URL ({error}); fix --appium-url "
                          "(APPIUM_URL).") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"Appium URL {redact_url(url)!r} is not an http(s) URL like {DEFAULT_APPIUM_URL} "
                          f"(or '{LOCAL_APPIUM}' to start one, '{LOCAL_GRID}' to start a Selenium Grid).")
    return url.rstrip("/")


def load_run_config(
    target: str | None = None,
    world: str | None = None,
    appium_url: str | None = None,
    caps: str | None = None,
    udid: str | None = None,
    account: str | None = None,
    step_screenshots: bool | None = None,
    env: Mapping[str, str] | None = None,
    language: str | None = None,
    known_languages: Collection[str] | None = None,
    video: str | None = None,
) -> RunConfig:
    """Resolve the run from options (first), environment variables, then the profile.

    An option given empty is refused, an environment variable set empty counts as unset (`option_value`);
    `known_languages` (the languages the pages' wordings have) is what --language may name.
    """
    env = os.environ if env is None else env
    target = option_value(target, "--target", "PROMO_TARGET", env) or "sim"
    if target not in TARGETS:
        raise ConfigError(f"Unknown target {target!r}: choose sim or appium (--target or PROMO_TARGET).")
    url_given = appium_url is not None
    caps = option_value(caps, "--caps", "PROMO_CAPS", env)
    world = option_value(world, "--world", "PROMO_WORLD", env)
    appium_url = option_value(appium_url, "--appium-url", "APPIUM_URL", env)
    if target == "sim" and url_given:  # the option only: a shell's APPIUM_URL may be there for other runs
        raise ConfigError("--appium-url is for --target appium; the virtual device (--target sim) runs in-process.")
    udid = option_value(udid, "--udid", "PROMO_UDID", env)
    account = option_value(account, "--account", "PROMO_ACCOUNT", env)
    language = option_value(language, "--language", "PROMO_LANGUAGE", env)
    if account is not None and not account.lstrip("@"):
        raise ConfigError(f"--account (PROMO_ACCOUNT) {account!r} names no username; give it as @name or name.")
    language = check_language(language, known_languages)
    video = check_video(option_value(video, "--video", "PROMO_VIDEO", env))
    path, profile = load_profile(caps or DEFAULT_PROFILES[target], env)
    virtual = target == "sim" or profile.is_virtual
    if virtual:
        world = check_world(world or profile.world or profile.capabilities.get("sim:world") or "default")
    elif world:
        raise ConfigError(f"--world (PROMO_WORLD) picks a virtual-device world; the profile {path.stem} drives "
                          "a real device.")
    url = None
    local = grid = False
    if target == "appium":
        wanted = (appium_url or profile.appium_url or DEFAULT_APPIUM_URL).strip()
        local = wanted.lower() == LOCAL_APPIUM
        grid = wanted.lower() == LOCAL_GRID
        url = None if local or grid else _check_url(wanted)
    if step_screenshots is None:
        step_screenshots = env_flag(env, "PROMO_STEP_SCREENSHOTS", True)
    account = (account or profile.account or "").strip().lstrip("@") or None
    return RunConfig(
        target=target,
        profile_path=path,
        profile=profile,
        world=world,
        appium_url=url,
        udid=udid,
        account=account,
        step_screenshots=step_screenshots,
        local_appium=local,
        local_grid=grid,
        language=language,
        video=video,
    )


def check_video(value: str | None) -> str | None:
    """A --video (PROMO_VIDEO) value, one of VIDEO_MODES (case aside); None when not given."""
    if value is None:
        return None
    mode = value.strip().lower()
    if mode not in VIDEO_MODES:
        raise ConfigError(f"--video (PROMO_VIDEO) {value[:40]!r} is not one of {', '.join(VIDEO_MODES)}.")
    return mode


def check_language(language: str | None, known: Collection[str] | None = None) -> str | None:
    """A language or locale as a person gives it ('fr', 'fr_FR', 'fr-FR'), normalised to 'fr_FR'; None: not given.

    With `known` (the languages the wordings have), a language none of them has is refused: the harness
    could not read a single word of that app, and every wait would end in "did not show".
    """
    if language is None or not language.strip():
        return None
    check_text(language, "--language (PROMO_LANGUAGE)")
    wanted = language.strip().replace("-", "_")
    if not _LANGUAGE.fullmatch(wanted):
        raise ConfigError(f"--language (PROMO_LANGUAGE) {language!r} is not a language like en, fr or fr_FR.")
    head, _, region = wanted.partition("_")
    if known is not None and head.lower() not in known:
        raise ConfigError(f"--language (PROMO_LANGUAGE) {language!r} is not a language the app's wordings have "
                          f"(releases/ has {', '.join(sorted(known))}).")
    return head.lower() + (f"_{region.upper()}" if region else "")


def check_reachable(url: str, timeout: float = REACHABLE_TIMEOUT) -> None:
    """Fail fast, in one sentence, when nothing answers at the Appium URL (any HTTP answer will do)."""
    parts = urlsplit(url)
    status_url = urlunsplit((parts.scheme, urlsplit(redact_url(url)).netloc, parts.path.rstrip("/") + "/status",
                             "", ""))
    try:
        with urllib.request.urlopen(status_url, timeout=timeout):
            return
    except urllib.error.HTTPError:
        return  # it answered, even if not with 200: something is listening
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            reason = f"no answer within {timeout:g} s"
        raise ConfigError(
            f"Nothing answers at the Appium URL {redact_url(url)} ({reason}); start Appium or fix --appium-url "
            "(APPIUM_URL)."
        ) from None
