"""The five-scenario network that was the published example until 2026-11-29 (regression data).

It optimises the whole world's chain, China included, at production cost, with 2025 scenarios:
issue #12 replaced it as ``inputs/example.xlsx`` by the buyer's-seat network of
``inputs/example/``. It stays as a mid-size regression network whose recorded optimum and
stress results guard planner's features (stress, days-of-cover curve, status-quo shares); the
tests build it in a temporary folder.

Former description follows.

Build ``inputs/example.xlsx``: today's rare-earth magnet network under Chinese export-licence risk.

Run ``python -m tests.regression.legacy_network`` from the repository root. The script builds every
sheet as Python records (the tables below), validates them with :func:`planner.validate.validate`
and writes the workbook atomically. Variants::

    python -m tests.regression.legacy_network                         # inputs/example.xlsx (5 licence scenarios)
    python -m tests.regression.legacy_network --status-quo out.xlsx   # 2025 status quo: one scenario, no licences
    python -m tests.regression.legacy_network --myanmar out.xlsx      # the example + Myanmar disruption what-if
    python -m tests.regression.legacy_network --status-quo --myanmar out.xlsx

Every figure comes from ``shared/data/rare_earth_facts.md`` (cited as "facts §x.y" plus the
§13 source key) or is tagged ``assumption`` with confidence ``A``. A row's ``confidence`` is
the weakest tag among the figures in that row; its ``source`` says which figure comes from where.

Network design
--------------
Mines and recyclers -> separation refineries -> metal/alloy plants -> magnet plants -> demand
regions, quarterly from 2026Q4 for 16 quarters (to 2030Q3). All quantities in tonnes, all money
in US$ (prices in $/kg x 1000 = $/t).

* **Concentrates are per source** (``CONC_<source>``, t REO) and each refinery runs one
  separation recipe per feed (``SEP_<refinery>_<source>``), so the sourced or assumed NdPr and
  Dy/Tb fractions of every source (facts §11.2) are kept exactly, rather than averaged into a few
  ore types. Separation gives NdPr oxide (fraction x 0.95 recovery) and a heavy-RE (SEG+)
  concentrate ``HRE_CONC`` counted in **t of Dy+Tb oxide contained**, so heavy concentrate from
  any source is fungible. Only refineries with a heavy circuit (``HSEP_<refinery>``, capacity in
  t Dy+Tb contained, 0.85 recovery) turn it into ``DYTB_OX``; elsewhere it can be discarded at no
  cost (as Lynas and MP did before their heavy circuits). Bayan Obo and Sichuan/Shandong are one
  light source (``M_CN_L``, weighted fractions) because both feed the same Baotou separation.
* A refinery's capacity is per feed circuit (the model has no capacity shared between processes).
  Where a refinery takes one feed this is its published capacity; the Ganzhou complex (S_CN_S)
  takes five feeds whose combined tonnage (< 60 kt) cannot reach its 84 kt, so each circuit
  carries the full 84 kt.
* **Metal is split** into ``NDPR_MET`` and ``DYTB_MET`` so Dy/Tb metal can be licence-controlled
  while NdPr metal is not (facts §11.7). Oxide -> metal: 1.21 t NdPr oxide and 1.19 t Dy/Tb oxide
  per t metal (stoichiometry / 0.97, facts §4.3).
* **Magnets in two products**: ``MAG_ND`` (Dy/Tb-free NdFeB, not covered by Announcement No. 18)
  and ``MAG_HT`` (high-coercivity grade with Dy/Tb, covered). A magnet plant sinters blanks
  (``MAKE_<plant>``: 0.30 t NdPr metal per t, the plant's capacity), which are sold as MAG_ND or
  upgraded to MAG_HT with Dy/Tb by one of two alternative recipes: ``HT_STD`` (0.02 t Dy/Tb metal)
  or grain-boundary diffusion ``HT_GBD_<plant>`` (0.01 t, +$2.5/kg, limited GBD capacity). This
  keeps one shared sintering capacity per plant. 53% of every region's demand needs MAG_HT
  (EV 35% + wind 15% + defence 3%, facts §11.6), which gives a fleet average of ~1% Dy+Tb (§11.10).
* **MP Materials' NdPr oxide** enters through the DoD price-floor contracts at $110/kg (a
  black box for the Mountain Pass mine and its light separation; see ``CONTRACTS``): the model
  has no sales contracts, so a floor can only be a purchase price, and keeping MP's mine and
  separation as processes as well would count the same oxide twice. The paid minimum ("pay") is
  MP's 2025 output. MP's heavy circuit is a process fed by a heavy-feed contract.
* **Costs** are production costs (mining, separation, conversion, magnet making), freight,
  US duties (Section 301: 25% on Chinese magnets; 5% on RE metal), holding, capital charges and
  shortage penalties ($500/kg; $1,000/kg for defence). Transit times are all under half a
  quarter, so every lane has transit_periods 0.
* **Growth**: demand grows by region (facts §11.6), stepping each January (a quarter holds a
  quarter of its calendar year's demand). Chinese mining starts from USGS-MCS26's 2025e 270 kt
  grown one year at the 2024 quota growth (+5.9%) and, with Chinese recycling, grows 7%/yr through
  zero-cost capacity options available each January (the workbook has no per-period base
  capacity profile; a free option is always taken). Chinese separation, metal and magnet
  capacity has headroom over 2024 output; the binding Chinese limit is the mining quota.
* **New capacity** (MP 10X and its metal line, Vulcan, USA Rare Earth, Neo Narva phase 2,
  Solvay, LCM Lacq, KSM, Mt Weld, Serra Verde, the Lynas heavy plant; the Saudi JV as a
  candidate site) is decided now and available from its announced date. MP 10X, its metal line
  and Vulcan come in 3, 3 and 4 equal phases (integer modules). Capex is charged as a capital
  charge (8%, 20 years: capital recovery factor 0.1019/yr) per quarter once available, so a
  4-year horizon does not bear a 20-year asset's full cost. **Iluka Eneabba is treated as
  committed** (funded by an A$1.65 bn government loan, completion 2027, facts §2.2): it is a
  scheduled site from 2027Q4, not a decision. (As a candidate site the LP opened 20% of it and
  the MIP needed ~45 s instead of ~5 s to close the gap.)
* **Stockpiles** in importing regions: magnets at demand sites (opening stock 9 weeks of
  demand), Dy/Tb oxide and metal and NdPr metal at Western metal and magnet plants, holding cost
  10%/yr of value. US National Defense Stockpile: 300 t NdPr oxide and 450 t magnets. No cover
  targets (the Inventory sheet can add them).
* **Qualification**: MAG_HT to new Western customers needs a qualified lane ($5 M, two
  quarters): Japanese plants beyond their existing 1,000 t/yr each to the US and the EU,
  Vietnamese and Korean plants to the US and the EU, European plants to the US. Dy/Tb-free
  MAG_ND ships on unqualified lanes.
* **Japanese buyers** take at most 40% of their magnets from China (SourcingRules), so
  Japanese plants run at their historical level; without it a cost-minimising plan would move
  all Japanese production to China.
* **Licence scenarios** SC1-SC5 (facts §11.9) revealed in 2027Q1, the first quarter after the
  suspension (No. 70) lapses on 10 Nov 2026; 2026Q4 is the here-and-now quarter. Rules:

  - ``R18_ALL``: No. 18 as applied with general licences (Dy/Tb oxide, Dy/Tb metal, MAG_HT to
    every other country): 95% approved, no delay. SC2: 50% and one quarter delay for 2027Q1-Q2.
    SC5: 90% from 2027Q1 (the extra month of civil delay is below the quarterly resolution).
  - ``R18_WEST``: the same items to WEST (US, EU countries, GB, JP, KR), 2027: approved in full
    except SC3 and SC4 (0%).
  - ``RX_WEST``: NdPr metal and MAG_ND to WEST, 2027: 0% in SC4 only (NdPr oxide still flows).
  - ``R61``: the 0.1% content rule (Dy/Tb metal and magnets made outside China with Chinese
    content, to WEST), 2027: approval 1 except SC4 (50% after one quarter).
  - ``RDEF``: MAG_HT for defence end users (site D_US_DEF): 0% in SC5 from 2027Q1.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from planner.io.excel_writer import write_input_workbook
from planner.tables import InputData, from_records
from planner.validate import count, validate

HERE = Path(__file__).resolve().parents[2] / "inputs"
DEFAULT_OUT = Path("legacy_network.xlsx")

Records = dict[str, list[dict[str, Any]]]

# ---------------------------------------------------------------------------------------------
# provenance

ASSUMPTION = "assumption"
FACTS = "rare_earth_facts.md"

SRC = {  # source keys of facts §13, with the section of the fact sheet that quotes them
    "mcs26": "USGS-MCS26 (facts §1.1)",
    "quota": "China quotas: Reuters via OEDigital 2024-08-20 (facts §1.3)",
    "mp": "MP Materials: SEC 8-K/10-K, FY2025 via Nasdaq (facts §2.2)",
    "mp_tree": "MP Materials 10-K FY2021 TREO distribution (facts §1.3)",
    "mp_heavy": "MP Materials heavy circuit: Metalnomist 2026-01 (facts §2.2)",
    "mp_floor": "MP Materials/DoD: defence-industry.eu; FAS 2025-07-15 (facts §5.2)",
    "mp10x": "MP 10X: defence-industry.eu; Metal Tech News 2025-07 (facts §3.3)",
    "lynas": "Lynas: Fastmarkets 2024-06-27; Australian Mining 2025-05-16 (facts §2.2)",
    "lynas_heavy": "Lynas: Fastmarkets; Magnetics Magazine 2025-05-16; Malay Mail 2025-10-29 (facts §2.2)",
    "ef": "Energy Fuels: Engineering News 2024-06-11 (facts §2.2)",
    "neo": "Neo: Argus 2024 (facts §2.2, §3.3)",
    "solvay": "Solvay: SEAISI/Kallanish 2025-04-09; 24brussels (facts §2.2)",
    "iluka": "Iluka: Mining Magazine; marinecare/ASX (facts §2.2)",
    "sv": "Serra Verde: mining.com; USGS-MCS26 heavy, DFC loan (facts §1.3)",
    "maaden": "Maaden JV: Zawya 2025-11-19 (facts §2.2)",
    "lcm": "LCM: MMTA interview; Fastmarkets 2025-05-20 (facts §3.2)",
    "ksm": "ASM/KSM: Argus 2022 (facts §3.2)",
    "japan_alloy": "Adamas (Japan 2020 alloy output) (facts §3.2)",
    "smm": "Magnets: SMM 2024-06-05 (facts §3.1)",
    "argus_jp": "Magnets: Argus 2023-01-03 (facts §3.1)",
    "sgi": "Magnets: Reuters via baochinhphu 2023 (SGI Vina) (facts §3.3)",
    "seonglim": "Magnets: Argus (Seonglim, MOTIE) (facts §3.3)",
    "us_magnets": "Magnets: MP 8-K; Noveon; minelistings (USA Rare Earth); Fastmarkets (eVAC) (facts §3.3)",
    "vulcan": "Vulcan: PR Newswire 2025-11-03 (facts §3.3)",
    "usar": "USA Rare Earth: minelistings (facts §3.3)",
    "intens": "Intensities: Heim & Vander Wal 2023; manufacturers (facts §4.1, §4.3)",
    "recycling": "Recycling: Argus 2025 via ScrapInsight (facts §8)",
    "prices": "Prices: USGS-MCS26 (Argus averages) (facts §5.1)",
    "price_ratio": "Prices: Fastmarkets 2024-06-20; junmaterial (facts §5.2)",
    "price_conc": "China Northern concentrate price Q3 2025 via xuedehao (facts §1.3)",
    "magnet_price": "Magnets: Adamas exports 2024; Reuters 2025-07-01 premiums (facts §5.3)",
    "no18": "Export controls: No. 18 (Holland & Knight 2025-04-04) (facts §6.1)",
    "no61": "Export controls: No. 61 (sscollege.cn) (facts §6.1)",
    "no70": "Export controls: No. 70 suspension (chemradar; rawmaterials.net) (facts §6.1)",
    "clepa": "Export controls: CLEPA via Reuters 2025-06-04; 45 working days via ckhq (facts §6.2)",
    "tariff": "Section 301: USTR 2024-09-13; NTR duties: USGS-MCS26 (facts §6.4)",
    "stock_us": "Stockpiles: USGS-MCS26 (NDS FY2025 potential acquisitions) (facts §7)",
    "stock_jp": "Stockpiles: JOGMEC via IEA policy database (facts §7)",
    "stock_ind": "Stockpiles: CLEPA via Reuters 2025-06 (industry inventory) (facts §7, §11.8)",
    "freight": "Freight: Drewry WCI via Shipping Telegraph (facts §9)",
    "demand_eu": "Demand: ERMA via Reuters (Andy Home) (facts §10)",
    "demand_kr": "Demand: Argus 2023 (MOTIE) (facts §10)",
    "growth": "Demand growth: Adamas via Recycling Today; IEA GCMO 2025 via Statista (facts §10)",
    "myanmar": "Myanmar: CNBC/CSIS via realtribune (facts §1.3, §11.9)",
}

_WEAKNESS = {"S": 0, "S2": 1, "D": 2, "A": 3, "U": 4}


def prov(*parts: tuple[str, str]) -> dict[str, str]:
    """Provenance of one row from (text, tag) parts; the row's confidence is the weakest tag."""
    tags = [tag for _, tag in parts]
    weakest = max(tags, key=_WEAKNESS.__getitem__)
    text = "; ".join(f"{t} [{tag}]" for t, tag in parts)
    return {"source": text, "confidence": weakest}


