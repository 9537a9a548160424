"""The report's flow picture: tonnes by stage and country pair, one fixed colour per country."""

from __future__ import annotations

import pandas as pd

from planner.flowpicture import country_colour, flow_picture, stage_flows

STAGE = {"CONC": "concentrate", "OX": "oxide", "MAG": "magnet", "BLANK": "other"}


def flows() -> pd.DataFrame:
    rows = [
        ("S1", "CONC", "AU", "MY", 100.0),
        ("S1", "OX", "MY", "JP", 20.0),
        ("S1", "OX", "MY", "JP", 5.0),
        ("S1", "MAG", "CN", "US", 30.0),
        ("S1", "MAG", "JP", "US", 10.0),
        ("S1", "BLANK", "JP", "US", 99.0),  # not a chain stage: left out
        ("S2", "MAG", "CN", "US", 0.0),  # nothing shipped: left out
    ]
    return pd.DataFrame(
        rows, columns=["scenario", "product", "origin_country", "destination_country", "quantity"]
    )


def test_stage_flows_sum_tonnes_per_stage_and_country_pair() -> None:
    g = stage_flows(flows(), STAGE, "S1").set_index(["stage", "origin_country", "destination_country"])
    assert g["quantity"].to_dict() == {
        ("concentrate", "AU", "MY"): 100.0,
        ("magnet", "CN", "US"): 30.0,
        ("magnet", "JP", "US"): 10.0,
        ("oxide", "MY", "JP"): 25.0,
    }
    assert stage_flows(flows(), STAGE, "S2").empty


def test_country_colours_do_not_depend_on_rank() -> None:
    assert country_colour("CN") == "#d62728"
    assert country_colour("ZZ") == country_colour("ZZ")


def test_picture_is_a_png() -> None:
    png = flow_picture(flows(), STAGE, ["S1", "S2"], ["calm", "nothing shipped"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 5_000
