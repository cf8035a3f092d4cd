"""Every screen rendered in Amazon's open-source APL engine (apl-viewhost-web with apl-core,
in headless Chromium, offline) for five locales on five Echo device profiles, and checked
with apl-suggester: no render error, no component bigger than its parent (clipped on the
device), no finding.

The renderer is the shared one (../shared/tools/apl-render), installed by `.ci/run` into
APL_RENDER_DIR (see scripts/screens.py). Without it these tests skip and say why, except
in CI (CI=true), where they must run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.screens import (
    DEVICES,
    Rendered,
    Sample,
    problems,
    render_all,
    renderer_dir,
    renderer_installed,
    samples,
    validate,
)

pytestmark = pytest.mark.apl_render
SAMPLES = {s.name: s for s in samples()}


def require_renderer() -> None:
    if renderer_installed():
        return
    why = (
        f"the APL renderer is not installed in {renderer_dir()}: run "
        f"`bash ../shared/tools/apl-render/setup.sh {renderer_dir()}` (as .ci/run does)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Rendered]]:
    """Every sample on every device, rendered once for the module (several at a time)."""
    require_renderer()
    out: Path = tmp_path_factory.mktemp("renders")
    yield {r.sample.name: r for r in render_all(SAMPLES.values(), out)}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_screen_renders_on_every_device_without_clipping(
    rendered: dict[str, Rendered], name: str
) -> None:
    result = rendered[name]
    assert problems(result) == []
    assert sorted(result.report["devices"]) == sorted(DEVICES)
    for device in DEVICES:
        assert (result.folder / f"{device}.png").stat().st_size > 0, device
    assert result.report["lang"] == result.sample.locale
    rtl = "RTL" if result.sample.locale.startswith("ar") else "LTR"
    assert result.report["layoutDirection"] == rtl


def one_per_screen_and_locale() -> list[Sample]:
    return [s for s in SAMPLES.values() if s.name.count("-") == 2]


@pytest.mark.parametrize("sample", one_per_screen_and_locale(), ids=lambda s: s.name)
def test_apl_suggester_finds_nothing(sample: Sample, tmp_path: Path) -> None:
    require_renderer()
    assert validate(sample, tmp_path) == []