def assumed(note: str = "") -> dict[str, str]:
    """Provenance of a row that is an assumption for the example."""
    return {"source": ASSUMPTION + (f": {note}" if note else ""), "confidence": "A"}


# ---------------------------------------------------------------------------------------------
# time and money conventions

FIRST_YEAR, FIRST_QUARTER, N_PERIODS = 2026, 4, 16
PERIOD_DAYS = 91.25
QUARTERS_PER_YEAR = 4
REVEAL_PERIOD = "2027Q1"  # first quarter after the No. 70 suspension lapses (10 Nov 2026)
DISCOUNT_RATE = 0.08  # assumption: also the WACC of the capital charge
CAPITAL_RECOVERY = DISCOUNT_RATE / (1 - (1 + DISCOUNT_RATE) ** -20)  # 20-year life: 0.1019/yr
HOLDING_RATE = 0.10  # holding cost per year as a share of product value (facts §11.8 [A])
SHORTAGE_PENALTY = 500_000.0  # $/t magnet = $500/kg (facts §11.8 [A])
DEFENCE_PENALTY = 1_000_000.0  # assumption: defence demand served first
SEP_RECOVERY_NDPR = 0.95  # facts §4.3: 90-95% [A]
HSEP_RECOVERY = 0.85  # facts §11.1 [A]
NDPR_OX_PER_MET = 1.21  # facts §4.3 / §11.1 [D]
DYTB_OX_PER_MET = 1.19
NDPR_MET_PER_MAG = 0.30  # RE content 29-32.5% with in-house scrap re-melted (facts §4.1, §11.1)
DYTB_MET_STD = 0.02  # high-coercivity grade (EV/wind/defence), facts §11.10 [A]
DYTB_MET_GBD = 0.01  # grain-boundary diffusion halves heavy-RE use [A]
GBD_EXTRA_COST = 2_500.0  # +$2.5/kg, ~5% of $49/kg (facts §11.1 [A])
HT_SHARE = 0.53  # EV 35% + wind 15% + defence 3% of demand (facts §11.6 [A])
OPENING_COVER_DAYS = 63  # 9 weeks of demand held by importers (facts §11.8: 8-10 weeks [A])
CN_GROWTH = 0.07  # Chinese mining and recycling growth per year [A] (2024 quota +5.9% [S])
QUALIFICATION_COST = 5_000_000.0  # automotive supplier qualification [A]
QUALIFICATION_QUARTERS = 2  # 6 months (PPAP) [A]


def period_ids() -> list[str]:
    """2026Q4, 2027Q1, ... (N_PERIODS quarters)."""
    out, y, q = [], FIRST_YEAR, FIRST_QUARTER
    for _ in range(N_PERIODS):
        out.append(f"{y}Q{q}")
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


PERIODS = period_ids()
LAST_PERIOD = PERIODS[-1]


def quarterly(per_year: float) -> float:
    """Annual tonnage -> per quarter."""
    return per_year / QUARTERS_PER_YEAR


def capital_charge(capex: float) -> float:
    """Capital charge per quarter of a one-off investment (8%, 20 years)."""
    return round(capex * CAPITAL_RECOVERY / QUARTERS_PER_YEAR, -3)


# ---------------------------------------------------------------------------------------------
# products: id, name, stage, value $/t, disposal $/t (None = cannot be discarded), provenance

CONC_VALUE = 5_300.0  # $/t REO: China Northern concentrate, Q3 2025 (facts §1.3 [S2]/[D])
PRODUCTS = [
    (
        "HRE_CONC",
        "Heavy-RE (SEG+) concentrate, t Dy+Tb oxide contained",
        "concentrate",
        200_000,
        0.0,
        assumed(
            "value ~half of Dy/Tb oxide; free to discard where no heavy circuit runs (as Lynas/MP before 2025)"
        ),
    ),
    (
        "NDPR_OX",
        "NdPr oxide (Nd75:Pr25)",
        "oxide",
        69_000,
        None,
        prov(
            (SRC["prices"] + ": $69/kg 2025e", "S"),
        ),
    ),
    (
        "DYTB_OX",
        "Dy+Tb oxide (3:1)",
        "oxide",
        432_000,
        None,
        prov(
            ("(3 x $239 + $1,010)/4 per kg from " + SRC["prices"], "D"),
        ),
    ),
    (
        "NDPR_MET",
        "NdPr metal",
        "metal",
        85_000,
        None,
        prov(
            ("NdPr oxide value x 1.23 metal/oxide price ratio, " + SRC["price_ratio"], "D"),
        ),
    ),
    (
        "DYTB_MET",
        "Dy/Tb metal and DyFe alloy (Dy/Tb content)",
        "metal",
        530_000,
        None,
        prov(
            ("Dy/Tb oxide value x 1.23, " + SRC["price_ratio"], "D"),
        ),
    ),
    (
        "MAG_ND",
        "Sintered NdFeB magnet, Dy/Tb-free grade",
        "magnet",
        45_000,
        None,
        prov(("around $49/kg China export average 2024, " + SRC["magnet_price"], "D"), ("grade split", "A")),
    ),
    (
        "MAG_HT",
        "Sintered NdFeB magnet, high-coercivity grade with Dy/Tb",
        "magnet",
        55_000,
        None,
        prov(("around $49/kg China export average 2024, " + SRC["magnet_price"], "D"), ("grade split", "A")),
    ),
]

# ---------------------------------------------------------------------------------------------
# sources: concentrate id, site, name, country, t REO/yr, NdPr share of TREO, Dy+Tb share, mining
# cost $/t REO, provenance. Fractions other than Mountain Pass are assumptions (facts §12).

