"""Server-side SVG charts: valid XML, accessible, escaped, and faithful to the numbers."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from django.utils import translation

from config.charts import bar_chart, heat_map, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def test_a_bar_chart_is_an_accessible_image_with_one_bar_per_label():
    root = parse(
        bar_chart(
            title="Contributions by sector",
            labels=["Private", "Community"],
            values=[Decimal("1500000"), Decimal("250000")],
            unit="BRL",
        )
    )
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Contributions by sector"
    desc = root.find(f"{SVG}desc").text
    assert "Private: 1.5M BRL" in desc
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 2
    widths = [float(bar.get("width")) for bar in bars]
    assert abs(widths[0] - 6 * widths[1]) < 1


def test_labels_are_escaped():
    root = parse(bar_chart(title="<script>", labels=["A & B <x>"], values=[3]))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "A & B <x>" in texts  # parsed back from escaped markup
    assert root.find(f"{SVG}title").text == "<script>"


def test_a_line_chart_draws_each_series_and_leaves_gaps_for_missing_years():
    root = parse(
        line_chart(
            title="Fiscal trend",
            x_labels=["2013", "2014", "2015", "2016"],
            series=[
                ("Revenue", [100, 120, None, 150]),
                ("Investment", [10, 12, 14, 16]),
            ],
        )
    )
    lines = root.findall(f"{SVG}polyline")
    # Revenue breaks into one drawable segment (2013-2014) plus a lone point; Investment is whole.
    assert len(lines) == 2
    assert len(root.findall(f"{SVG}circle")) == 7


def test_the_heat_map_puts_counts_in_their_cells_with_high_impact_on_top():
    root = parse(heat_map(title="Risks", counts={(5, 5): 2, (1, 1): 1}, x_label="L", y_label="I"))
    cells = root.findall(f"{SVG}rect")
    assert len(cells) == 25
    numbers = {t.text for t in root.iter(f"{SVG}text")}
    assert {"2", "1"} <= numbers
    worst = [c for c in cells if c.get("fill") == "#b3261e"]
    assert worst  # the 5 × 5 corner is red
    assert min(float(c.get("y")) for c in worst) == 12  # drawn in the top row


def test_numbers_follow_the_active_language():
    with translation.override("pt-br"):
        root = parse(bar_chart(title="t", labels=["x"], values=[Decimal("1234.5")]))
    assert "1.234,5" in root.find(f"{SVG}desc").text


def test_empty_charts_say_so():
    root = parse(bar_chart(title="t", labels=[], values=[]))
    assert "No data yet" in [t.text for t in root.iter(f"{SVG}text")]
