"""Chart geometry (pure): gauges, bars and lines as the templates draw them."""

from decimal import Decimal

from motcua.dashboards import charts


def test_a_gauge_arc_ends_where_the_value_is():
    half = charts.gauge(Decimal(10), Decimal(20))
    assert half.fraction == 0.5
    assert half.arc.endswith("50.00 10.00")  # straight up: half of the half circle
    full = charts.gauge(30, 20)
    assert full.fraction == 1.0
    assert full.arc.endswith("90.00 50.00")
    assert charts.gauge(0, 20).arc == ""
    no_data = charts.gauge(None, 20)
    assert no_data.fraction is None
    assert no_data.arc == ""
    assert no_data.track.startswith("M 10.00 50.00")
    assert charts.gauge(5, 0).fraction is None  # a group with nothing reachable: no data


def test_bars_scale_to_the_maximum_and_keep_their_texts():
    bars = charts.bars([("A", 50.0, "50", "Trung bình"), ("B", None, "no data", ""), ("C", 150.0, "150", "")])
    assert [b.width for b in bars] == [50.0, 0.0, 100.0]
    assert [b.y for b in bars] == [0.0, 28.0, 56.0]
    assert bars[0].px == 150.0
    assert bars[0].text_x == 356.0
    assert bars[1].text == "no data"


def test_a_line_breaks_where_there_is_no_data_and_labels_at_most_twelve_points():
    chart = charts.line([("a", 0.0, "0"), ("b", None, ""), ("c", 100.0, "100"), ("d", 50.0, "50")])
    assert chart.path.count("M") == 2  # the gap at "b" lifts the pen
    assert chart.points[0].y == 170.0  # 0 at the bottom of the plot
    assert chart.points[2].y == 20.0  # 100 at the top
    many = charts.line([(str(n), float(n), str(n)) for n in range(26)])
    assert sum(p.show_label for p in many.points) <= 14
    assert many.points[-1].show_label