CN_MINING_2026 = (
    286_000  # USGS-MCS26 2025e 270 kt x 1.059 (2024 quota growth) [D]; split 250:20 light:ionic [A]
)
CN_IONIC_2026 = 21_000
MINES = [
    (
        "CONC_CN_L",
        "M_CN_L",
        "Bayan Obo + Sichuan/Shandong bastnasite (light)",
        "CN",
        CN_MINING_2026 - CN_IONIC_2026,
        0.192,
        0.0017,
        3_500,
        prov(
            (SRC["mcs26"] + ": China 270 kt 2025e; + 5.9%/yr as the 2024 quota (" + SRC["quota"] + ")", "D"),
            (
                "split 250:20 light/ionic; NdPr 19.2%, Dy+Tb 0.17% = facts §11.2 weighted 180 kt@20% + 70 kt@17%",
                "A",
            ),
            ("cost $3,500/t REO (facts §11.2)", "A"),
        ),
    ),
    (
        "CONC_CN_S",
        "M_CN_S",
        "South China ionic clays",
        "CN",
        CN_IONIC_2026,
        0.25,
        0.05,
        6_000,
        prov(
            (SRC["mcs26"] + " 2025e x 1.059", "D"), ("ionic share 20/270, fractions, cost (facts §11.2)", "A")
        ),
    ),
    (
        "CONC_MM",
        "M_MM",
        "Myanmar Kachin/Shan ionic clays",
        "MM",
        22_000,
        0.22,
        0.05,
        5_000,
        prov((SRC["mcs26"] + ": 22,000 t 2025e", "S"), ("fractions, cost (facts §11.2)", "A")),
    ),
    (
        "CONC_SEA",
        "M_SEA",
        "Thailand/Laos/Malaysia clays and sands",
        "TH",
        5_000,
        0.20,
        0.03,
        5_000,
        prov((SRC["mcs26"] + ": Thailand 4,800 + Malaysia 110 t", "S"), ("fractions, cost", "A")),
    ),
    (
        "CONC_AFR",
        "M_AFR",
        "Madagascar + Nigeria",
        "MG",
        4_200,
        0.20,
        0.01,
        5_000,
        prov((SRC["mcs26"] + ": 2,700 + 1,500 t 2025e", "S"), ("fractions, cost", "A")),
    ),
    (
        "CONC_US_MON",
        "M_US_MON",
        "Chemours FL/GA monazite (to White Mesa)",
        "US",
        5_000,
        0.20,
        0.01,
        6_000,
        assumed("sized to feed White Mesa's 850-1,000 t NdPr [S] (facts §11.2)"),
    ),
    (
        "CONC_AU_MW",
        "M_AU_MW",
        "Mt Weld (Lynas)",
        "AU",
        25_000,
        0.25,
        0.005,
        6_000,
        prov(
            (SRC["mcs26"] + ": Australia 29,000 t 2025e", "S"),
            ("site split, fractions, cost (facts §11.2)", "A"),
        ),
    ),
    (
        "CONC_BR_SV",
        "M_BR_SV",
        "Serra Verde (Pela Ema) ionic clay",
        "BR",
        2_000,
        0.22,
        0.02,
        6_000,
        prov(
            (SRC["sv"] + ": commercial since 2024", "S"), ("2,000 t now, fractions, cost (facts §11.2)", "A")
        ),
    ),
]
# Iluka's Eneabba stockpile is mined at the (committed) refinery site; the Saudi JV buys its feed.
ILUKA_CONC = ("CONC_AU_IL", 25_000, 0.22, 0.03, 4_000)  # id, t REO/yr, NdPr, DyTb, $/t REO
SAUDI_CONC = ("CONC_SA", 0.20, 0.01)  # id, NdPr, DyTb (feed composition [A])

RECYCLERS = [
    # site, name, country, t REO/yr, NdPr oxide out per t, Dy/Tb oxide out per t, cost $/t, provenance
    (
        "R_CN",
        "China magnet-scrap recycling (Jiangxi)",
        "CN",
        34_000,
        26_504 / 34_147,
        870 / 34_147,
        3_000,
        prov(
            (SRC["recycling"] + ": 34,147 t REO, 26,504 t NdPr, 710 t Dy + 160 t Tb oxide in 2024", "S"),
            ("cost $3,000/t", "A"),
        ),
    ),
    (
        "R_W",
        "Ex-China recycling (Noveon, Cyclic, Heraeus, ReElement)",
        "US",
        1_500,
        0.70 * SEP_RECOVERY_NDPR,
        0.03 * HSEP_RECOVERY,
        8_000,
        assumed("1,500 t REO-eq, 70% NdPr, 3% Dy/Tb, $8,000/t (facts §11.2)"),
    ),
]

# ---------------------------------------------------------------------------------------------
# refineries: site, name, country, status, earliest period, capital cost (charged from the earliest period), provenance

REFINERIES = [
    ("S_CN_N", "Baotou separation (China Northern)", "CN", "existing", None, 0, assumed("facts §11.3")),
    (
        "S_CN_S",
        "Ganzhou/Guangdong heavy separation (China RE Group)",
        "CN",
        "existing",
        None,
        0,
        assumed("facts §11.3: the only large heavy separator"),
    ),
    (
        "S_MY_LYN",
        "Lynas Kuantan (LAMP)",
        "MY",
        "existing",
        None,
        0,
        prov(
            (SRC["lynas"], "S"),
        ),
    ),
    (
        "S_US_MP",
        "MP Materials Mountain Pass (NdPr via DoD floor contract; heavy circuit)",
        "US",
        "existing",
        None,
        0,
        prov((SRC["mp"], "S"), (SRC["mp_heavy"], "S2")),
    ),
    (
        "S_US_EF",
        "Energy Fuels White Mesa (Phase 1)",
        "US",
        "existing",
        None,
        0,
        prov(
            (SRC["ef"], "S"),
        ),
    ),
    (
        "S_EE_NEO",
        "Neo Performance Materials Silmet",
        "EE",
        "existing",
        None,
        0,
        prov(
            (SRC["neo"], "S"),
        ),
    ),
    (
        "S_FR_SOL",
        "Solvay La Rochelle",
        "FR",
        "existing",
        None,
        0,
        prov(
            (SRC["solvay"], "S"),
        ),
    ),
    (
        "S_AU_IL",
        "Iluka Eneabba refinery (with its stockpile)",
        "AU",
        "existing",
        "2027Q4",
        1_150_000_000,
        prov(
            (SRC["iluka"] + ": A$1.65 bn government loan, completion 2027, A$1.7-1.8 bn (~US$1.15 bn)", "S2"),
            ("committed, online 2027Q4", "A"),
        ),
    ),
    (
        "S_SA_JV",
        "Maaden/MP/DoW JV, Saudi Arabia",
        "SA",
        "candidate",
        "2029Q1",
        500_000_000,
        prov((SRC["maaden"] + ": capacity undisclosed", "S"), ("3,000 t NdPr from 2029, $500 M capex", "A")),
    ),
]

# Separation circuits: refinery, concentrate, t REO feed per year, cost $/t REO, provenance.
SEPARATION = [
    (
        "S_CN_N",
        "CONC_CN_L",
        400_000,
        2_000,
        assumed("headroom above the 254 kt 2024 separation quota [S]: the mining quota binds (facts §11.10)"),
    ),
    *[
        (
            "S_CN_S",
            conc,
            84_000,
            2_500,
            assumed(
                "84 kt complex (facts §11.3); each feed circuit gets the full figure: the feeds total < 60 kt"
            ),
        )
        for conc in ("CONC_CN_S", "CONC_MM", "CONC_SEA", "CONC_AFR", "CONC_BR_SV")
    ],
    (
        "S_MY_LYN",
        "CONC_AU_MW",
        10_500 / (0.25 * SEP_RECOVERY_NDPR),
        4_000,
        prov(
            (SRC["lynas"] + ": 10,500 t NdPr/yr", "S"), ("t REO = NdPr / (0.25 x 0.95)", "D"), ("cost", "A")
        ),
    ),
    (
        "S_US_EF",
        "CONC_US_MON",
        1_000 / (0.20 * SEP_RECOVERY_NDPR),
        4_500,
        prov(
            (SRC["ef"] + ": 850-1,000 t NdPr/yr", "S"), ("t REO = NdPr / (0.20 x 0.95)", "D"), ("cost", "A")
        ),
    ),
    (
        "S_EE_NEO",
        "CONC_AFR",
        3_000,
        5_000,
        prov((SRC["neo"] + ": ~3,000 t/yr light-RE separation", "S"), ("feed from Madagascar, cost", "A")),
    ),
    (
        "S_FR_SOL",
        "CONC_BR_SV",
        500,
        5_000,
        prov((SRC["solvay"] + ": several hundred t in 2025", "S"), ("feed from Serra Verde, cost", "A")),
    ),
    (
        "S_AU_IL",
        "CONC_AU_IL",
        5_500 / (0.22 * SEP_RECOVERY_NDPR),
        4_500,
        prov(
            (SRC["iluka"] + ": up to 5,500 t NdPr/yr", "S2"),
            ("t REO = NdPr / (0.22 x 0.95)", "D"),
            ("cost", "A"),
        ),
    ),
    (
        "S_SA_JV",
        "CONC_SA",
        3_000 / (0.20 * SEP_RECOVERY_NDPR),
        4_500,
        assumed("3,000 t NdPr/yr option from 2029 (facts §11.3); capacity undisclosed [S]"),
    ),
]

# Heavy circuits: refinery, t Dy+Tb contained per year, cost $/t contained, provenance.
HEAVY = [
    ("S_CN_S", 5_000, 30_000, assumed("ample: all of China's Dy/Tb separation (facts §11.3)")),
    (
        "S_MY_LYN",
        120,
        60_000,
        prov(
            (SRC["lynas_heavy"] + ": 1,500 t/yr SEGH feed, first Dy/Tb 2025", "S"),
            ("~100 t Dy/Tb out, cost", "A"),
        ),
    ),
    (
        "S_US_MP",
        200 / HSEP_RECOVERY,
        60_000,
        prov((SRC["mp_heavy"] + ": >200 t/yr Dy+Tb from mid-2026", "S2"), ("cost", "A")),
    ),
    ("S_FR_SOL", 20, 60_000, prov((SRC["solvay"] + ": separates all 17 REs", "S"), ("20 t/yr, cost", "A"))),
    (
        "S_AU_IL",
        750 / HSEP_RECOVERY,
        60_000,
        prov((SRC["iluka"] + ": 750 t Dy-Tb oxide/yr", "S2"), ("cost", "A")),
    ),
    ("S_SA_JV", 120, 60_000, assumed("heavy oxides in the JV plan [S]; 100 t/yr out [A]")),
]

