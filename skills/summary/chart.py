"""The weekly summary's chart: reports per category, this week against last, as a PNG.

Drawn on a bare ``Figure``, which renders with the Agg backend and never touches pyplot's
global state or a display. Japanese and Chinese labels need a CJK font;
when none is installed (``fonts-noto-cjk`` provides one) the chart's labels fall back to
English, while the message and the chart's alt text stay in the tenant's language.
"""

import io
from dataclasses import dataclass
from functools import cache

from skills.reports.categories import category
from skills.text.i18n import Translator, translator

CJK_FONTS = ("Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans")
NEEDS_CJK = {"ja", "zh-Hant"}


@dataclass(frozen=True)
class Chart:
    """An image to attach, with the text that describes it to people who cannot see it."""

    png: bytes
    filename: str
    title: str
    alt_text: str


def weekly_chart(
    t: Translator, this_week: dict[str, int], last_week: dict[str, int], title: str
) -> Chart:
    """A horizontal bar per category reported in either week, this week beside last."""
    # Imported here, not at the top: matplotlib (with numpy) adds about 35 MB and seconds of
    # start-up, which the serving process should not carry until a summary is rendered.
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    keys = sorted(set(this_week) | set(last_week), key=lambda key: (-this_week.get(key, 0), key))
    fonts = _installed_cjk_fonts()
    labeller = t if t.language not in NEEDS_CJK or fonts else translator("en")
    labels = [category(key).label(labeller) for key in keys]
    # One call per string: Babel's extractor does not look inside another call's arguments.
    details = [
        t._(
            "{category}: {now} this week, {before} last week.",
            category=category(key).label(t),
            now=t.number(this_week.get(key, 0)),
            before=t.number(last_week.get(key, 0)),
        )
        for key in keys
    ]
    summary = t.sentences(details) or t._("No reports in either week.")
    alt_text = t._("Bar chart of reports by category. {details}", details=summary)
    with rc_context({"font.family": [*fonts, "DejaVu Sans"]}):
        figure = Figure(figsize=(7, 1.2 + 0.45 * max(len(keys), 1)), dpi=100)
        axes = figure.subplots()
        rows = range(len(keys))
        before = [last_week.get(key, 0) for key in keys]
        now = [this_week.get(key, 0) for key in keys]
        last_label, this_label = labeller._("Last week"), labeller._("This week")
        axes.barh([row + 0.2 for row in rows], before, 0.4, label=last_label, color="#b0b7c3")
        axes.barh([row - 0.2 for row in rows], now, 0.4, label=this_label, color="#f2b705")
        axes.set_yticks(list(rows), labels)
        axes.invert_yaxis()
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_title(labeller._("Reports by category"))
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2, frameon=False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return Chart(buffer.getvalue(), "yellowcard-weekly-summary.png", title, alt_text)


@cache
def _installed_cjk_fonts() -> list[str]:
    # Imported here for the reason ``weekly_chart`` gives.
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in installed]
