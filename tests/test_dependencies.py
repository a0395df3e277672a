"""The lock file (README, "Dependencies") pins every dependency ``pyproject.toml`` names, at a
version inside its range: ``dev.py`` and CI install the lock, so a dependency added to the
project but not to the lock would be missing on a fresh machine."""

import re
import tomllib

from django.conf import settings

ROOT = settings.BASE_DIR


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def locked():
    text = (ROOT / "requirements.lock").read_text()
    return {normalise(n): v for n, v in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)}


def declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    for requirement in requirements:
        name, constraints = re.match(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?(.*)", requirement).groups()
        yield normalise(name), [c.strip() for c in constraints.split(",") if c.strip()]


def version(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def satisfies(pinned, constraint):
    operator, bound = re.match(r"(>=|<=|==|<|>)\s*(\S+)", constraint).groups()
    have, want = version(pinned), version(bound)
    width = max(len(have), len(want))
    have, want = have + (0,) * (width - len(have)), want + (0,) * (width - len(want))
    return {
        ">=": have >= want,
        "<=": have <= want,
        "==": have == want,
        "<": have < want,
        ">": have > want,
    }[operator]


def test_every_declared_dependency_is_locked_within_its_range():
    pins = locked()
    for name, constraints in declared():
        assert name in pins, f"{name} is in pyproject.toml but not in requirements.lock"
        for constraint in constraints:
            assert satisfies(pins[name], constraint), f"{name}=={pins[name]} breaks {constraint}"


def test_runtime_dependencies_have_an_upper_bound_on_their_major_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    calendar_versioned = {"drf-spectacular-sidecar"}
    for requirement in project["dependencies"]:
        name = normalise(re.match(r"[A-Za-z0-9_.-]+", requirement).group())
        if name not in calendar_versioned:
            assert "<" in requirement, f"{requirement} has no upper bound"


def test_holidays_is_pinned_to_one_minor_release():
    # A new release of the holiday calendar can move a withdrawal report's due date (R5).
    pins = locked()
    (constraints,) = [c for n, c in declared() if n == "holidays"]
    low = next(c for c in constraints if c.startswith(">="))
    high = next(c for c in constraints if c.startswith("<"))
    assert version(low)[:2] == version(pins["holidays"])[:2]
    assert version(high)[1] == version(low)[1] + 1