# ---------------------------------------------------------------------------------------------
# metal plants: site, name, country, NdPr metal t/yr, Dy/Tb metal t/yr, cost $/t metal, provenance

METAL_PLANTS = [
    (
        "A_CN",
        "Baotou/Ganzhou metal and alloy",
        "CN",
        130_000,
        6_000,
        3_000,
        assumed("facts §11.4: 110 kt, raised for 2030 growth; Dy/Tb share, $3/kg"),
    ),
    (
        "A_JP",
        "Shin-Etsu/Santoku/Showa Denko alloy",
        "JP",
        4_500,
        300,
        6_000,
        prov((SRC["japan_alloy"] + ": 12,400 t alloy x ~0.32 RE", "D"), ("Dy/Tb metal, $6/kg", "A")),
    ),
    (
        "A_KR",
        "KSM Metals Ochang",
        "KR",
        600,
        30,
        7_000,
        prov((SRC["ksm"] + ": 1,900 t alloy x 0.32", "D"), ("Dy/Tb metal, $7/kg", "A")),
    ),
    (
        "A_UK",
        "Less Common Metals Ellesmere Port",
        "GB",
        330,
        30,
        9_000,
        prov((SRC["lcm"] + ": 6 cells x ~55 t", "S"), ("Dy/Tb metal, $9/kg", "A")),
    ),
    (
        "A_US",
        "MP Materials Independence metal (Fort Worth)",
        "US",
        1_000,
        40,
        9_000,
        prov((SRC["mp"] + ": NdPr metal since Jan 2025", "S"), ("1,000 t/yr, Dy/Tb 40 t, $9/kg", "A")),
    ),
    (
        "A_VN",
        "Vietnam metal (VTRE and others)",
        "VN",
        1_500,
        0,
        5_000,
        assumed("facts §11.4 [A/U]; NdPr only"),
    ),
]

# ---------------------------------------------------------------------------------------------
# magnet plants: site, name, country, t magnets/yr, GBD share of capacity, cost $/t (excl. RE)

MAGNET_PLANTS = [
    (
        "G_CN",
        "Chinese magnet industry",
        "CN",
        360_000,
        0.40,
        15_000,
        prov(
            (SRC["smm"] + ": output 240 kt 2023, ~260 kt 2024", "S"),
            ("capacity 360 kt (headroom), GBD 40%, $15/kg", "A"),
        ),
    ),
    (
        "G_JP",
        "Proterial/Shin-Etsu/TDK",
        "JP",
        12_000,
        0.50,
        22_000,
        prov((SRC["argus_jp"] + ": <9% of world output", "D"), ("12 kt, GBD 50%, $22/kg", "A")),
    ),
    (
        "G_VN",
        "SGI Vina, Shin-Etsu VN, INST VN",
        "VN",
        7_000,
        0.20,
        17_000,
        prov((SRC["sgi"] + ": 4,000-5,000 t + Shin-Etsu VN 2,200 t", "S2"), ("GBD 20%, $17/kg", "A")),
    ),
    (
        "G_KR",
        "Star Group KR, Seonglim",
        "KR",
        3_000,
        0.20,
        20_000,
        prov((SRC["seonglim"] + ": 1,000 t", "S"), ("SGI KR 2,000 t, GBD 20%, $20/kg", "A")),
    ),
    (
        "G_EU",
        "VAC Hanau + Neo Narva",
        "DE",
        3_500,
        0.30,
        25_000,
        prov((SRC["neo"] + ": Narva 2,000 t phase 1", "S"), ("VAC 1,500 t [U], GBD 30%, $25/kg", "A")),
    ),
    (
        "G_US",
        "MP Independence, eVAC Sumter, Noveon, USA Rare Earth",
        "US",
        5_700,
        0.20,
        25_000,
        prov(
            (SRC["us_magnets"] + ": MP 1,000 + Noveon 2,000 + USAR 1,200 t", "S"),
            ("eVAC 1,500 t (GM ~1,000 t [S2]), GBD 20%, $25/kg", "A"),
        ),
    ),
]

# ---------------------------------------------------------------------------------------------
# capacity options: id, site, process, capacity added per year, earliest period, capex $, provenance

OPTIONS = [
    (
        "MP_10X",
        "G_US",
        "MAKE_G_US",
        9_000,
        "2028Q1",
        1_000_000_000,
        prov(
            (SRC["mp10x"] + ": MP total ~10,000 t/yr, commissioning 2028", "S"),
            ("capex ~ $1 bn JPM/GS financing", "S2"),
        ),
    ),
    (
        "MP_10X_METAL",
        "A_US",
        "MET_NDPR_A_US",
        3_000,
        "2028Q1",
        150_000_000,
        assumed("NdPr metal to feed 10X (facts §11.4: 4,000 t with 10X); capex $150 M"),
    ),
    (
        "VULCAN",
        "G_US",
        "MAKE_G_US",
        10_000,
        "2028Q3",
        1_220_000_000,
        prov((SRC["vulcan"] + ": 10,000 t/yr; $620 M + $50 M + $550 M", "S"), ("online 2028Q3", "A")),
    ),
    (
        "USAR_EXP",
        "G_US",
        "MAKE_G_US",
        3_600,
        "2027Q3",
        150_000_000,
        prov((SRC["usar"] + ": 1,200 -> 4,800 t/yr nameplate", "S2"), ("online 2027Q3, capex $150 M", "A")),
    ),
    (
        "NEO_NARVA_P2",
        "G_EU",
        "MAKE_G_EU",
        3_000,
        "2027Q3",
        100_000_000,
        prov(
            (SRC["neo"] + ": Narva 2,000 -> 5,000 t/yr", "S"),
            ("online 2027Q3, capex $100 M (phase 1 $75 M [S])", "A"),
        ),
    ),
    (
        "LCM_LACQ",
        "A_UK",
        "MET_NDPR_A_UK",
        1_000,
        "2027Q3",
        119_000_000,
        prov((SRC["lcm"] + ": Lacq EUR 110 M, target 2027", "S"), ("1,000 t/yr, online 2027Q3", "A")),
    ),
    (
        "KSM_EXP",
        "A_KR",
        "MET_NDPR_A_KR",
        550,
        "2027Q1",
        36_000_000,
        prov((SRC["ksm"] + ": 3,600 t alloy by 2027, A$55 M", "S2"), ("x 0.32 RE", "D")),
    ),
    (
        "SOLVAY_EXP",
        "S_FR_SOL",
        "SEP_FR_SOL_BR_SV",
        4_000,
        "2028Q1",
        108_000_000,
        prov((SRC["solvay"] + ": to ~4,500 t/yr, ~EUR 100 M", "S2"), ("online 2028Q1", "A")),
    ),
    (
        "MW_EXP",
        "M_AU_MW",
        "MINE_M_AU_MW",
        5_000,
        "2027Q1",
        150_000_000,
        assumed("Mt Weld 25 -> 30 kt (facts §11.2), capex $150 M"),
    ),
    (
        "SV_RAMP",
        "M_BR_SV",
        "MINE_M_BR_SV",
        3_000,
        "2027Q1",
        465_000_000,
        prov((SRC["sv"] + ": >= 5,000 t at Phase I; $465 M DFC loan", "S"), ("online 2027Q1", "A")),
    ),
    (
        "LYNAS_HEAVY",
        "S_MY_LYN",
        "HSEP_MY_LYN",
        300,
        "2027Q1",
        115_000_000,
        prov(
            (SRC["lynas_heavy"] + ": 5,000 t/yr heavy feed, MYR 500 M", "S"),
            ("300 t Dy+Tb contained/yr, Dy from 2027", "A"),
        ),
    ),
]

# Large projects are phased: each module adds an equal share of capacity for an equal share of the
# capex [A], so the plan can back part of a project and the LP relaxation rounds to a near-optimal plan.
MODULES = {"MP_10X": 3, "MP_10X_METAL": 3, "VULCAN": 4}

# ---------------------------------------------------------------------------------------------
# purchase contracts: id, supplier site, product, min/quarter, max/quarter, price $/t, take_or_pay,
# start, provenance

MP_NDPR_SHARE = (
    0.157  # Mountain Pass NdPr share of TREO (MP 10-K FY2021, facts §1.3 [S]): REO equivalent of MP oxide
)

CONTRACTS = [
    (
        "C_MP_DOD_FLOOR",
        "S_US_MP",
        "NDPR_OX",
        quarterly(2_599),
        quarterly(4_000),
        110_000,
        "pay",
        None,
        prov(
            (SRC["mp_floor"] + ": $110/kg floor for 10 years on NdPr sold or stockpiled", "S"),
            (SRC["mp"] + ": 2,599 t NdPr 2025 (paid minimum), ~4,000 t/yr exit-2025 run rate", "S2"),
        ),
    ),
    (
        "C_MP_DOD_FLOOR_EXP",
        "S_US_MP",
        "NDPR_OX",
        0,
        quarterly(2_000),
        110_000,
        "take",
        "2027Q1",
        assumed("MP separation 4,000 -> 6,000 t NdPr by 2027 (facts §11.3), under the same floor"),
    ),
    (
        "K_MP_HEAVY_FEED",
        "S_US_MP",
        "HRE_CONC",
        0,
        quarterly(200 / HSEP_RECOVERY),
        100_000,
        "take",
        None,
        prov(
            (SRC["mp_heavy"] + ": ~3,000 t/yr heavy feed", "S2"),
            ("Dy+Tb contained, price $100/kg contained", "A"),
        ),
    ),
    (
        "K_LYNAS_HEAVY_FEED",
        "S_MY_LYN",
        "HRE_CONC",
        0,
        quarterly(300),
        100_000,
        "take",
        "2027Q1",
        assumed("third-party heavy feed for the new Lynas heavy plant; $100/kg contained"),
    ),
    (
        "K_SA_FEED",
        "S_SA_JV",
        "CONC_SA",
        0,
        quarterly(3_000 / (0.20 * SEP_RECOVERY_NDPR)),
        CONC_VALUE,
        "take",
        "2029Q1",
        prov((SRC["price_conc"] + ": ~$5,300/t REO", "D"), ("feed volume and composition", "A")),
    ),
]

# ---------------------------------------------------------------------------------------------
# demand: site, name, country, customer class, t magnets in 2026, growth/yr, share of MAG_HT,
# penalty $/t, provenance

US_MAGNETS_2026 = 9_000
US_DEFENCE_SHARE = 0.05  # facts §11.9 SC5 [A]
DEMAND = [
    (
        "D_CN",
        "China domestic",
        "CN",
        "civil",
        195_000,
        0.07,
        HT_SHARE,
        SHORTAGE_PENALTY,
        prov(("260 kt output - 58 kt exports - scrap/other (facts §11.6)", "D"), ("growth 7%", "A")),
    ),
    (
        "D_EU",
        "European Union",
        "DE",
        "civil",
        20_000,
        0.08,
        HT_SHARE,
        SHORTAGE_PENALTY,
        prov((SRC["demand_eu"] + ": 16,000 t 2020", "S"), ("~20,000 t 2024-26", "D"), ("growth 8%", "A")),
    ),
    (
        "D_US",
        "United States (civil)",
        "US",
        "civil",
        US_MAGNETS_2026 * (1 - US_DEFENCE_SHARE),
        0.09,
        HT_SHARE,
        SHORTAGE_PENALTY,
        prov(("7,000-8,500 t imported + domestic (facts §10, §11.6)", "D"), ("growth 9%", "A")),
    ),
    (
        "D_US_DEF",
        "United States defence end users",
        "US",
        "defence",
        US_MAGNETS_2026 * US_DEFENCE_SHARE,
        0.09,
        1.0,
        DEFENCE_PENALTY,
        assumed("5% of US demand, all high-coercivity grade, penalty $1,000/kg"),
    ),
    (
        "D_JP",
        "Japan",
        "JP",
        "civil",
        12_000,
        0.04,
        HT_SHARE,
        SHORTAGE_PENALTY,
        assumed("~domestic output (facts §11.6)"),
    ),
    (
        "D_KR",
        "South Korea",
        "KR",
        "civil",
        7_000,
        0.07,
        HT_SHARE,
        SHORTAGE_PENALTY,
        prov((SRC["demand_kr"] + ": 12% of China's exports", "S"), ("7,000 t, growth 7%", "A")),
    ),
    (
        "D_ROW",
        "Rest of world (India, SE Asia, ...)",
        "IN",
        "civil",
        25_000,
        0.08,
        HT_SHARE,
        SHORTAGE_PENALTY,
        assumed("facts §11.6"),
    ),
]

# ---------------------------------------------------------------------------------------------
# lanes: origin, destination, products, freight $/t, mode, US tariff share of value.
# Transit times are all under half a quarter (facts §9: 2-45 days), so transit_periods = 0 [A].

FREIGHT_PARTS = ((SRC["freight"] + ": $2,500-3,500/FEU ~ $125-175/t", "D"), ("local and regional rates", "A"))
BOTH_OX, BOTH_MET, BOTH_MAG = ("NDPR_OX", "DYTB_OX"), ("NDPR_MET", "DYTB_MET"), ("MAG_ND", "MAG_HT")

CONC_LANES = [
    ("M_CN_L", "S_CN_N", ("CONC_CN_L",), 20, "rail"),
    ("M_CN_S", "S_CN_S", ("CONC_CN_S",), 20, "truck"),
    ("M_MM", "S_CN_S", ("CONC_MM",), 50, "truck"),
    ("M_SEA", "S_CN_S", ("CONC_SEA",), 100, "sea"),
    ("M_AFR", "S_CN_S", ("CONC_AFR",), 150, "sea"),
    ("M_AFR", "S_EE_NEO", ("CONC_AFR",), 200, "sea"),
    ("M_US_MON", "S_US_EF", ("CONC_US_MON",), 50, "rail"),
    ("M_AU_MW", "S_MY_LYN", ("CONC_AU_MW",), 150, "sea"),
    ("M_BR_SV", "S_CN_S", ("CONC_BR_SV",), 150, "sea"),
    ("M_BR_SV", "S_FR_SOL", ("CONC_BR_SV",), 150, "sea"),
    ("S_CN_N", "S_CN_S", ("HRE_CONC",), 50, "rail"),
]
OXIDE_LANES = [
    ("S_CN_N", "A_CN", ("NDPR_OX",), 20, "rail"),
    ("S_CN_S", "A_CN", BOTH_OX, 20, "truck"),
    ("R_CN", "A_CN", BOTH_OX, 20, "truck"),
    # Chinese exports: NdPr oxide from Baotou, Dy/Tb oxide from the southern heavy separator
    *[
        ("S_CN_N", a, ("NDPR_OX",), c, "sea")
        for a, c in (("A_JP", 100), ("A_KR", 100), ("A_VN", 100), ("A_UK", 200), ("A_US", 200))
    ],
    *[
        ("S_CN_S", a, ("DYTB_OX",), c, "sea")
        for a, c in (("A_JP", 100), ("A_KR", 100), ("A_UK", 200), ("A_US", 200))
    ],
    *[
        ("S_MY_LYN", a, ("NDPR_OX",), c, "sea")
        for a, c in (("A_JP", 100), ("A_KR", 100), ("A_VN", 100), ("A_UK", 200), ("A_US", 200))
    ],
    *[("S_MY_LYN", a, ("DYTB_OX",), c, "sea") for a, c in (("A_JP", 100), ("A_US", 200))],
    ("S_US_MP", "A_US", BOTH_OX, 20, "truck"),
    ("S_US_MP", "A_JP", BOTH_OX, 200, "sea"),
    ("S_US_EF", "A_US", ("NDPR_OX",), 20, "truck"),
    ("S_EE_NEO", "A_UK", ("NDPR_OX",), 150, "sea"),
    ("S_FR_SOL", "A_UK", BOTH_OX, 100, "truck"),
    *[("S_AU_IL", a, BOTH_OX, c, "sea") for a, c in (("A_JP", 150), ("A_US", 200))],
    ("S_AU_IL", "A_KR", ("NDPR_OX",), 150, "sea"),
    ("S_SA_JV", "A_US", BOTH_OX, 200, "sea"),
    ("S_SA_JV", "A_UK", ("NDPR_OX",), 200, "sea"),
    ("R_W", "A_US", BOTH_OX, 20, "truck"),
]
METAL_LANES = [
    ("A_CN", "G_CN", BOTH_MET, 20, "truck"),
    *[
        ("A_CN", g, BOTH_MET, c, "sea")
        for g, c in (("G_JP", 100), ("G_KR", 100), ("G_VN", 100), ("G_EU", 200), ("G_US", 200))
    ],
    ("A_JP", "G_JP", BOTH_MET, 20, "truck"),
    ("A_JP", "G_US", BOTH_MET, 200, "sea"),
    ("A_KR", "G_KR", BOTH_MET, 20, "truck"),
    ("A_KR", "G_US", ("NDPR_MET",), 200, "sea"),
    ("A_UK", "G_EU", BOTH_MET, 100, "truck"),
    ("A_UK", "G_US", BOTH_MET, 200, "sea"),
    ("A_US", "G_US", BOTH_MET, 20, "truck"),
    ("A_VN", "G_VN", ("NDPR_MET",), 20, "truck"),
    ("A_VN", "G_JP", ("NDPR_MET",), 100, "sea"),
    ("A_VN", "G_KR", ("NDPR_MET",), 100, "sea"),
]
MAGNET_LANES = [
    ("G_CN", "D_CN", BOTH_MAG, 20, "truck"),
    *[
        ("G_CN", d, BOTH_MAG, c, "sea")
        for d, c in (("D_JP", 100), ("D_KR", 100), ("D_EU", 150), ("D_US", 150), ("D_ROW", 150))
    ],
    ("G_CN", "D_US_DEF", ("MAG_HT",), 150, "sea"),
    ("G_JP", "D_JP", BOTH_MAG, 20, "truck"),
    *[("G_JP", d, BOTH_MAG, c, "sea") for d, c in (("D_KR", 100), ("D_ROW", 150))],
    *[("G_JP", d, ("MAG_ND",), 150, "sea") for d in ("D_US", "D_EU")],
    *[("G_VN", d, BOTH_MAG, 100, "sea") for d in ("D_KR", "D_JP", "D_ROW")],
    ("G_KR", "D_KR", BOTH_MAG, 20, "truck"),
    ("G_EU", "D_EU", BOTH_MAG, 20, "truck"),
    ("G_US", "D_US", BOTH_MAG, 20, "truck"),
    ("G_US", "D_US_DEF", ("MAG_HT",), 20, "truck"),
    # new customer relationships: Dy/Tb-free magnets ship freely, MAG_HT needs qualification (QUALIFIED)
    *[
        (g, d, ("MAG_ND",), 150, "sea")
        for g, d in (("G_VN", "D_US"), ("G_VN", "D_EU"), ("G_KR", "D_US"), ("G_KR", "D_EU"), ("G_EU", "D_US"))
    ],
]
QUALIFIED = [
    ("G_JP", "D_US"),
    ("G_JP", "D_EU"),
    ("G_VN", "D_US"),
    ("G_VN", "D_EU"),
    ("G_KR", "D_US"),
    ("G_KR", "D_EU"),
    ("G_EU", "D_US"),
]
# MAG_HT that already flows to Western customers without new qualification (t/yr) [A]
EXISTING_HT = {("G_JP", "D_US"): 1_000, ("G_JP", "D_EU"): 1_000}

US_TARIFFS = {  # (origin, destination) -> duty as a share of value
    ("G_CN", "D_US"): 0.25,  # Section 301 on Chinese permanent magnets from 1 Jan 2026 [S]
    ("G_CN", "D_US_DEF"): 0.25,
    ("A_CN", "G_US"): 0.05,  # NTR duty on RE metals (HTS 2805.30) [S]
}

# ---------------------------------------------------------------------------------------------
# stockpiles: site, product, opening stock t (None = 9 weeks of demand), provenance

STOCKPILES = [
    *[
        (d, p, None, prov((SRC["stock_ind"] + ": 8-10 weeks of stock", "S"), ("9 weeks", "A")))
        for d in ("D_EU", "D_US", "D_JP", "D_KR", "D_ROW")
        for p in BOTH_MAG
    ],
    (
        "D_US_DEF",
        "MAG_HT",
        450,
        prov(
            (SRC["stock_us"] + ": 450 t NdFeB block (potential acquisitions)", "S"),
            ("held as opening stock", "A"),
        ),
    ),
    (
        "A_US",
        "NDPR_OX",
        300,
        prov(
            (SRC["stock_us"] + ": 300 t NdPr oxide (potential acquisitions)", "S"),
            ("held as opening stock", "A"),
        ),
    ),
    (
        "A_JP",
        "DYTB_OX",
        25,
        prov((SRC["stock_jp"] + ": 60-day target", "S"), ("60 days of Japan's Dy/Tb use ~ 25 t", "A")),
    ),
    ("A_US", "DYTB_OX", 0, assumed("stockpile option")),
    *[(g, "DYTB_MET", 0, assumed("stockpile option")) for g in ("G_JP", "G_EU", "G_US", "G_KR")],
    *[(g, "NDPR_MET", 0, assumed("stockpile option")) for g in ("G_EU", "G_US")],
]

# ---------------------------------------------------------------------------------------------
# export controls and scenarios

WEST = ("US", "DE", "FR", "EE", "GB", "JP", "KR")  # US, the EU countries in the network, UK, Japan, Korea
SC_BAN = ("2027Q1", "2027Q4")  # 12 months from the reveal (SC3, SC4)
SC_SLOW = ("2027Q1", "2027Q2")  # 6 months (SC2)

EXPORT_RULES = [
    # rule, products, destination group, end use, start, end, content threshold, approval, delay, provenance
    (
        "R18_ALL",
        ("DYTB_OX", "DYTB_MET", "MAG_HT"),
        "",
        "all",
        None,
        None,
        None,
        0.95,
        0,
        prov(
            (SRC["no18"] + "; general licences after " + SRC["no70"], "S"),
            ("95% approved, 0-2 weeks (SC1)", "A"),
        ),
    ),
    (
        "R18_WEST",
        ("DYTB_OX", "DYTB_MET", "MAG_HT"),
        "WEST",
        "all",
        *SC_BAN,
        None,
        1.0,
        0,
        assumed("heavy-RE ban to the West: in force only through ScenarioChanges (SC3, SC4), facts §11.9"),
    ),
    (
        "RX_WEST",
        ("NDPR_MET", "MAG_ND"),
        "WEST",
        "all",
        *SC_BAN,
        None,
        1.0,
        0,
        assumed("SC4 escalation beyond the announced measures (facts §11.9)"),
    ),
    (
        "R61",
        ("MAG_HT", "MAG_ND", "DYTB_MET"),
        "WEST",
        "all",
        *SC_BAN,
        0.001,
        1.0,
        0,
        prov(
            (SRC["no61"] + ": 0.1% of value, suspended to 10 Nov 2026", "S"), ("reinstated in SC4 only", "A")
        ),
    ),
    (
        "RDEF",
        ("MAG_HT",),
        "",
        "defence",
        "2027Q1",
        None,
        None,
        1.0,
        0,
        prov((SRC["no61"] + ": military end users denied in principle", "S"), ("applied in SC5 only", "A")),
    ),
]

SCENARIOS = [
    ("SC1", 0.40, "Suspension continues, general licences (No. 18 regime)"),
    ("SC2", 0.25, "Slow approvals for 6 months (Apr-Jun 2025 replay): 50%, +1 quarter"),
    ("SC3", 0.15, "Heavy-RE ban to the West for 12 months (Dy/Tb oxide, metal, Dy/Tb magnets)"),
    ("SC4", 0.10, "Full ban for 12 months incl. NdPr metal and all magnets, plus the 0.1% content rule"),
    ("SC5", 0.10, "Targeted US-defence denial; civil approvals 90%"),
]
SCENARIO_SOURCE = prov(("scenario definitions " + SRC["clepa"], "S"), ("probabilities (facts §11.9)", "A"))

SCENARIO_CHANGES = [
    # scenario, rule, column, value, start, end
    ("SC2", "R18_ALL", "approval_share", 0.5, *SC_SLOW),
    ("SC2", "R18_ALL", "review_delay", 1, *SC_SLOW),
    ("SC3", "R18_WEST", "approval_share", 0.0, *SC_BAN),
    ("SC4", "R18_WEST", "approval_share", 0.0, *SC_BAN),
    ("SC4", "RX_WEST", "approval_share", 0.0, *SC_BAN),
    ("SC4", "R61", "approval_share", 0.5, *SC_BAN),
    ("SC4", "R61", "review_delay", 1, *SC_BAN),
    ("SC5", "RDEF", "approval_share", 0.0, "2027Q1", LAST_PERIOD),
    ("SC5", "R18_ALL", "approval_share", 0.9, "2027Q1", LAST_PERIOD),
]
CHANGE_SOURCES = {
    "SC2": prov(
        (SRC["clepa"] + ": 25% -> 60% approved, 45 working days", "S"), ("50%, one quarter, 6 months", "D")
    ),
    "SC3": assumed("extreme case of No. 18 (facts §11.9)"),
    "SC4": prov(
        (SRC["no61"], "S"), ("escalation, 50% after one quarter for third-country items (facts §11.9)", "A")
    ),
    "SC5": prov((SRC["no61"], "S"), ("defence 0%, civil 90% (facts §11.9)", "A")),
}

MYANMAR_CUT = ("2027Q1", "2027Q2", 0.5)  # M_MM capacity -50% for 6 months (facts §11.9 what-if [A])


# ---------------------------------------------------------------------------------------------
# record builders


def _periods() -> list[dict[str, Any]]:
    months = {1: "01", 2: "04", 3: "07", 4: "10"}
    return [
        {"period": p, "start_date": f"{p[:4]}-{months[int(p[-1])]}-01", **assumed("quarterly periods")}
        for p in PERIODS
    ]


def _products() -> list[dict[str, Any]]:
    rows = [
        {"product": pid, "name": name, "stage": stage, "value": value, "cost_disposal": disposal, **src}
        for pid, name, stage, value, disposal, src in PRODUCTS
    ]
    concs = [(c[0], c[2]) for c in MINES] + [
        (ILUKA_CONC[0], "Eneabba monazite-xenotime stockpile"),
        (SAUDI_CONC[0], "Saudi JV feed"),
    ]
    for cid, name in concs:
        rows.append(
            {
                "product": cid,
                "name": f"Concentrate, t REO: {name}",
                "stage": "concentrate",
                "value": CONC_VALUE,
                **prov(
                    (SRC["price_conc"], "D"),
                ),
            }
        )
    return rows


def _site(site: str, name: str, kind: str, country: str, src: dict[str, str], **kw: Any) -> dict[str, Any]:
    return {"site": site, "name": name, "type": kind, "country": country, **kw, **src}


def _sites() -> list[dict[str, Any]]:
    rows = [_site(s, n, "mine", c, src) for _, s, n, c, *_rest, src in MINES]
    rows += [_site(s, n, "recycler", c, src) for s, n, c, *_rest, src in RECYCLERS]
    for site, name, country, status, earliest, capex, src in REFINERIES:
        kw: dict[str, Any] = {
            "status": status,
            "earliest_period": earliest,
            "cost_fixed": capital_charge(capex),
        }
        rows.append(_site(site, name, "refinery", country, src, **kw))
    rows += [_site(s, n, "metal_plant", c, src) for s, n, c, *_rest, src in METAL_PLANTS]
    rows += [_site(s, n, "magnet_plant", c, src) for s, n, c, *_rest, src in MAGNET_PLANTS]
    rows += [_site(s, n, "demand_region", c, src) for s, n, c, *_rest, src in DEMAND]
    return rows


def _process(
    pid: str,
    site: str,
    cost: float,
    capacity_per_year: float | None,
    src: dict[str, str],
    inputs: list[tuple[str, float]],
    outputs: list[tuple[str, float]],
    name: str = "",
    site_type: str = "",
    flow_src: dict[str, str] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    row = {
        "process": pid,
        "site": site,
        "site_type": site_type,
        "name": name,
        "cost_variable": cost,
        "capacity": None if capacity_per_year is None else quarterly(capacity_per_year),
        **src,
    }
    fsrc = flow_src or src
    flows = [{"process": pid, "product": p, "direction": "in", "quantity": q, **fsrc} for p, q in inputs]
    flows += [{"process": pid, "product": p, "direction": "out", "quantity": q, **fsrc} for p, q in outputs]
    return row, flows


def short(site: str) -> str:
    """S_CN_N -> CN_N (short refinery/plant code used in process ids)."""
    return site.split("_", 1)[1]


UNIT_YIELD = prov(
    ("1 t REO of concentrate per t mined (unit of activity)", "D"),
)
SEP_YIELD = prov(
    ("NdPr and Dy/Tb fractions of the feed: facts §11.2, Mountain Pass 15.7% " + SRC["mp_tree"], "S"),
    ("other fractions, recovery 0.95 NdPr (facts §4.3: 90-95%)", "A"),
)
HSEP_YIELD = assumed("Dy/Tb recovery 0.85 (facts §11.1)")
METAL_YIELD = prov(
    ("oxide per t metal = stoichiometry 1.177 (NdPr) / 1.16 (Dy/Tb) / 0.97 (facts §4.3)", "D"),
    ("3% process loss", "A"),
)
MAGNET_YIELD = prov(
    ("RE content 29-32.5% " + SRC["intens"], "S2"),
    ("0.30 t NdPr metal per t, 0.02 / 0.01 t Dy/Tb metal for the HT grade", "A"),
)


def _processes() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    procs: list[dict[str, Any]] = []
    flows: list[dict[str, Any]] = []

    def add(item: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
        procs.append(item[0])
        flows.extend(item[1])

    fractions = {c[0]: (c[5], c[6]) for c in MINES}
    fractions[ILUKA_CONC[0]] = (ILUKA_CONC[2], ILUKA_CONC[3])
    fractions[SAUDI_CONC[0]] = (SAUDI_CONC[1], SAUDI_CONC[2])
    for conc, site, name, _c, cap, _n, _d, cost, src in MINES:
        add(
            _process(
                f"MINE_{site}",
                site,
                cost,
                cap,
                src,
                [],
                [(conc, 1.0)],
                name=f"Mining: {name}",
                flow_src=UNIT_YIELD,
            )
        )
    conc, cap, _n, _d, cost = ILUKA_CONC
    add(
        _process(
            "MINE_S_AU_IL",
            "S_AU_IL",
            cost,
            cap,
            prov(
                (SRC["iluka"] + ": ~1 Mt monazite/xenotime stockpile", "S"),
                ("25 kt REO/yr sized to 5,500 t NdPr + 750 t Dy/Tb", "D"),
                ("cost", "A"),
            ),
            [],
            [(conc, 1.0)],
            name="Eneabba stockpile reclaim",
            flow_src=UNIT_YIELD,
        )
    )
    for site, name, _c, cap, ndpr, dytb, cost, src in RECYCLERS:
        add(
            _process(
                f"REC_{site}",
                site,
                cost,
                cap,
                src,
                [],
                [("NDPR_OX", ndpr), ("DYTB_OX", dytb)],
                name=f"Recycling: {name}",
            )
        )
    for ref, conc, cap, cost, src in SEPARATION:
        ndpr, dytb = fractions[conc]
        add(
            _process(
                f"SEP_{short(ref)}_{short(conc)}",
                ref,
                cost,
                cap,
                src,
                [(conc, 1.0)],
                [("NDPR_OX", ndpr * SEP_RECOVERY_NDPR), ("HRE_CONC", dytb)],
                name=f"Separation of {conc} (NdPr x {SEP_RECOVERY_NDPR}, SEG+ Dy/Tb contained)",
                flow_src=SEP_YIELD,
            )
        )
    for ref, cap, cost, src in HEAVY:
        add(
            _process(
                f"HSEP_{short(ref)}",
                ref,
                cost,
                cap,
                src,
                [("HRE_CONC", 1.0)],
                [("DYTB_OX", HSEP_RECOVERY)],
                name="Heavy-RE separation (Dy/Tb)",
                flow_src=HSEP_YIELD,
            )
        )
    for site, name, _c, ndpr_cap, dytb_cap, cost, src in METAL_PLANTS:
        add(
            _process(
                f"MET_NDPR_{site}",
                site,
                cost,
                ndpr_cap,
                src,
                [("NDPR_OX", NDPR_OX_PER_MET)],
                [("NDPR_MET", 1.0)],
                name=f"NdPr metal: {name}",
                flow_src=METAL_YIELD,
            )
        )
        if dytb_cap:
            add(
                _process(
                    f"MET_DYTB_{site}",
                    site,
                    cost,
                    dytb_cap,
                    src,
                    [("DYTB_OX", DYTB_OX_PER_MET)],
                    [("DYTB_MET", 1.0)],
                    name=f"Dy/Tb metal: {name}",
                    flow_src=METAL_YIELD,
                )
            )
    for site, name, _c, cap, gbd_share, cost, src in MAGNET_PLANTS:
        add(
            _process(
                f"MAKE_{site}",
                site,
                cost,
                cap,
                src,
                [("NDPR_MET", NDPR_MET_PER_MAG)],
                [("MAG_ND", 1.0)],
                name=f"Sintering (Dy/Tb-free blanks): {name}",
                flow_src=MAGNET_YIELD,
            )
        )
        add(
            _process(
                f"HT_GBD_{site}",
                site,
                GBD_EXTRA_COST,
                cap * gbd_share,
                assumed("grain-boundary diffusion: half the Dy/Tb, +$2.5/kg; capacity share of the plant"),
                [("MAG_ND", 1.0), ("DYTB_MET", DYTB_MET_GBD)],
                [("MAG_HT", 1.0)],
                name=f"Low-Dy grade by grain-boundary diffusion: {name}",
                flow_src=MAGNET_YIELD,
            )
        )
    add(
        _process(
            "HT_STD",
            "",
            0.0,
            None,
            prov(
                ("Dy/Tb 0.6-4% of magnet mass (facts §4.1) " + SRC["intens"], "S2"),
                ("2% for the HT grade", "A"),
            ),
            [("MAG_ND", 1.0), ("DYTB_MET", DYTB_MET_STD)],
            [("MAG_HT", 1.0)],
            name="High-coercivity grade, Dy/Tb alloyed (every magnet plant)",
            site_type="magnet_plant",
        )
    )
    return procs, flows


def _china_growth_changes() -> list[dict[str, Any]]:
    """Base-data changes (every scenario): Chinese mining and recycling capacity grow by CN_GROWTH
    a year, stepping each January (a multiply from that quarter to the end compounds the steps)."""
    years = sorted({int(p[:4]) for p in PERIODS if p.endswith("Q1")})
    return [
        {
            "scenario": "",
            "table": "Processes",
            "filter": f"process={process}",
            "column": "capacity",
            "action": "multiply",
            "value": 1 + CN_GROWTH,
            "start_period": f"{year}Q1",
            **prov((SRC["quota"] + ": 2024 quota +5.9%", "S"), (f"{CN_GROWTH:.0%}/yr scheduled growth", "A")),
        }
        for process in ("MINE_M_CN_L", "MINE_M_CN_S", "REC_R_CN")
        for year in years
    ]


def _options() -> list[dict[str, Any]]:
    rows = []
    for oid, site, process, per_year, earliest, capex, src in OPTIONS:
        modules = MODULES.get(oid, 1)
        rows.append(
            {
                "option": oid,
                "site": site,
                "process": process,
                "capacity_added": quarterly(per_year / modules),
                "cost_fixed": capital_charge(capex / modules),
                "lead_time": PERIODS.index(earliest),
                "earliest_period": earliest,
                "integer": modules > 1,
                "max_units": modules,
                **src,
            }
        )
    return rows


def _lanes() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    plant_capacity = {s: cap for s, _n, _c, cap, *_ in MAGNET_PLANTS}
    for o in OPTIONS:
        if o[2].startswith("MAKE_"):
            plant_capacity[o[1]] += o[3]
    for origin, dest, products, cost, mode in CONC_LANES + OXIDE_LANES + METAL_LANES + MAGNET_LANES:
        for product in products:
            rows.append(
                {
                    "lane": f"{origin}-{dest}-{product}",
                    "origin": origin,
                    "destination": dest,
                    "product": product,
                    "mode": mode,
                    "cost_flow": cost,
                    "transit_periods": 0,
                    "tariff_rate": US_TARIFFS.get((origin, dest), 0.0),
                    **prov(*FREIGHT_PARTS, *([(SRC["tariff"], "S")] if (origin, dest) in US_TARIFFS else [])),
                }
            )
    for (origin, dest), per_year in EXISTING_HT.items():
        rows.append(
            {
                "lane": f"{origin}-{dest}-MAG_HT",
                "origin": origin,
                "destination": dest,
                "product": "MAG_HT",
                "mode": "sea",
                "cost_flow": 150,
                "transit_periods": 0,
                "capacity": quarterly(per_year),
                **prov(*FREIGHT_PARTS, ("existing qualified volume 1,000 t/yr", "A")),
            }
        )
    for origin, dest in QUALIFIED:
        rows.append(
            {
                "lane": f"{origin}-{dest}-MAG_HT" + ("-NEW" if (origin, dest) in EXISTING_HT else ""),
                "origin": origin,
                "destination": dest,
                "product": "MAG_HT",
                "mode": "sea",
                "cost_flow": 150,
                "transit_periods": 0,
                "capacity": quarterly(plant_capacity[origin]),
                "qualification": True,
                "cost_qualification": QUALIFICATION_COST,
                "lead_time_qualification": QUALIFICATION_QUARTERS,
                **prov(
                    (SRC["magnet_price"] + ": Korean buyers pay +15-20% for Vietnam-made magnets", "S"),
                    ("qualification $5 M, 2 quarters; capacity = plant capacity", "A"),
                ),
            }
        )
    return rows


def _contracts() -> list[dict[str, Any]]:
    return [
        {
            "contract": cid,
            "supplier": site,
            "product": product,
            "min_per_period": lo,
            "max_per_period": hi,
            "price": price,
            "take_or_pay": top,
            "start_period": start,
            **src,
        }
        for cid, site, product, lo, hi, price, top, start, src in CONTRACTS
    ]


def demand_quantity(per_year: float, growth: float, t: int) -> float:
    """Demand in period index ``t``: a quarter of the calendar year's demand (the 2026 figure grown at
    ``growth`` per year). Demand steps each January, like the scheduled Chinese capacity growth, so the
    plan does not pre-build within a year only because capacity and demand grow on different clocks."""
    years = int(PERIODS[t][:4]) - FIRST_YEAR
    return round(quarterly(per_year) * (1 + growth) ** years, 1)


def _demand() -> list[dict[str, Any]]:
    rows = []
    for site, _n, _c, klass, per_year, growth, ht_share, penalty, src in DEMAND:
        for t, period in enumerate(PERIODS):
            total = demand_quantity(per_year, growth, t)
            for product, share in (("MAG_HT", ht_share), ("MAG_ND", 1 - ht_share)):
                if share <= 0:
                    continue
                rows.append(
                    {
                        "site": site,
                        "product": product,
                        "period": period,
                        "quantity": round(total * share, 1),
                        "customer_class": klass,
                        "shortage_penalty": penalty,
                        **src,
                    }
                )
    return rows


def _inventory() -> list[dict[str, Any]]:
    value = {p[0]: p[3] for p in PRODUCTS}
    first = {d[0]: d for d in DEMAND}
    rows = []
    for site, product, opening, src in STOCKPILES:
        if opening is None:
            d = first[site]
            share = d[6] if product == "MAG_HT" else 1 - d[6]
            opening = round(demand_quantity(d[4], d[5], 0) * share * OPENING_COVER_DAYS / PERIOD_DAYS, 1)
        rows.append(
            {
                "site": site,
                "product": product,
                "initial_stock": opening,
                "cost_holding": value[product] * HOLDING_RATE / QUARTERS_PER_YEAR,
                **src,
            }
        )
    return rows


def _groups() -> list[dict[str, Any]]:
    rows = [
        {
            "group": "WEST",
            "kind": "country",
            "member": c,
            **assumed("US, EU members in the network, UK, JP, KR"),
        }
        for c in WEST
    ]
    rows.append(
        {"group": "CN", "kind": "country", "member": "CN", **assumed("origin group for sourcing rules")}
    )
    return rows


def _sourcing_rules() -> list[dict[str, Any]]:
    src = prov(
        ("Japan's RE-metal import dependence on China 63% (TrendForce/Nikkei, facts §10)", "S"),
        ("Japanese users buy >= 60% of magnets from non-Chinese plants (output ~ demand)", "A"),
    )
    return [
        {
            "rule": f"JP_DOMESTIC_{p}",
            "product": p,
            "destination": "D_JP",
            "group": "CN",
            "max_share": 0.4,
            **src,
        }
        for p in BOTH_MAG
    ]


def _export_controls() -> list[dict[str, Any]]:
    rows = []
    for rule, products, group, end_use, start, end, threshold, approval, delay, src in EXPORT_RULES:
        for product in products:
            rows.append(
                {
                    "rule": rule,
                    "country": "CN",
                    "product": product,
                    "destination_group": group,
                    "end_use": end_use,
                    "start_period": start,
                    "end_period": end,
                    "content_threshold": threshold,
                    "approval_share": approval,
                    "review_delay": delay,
                    **src,
                }
            )
    return rows


def _scenarios() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    scen = [{"scenario": s, "probability": p, "description": d, **SCENARIO_SOURCE} for s, p, d in SCENARIOS]
    changes = [
        {
            "scenario": s,
            "table": "ExportControls",
            "filter": f"rule={rule}",
            "column": column,
            "action": "set",
            "value": value,
            "start_period": start,
            "end_period": end,
            **CHANGE_SOURCES[s],
        }
        for s, rule, column, value, start, end in SCENARIO_CHANGES
    ]
    return scen, changes


def _myanmar_changes() -> list[dict[str, Any]]:
    """The Myanmar what-if as a base change: the same disruption in every scenario."""
    start, end, factor = MYANMAR_CUT
    return [
        {
            "scenario": "",
            "table": "Processes",
            "filter": "process=MINE_M_MM",
            "column": "capacity",
            "action": "multiply",
            "value": factor,
            "start_period": start,
            "end_period": end,
            **prov(
                (SRC["myanmar"] + ": ~57% of China's RE imports from Myanmar", "S2"),
                ("Kachin conflict: -50% for 6 months", "A"),
            ),
        }
    ]


SETTINGS: dict[str, Any] = {
    "currency": "USD",
    "mass_unit": "t",
    "period_length_days": PERIOD_DAYS,
    "discount_rate": DISCOUNT_RATE,
    "reveal_period": REVEAL_PERIOD,
    "shortage_penalty": SHORTAGE_PENALTY,
    "time_limit": 60.0,
    "mip_gap": 0.005,
}
# Settings provenance (the writer's Settings sheet has no source/confidence columns): discount rate
# 8% [A]; shortage penalty $500/kg (facts §11.8 [A]); reveal 2027Q1 (No. 70 suspension to 10 Nov 2026 [S]).


def _disruptions() -> list[dict[str, Any]]:
    """Nodes for `planner stress`, with their times to recover (TTR) in quarters."""
    weeks = 8 / (PERIOD_DAYS / 7)  # eight weeks in quarters
    return [
        {
            "disruption": "CN_LICENCE_STOP",
            "kind": "licence",
            "target": "R18_ALL",
            "ttr_periods": round(weeks, 2),
            **prov(
                (
                    "Apr-May 2025: magnet exports collapsed ~7-8 weeks before licences flowed (facts §6.2)",
                    "D",
                ),
                ("8 weeks = 0.61 quarter", "D"),
            ),
        },
        {
            "disruption": "CN_HEAVY_RE_BAN",
            "kind": "licence",
            "target": "R18_WEST",
            "ttr_periods": 4,
            **prov(("SC3 heavy-RE ban to the West lasts 12 months (facts §11.9)", "A")),
        },
        {
            "disruption": "CN_MAGNET_BAN",
            "kind": "licence",
            "target": "RX_WEST",
            "ttr_periods": 4,
            **prov(("SC4 full ban on magnets and RE metal lasts 12 months (facts §11.9)", "A")),
        },
        {
            "disruption": "CN_FULL_BAN",
            "kind": "licence",
            "target": "R18_WEST+RX_WEST+R61",
            "ttr_periods": 4,
            **prov(
                ("SC4: heavy-RE and magnet/metal bans with the content rule, 12 months (facts §11.9)", "A")
            ),
        },
        {
            "disruption": "MYANMAR_FEED_LOSS",
            "kind": "site",
            "target": "M_MM",
            "ttr_periods": 1,
            **prov(
                ("Myanmar disruption what-if: M_MM -50% for 6 months (facts §11.9, note)", "A"),
                ("taken as a full loss for one quarter (same tonnes)", "A"),
            ),
        },
        {
            "disruption": "LYNAS_MY_OUTAGE",
            "kind": "site",
            "target": "S_MY_LYN",
            "ttr_periods": 1,
            **assumed("Lynas Malaysia separation down one quarter; no public recovery time found"),
        },
        {
            "disruption": "EU_MAGNET_PLANT_OUTAGE",
            "kind": "site",
            "target": "G_EU",
            "ttr_periods": 1,
            **assumed("European magnet plants (VAC Hanau, Neo Narva) down one quarter; no public figure"),
        },
    ]


def build_records(status_quo: bool = False, myanmar: bool = False) -> tuple[Records, dict[str, Any]]:
    """Records (sheet -> rows) and settings of the example, or of one of its variants.

    ``status_quo``: the 2025 status quo for the sanity test: one scenario, no export controls.
    ``myanmar``: adds the Myanmar disruption (M_MM capacity -50% in 2027Q1-Q2) to every scenario.
    """
    processes, flows = _processes()
    records: Records = {
        "Periods": _periods(),
        "Products": _products(),
        "Groups": _groups(),
        "Sites": _sites(),
        "Processes": processes,
        "ProcessFlows": flows,
        "CapacityOptions": _options(),
        "Lanes": _lanes(),
        "Contracts": _contracts(),
        "Demand": _demand(),
        "Inventory": _inventory(),
        "SourcingRules": _sourcing_rules(),
    }
    settings = dict(SETTINGS)
    if status_quo:
        records["Scenarios"] = [
            {
                "scenario": "STATUS_QUO",
                "probability": 1.0,
                "description": "2025 status quo: no licence restrictions",
                **assumed("sanity-test variant"),
            }
        ]
        records["ScenarioChanges"] = _china_growth_changes()
        settings["reveal_period"] = None
    else:
        records["ExportControls"] = _export_controls()
        records["Disruptions"] = _disruptions()
        records["Scenarios"], changes = _scenarios()
        records["ScenarioChanges"] = _china_growth_changes() + changes
    if myanmar:
        records["ScenarioChanges"] = records["ScenarioChanges"] + _myanmar_changes()
    return records, settings


def build_data(status_quo: bool = False, myanmar: bool = False) -> InputData:
    """The example (or a variant) as InputData."""
    records, settings = build_records(status_quo=status_quo, myanmar=myanmar)
    return from_records(records, settings)


def write(path: Path, status_quo: bool = False, myanmar: bool = False) -> InputData:
    """Build, validate (raise on any error) and write the workbook; return the data written."""
    data = build_data(status_quo=status_quo, myanmar=myanmar)
    issues = validate(data)
    errors, _warnings = count(issues)
    if errors:
        listing = "\n".join(str(i) for i in issues if i.severity == "error")
        raise SystemExit(f"the example does not validate:\n{listing}")
    for row in _provenance_gaps(data):
        raise SystemExit(f"row without provenance: {row}")
    write_input_workbook(data, path)
    return data


def _provenance_gaps(data: InputData) -> list[str]:
    gaps = []
    for name, frame in data.tables.items():
        if name == "Settings" or frame.empty:
            continue
        bad = frame[(frame["source"].fillna("") == "") | (frame["confidence"].fillna("") == "")]
        gaps += [f"{name} row {r}" for r in bad["_row"]]
    return gaps


def main(argv: list[str] | None = None) -> int:
    """Command line: build and write the example or a variant."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "out", nargs="?", type=Path, default=None, help=f"output workbook (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--status-quo", action="store_true", help="2025 status quo: one scenario, no licences"
    )
    parser.add_argument("--myanmar", action="store_true", help="add the Myanmar disruption to every scenario")
    args = parser.parse_args(argv)
    out = args.out
    if out is None:
        if args.status_quo or args.myanmar:
            parser.error("give an output path for a variant (inputs/example.xlsx is the default example)")
        out = DEFAULT_OUT
    data = write(out, status_quo=args.status_quo, myanmar=args.myanmar)
    n = sum(len(f) for k, f in data.tables.items())
    sys.stdout.write(f"wrote {out} ({n} rows, {math.ceil(out.stat().st_size / 1024)} KB)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
