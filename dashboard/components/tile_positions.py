"""Tile-map positions of Vietnam's 63 provinces (2021 administrative structure).

Each province gets one equal square tile on an integer grid, like the well-known US state tile grid maps: the
picture keeps Vietnam's S shape (the wide north, the narrow central coast, the wider Mekong delta) and neighbouring
provinces stay next to each other as far as a grid allows.

`TILES` maps the two-digit GSO province code (as in ``etl/reference/provinces.csv``) to ``(col, row)``: col 0 is
the west (left), row 0 is the north (top). The grid is 7 columns by 18 rows.

How it was made: a first cell for every province was derived from the latitude and longitude of its centre (the
``admin_units_legacy`` table of the ``vietnamadminunits`` package): rows from latitude (about 0.7° a row), columns
from longitude (about 0.75° a column). That seed has collisions in the crowded Red River and Mekong deltas and an
empty, stretched central coast, so the grid was then tuned by hand:

* the north (rows 0-5) keeps its width: the north-west mountains on the left, the Red River delta in the middle
  with Hà Nội at its heart, Quảng Ninh and Hải Phòng at the north-east corner;
* the central coast (rows 5-12) is a band two tiles wide that steps east as it goes south, the coastal
  provinces on the right and the Central Highlands (Kon Tum, Gia Lai, Đắk Lắk, Đắk Nông, Lâm Đồng) on the
  left;
* the south-east fans out around Hồ Chí Minh (Bình Dương above it, Long An to the west, Bà Rịa - Vũng Tàu to the
  east) and the Mekong delta spreads to the west, ending with Cà Mau at the bottom-left tip;
* the delta is pulled west of its true longitude so that the grid stays compact and every tile touches another
  one along an edge.

The picture (``·`` is an empty cell)::

         0    1    2    3    4    5    6
     0   ·    ·    LCa  HG   CB   ·    ·
     1   ĐB   LCh  YB   TQ   BK   LS   ·
     2   ·    SL   PT   VP   TNg  BG   QNi
     3   ·    ·    HB   HN   BN   HD   HP
     4   ·    ·    TH   HNa  HY   TB   ·
     5   ·    ·    NA   NB   NĐ   ·    ·
     6   ·    ·    HT   QB   ·    ·    ·
     7   ·    ·    ·    QT   TTH  ·    ·
     8   ·    ·    ·    ·    QNa  ĐN   ·
     9   ·    ·    ·    ·    KT   QNg  ·
    10   ·    ·    ·    ·    GL   BĐ   ·
    11   ·    ·    ·    ĐNo  ĐL   PY   ·
    12   ·    ·    ·    BP   LĐ   KH   ·
    13   ·    ·    TNi  BD   ĐNa  NT   ·
    14   ·    ĐT   LA   HCM  BRVT BTh  ·
    15   AG   CT   TG   BTr  ·    ·    ·
    16   KG   HGi  VL   TV   ·    ·    ·
    17   CM   BL   ST   ·    ·    ·    ·

`ABBREVIATIONS` gives the short label printed on each tile (2-4 letters, unique; Vietnamese letters such as Đ are
kept). Where two provinces share initials a third letter tells them apart: LCa Lào Cai / LCh Lai Châu, HNa Hà Nam,
HGi Hậu Giang, TNg Thái Nguyên / TNi Tây Ninh, QNi Quảng Ninh / QNa Quảng Nam / QNg Quảng Ngãi, BTh Bình Thuận / BTr
Bến Tre, ĐNa Đồng Nai / ĐNo Đắk Nông (ĐN is Đà Nẵng). BD is Bình Dương and BĐ Bình Định.
"""

from __future__ import annotations

TILES: dict[str, tuple[int, int]] = {
    # North-west mountains and the north-east
    "11": (0, 1),  # Điện Biên
    "12": (1, 1),  # Lai Châu
    "10": (2, 0),  # Lào Cai
    "02": (3, 0),  # Hà Giang
    "04": (4, 0),  # Cao Bằng
    "15": (2, 1),  # Yên Bái
    "08": (3, 1),  # Tuyên Quang
    "06": (4, 1),  # Bắc Kạn
    "20": (5, 1),  # Lạng Sơn
    "14": (1, 2),  # Sơn La
    "25": (2, 2),  # Phú Thọ
    "26": (3, 2),  # Vĩnh Phúc
    "19": (4, 2),  # Thái Nguyên
    "24": (5, 2),  # Bắc Giang
    "22": (6, 2),  # Quảng Ninh
    # Red River delta and the north-central coast
    "17": (2, 3),  # Hoà Bình
    "01": (3, 3),  # Hà Nội
    "27": (4, 3),  # Bắc Ninh
    "30": (5, 3),  # Hải Dương
    "31": (6, 3),  # Hải Phòng
    "38": (2, 4),  # Thanh Hóa
    "35": (3, 4),  # Hà Nam
    "33": (4, 4),  # Hưng Yên
    "34": (5, 4),  # Thái Bình
    "40": (2, 5),  # Nghệ An
    "37": (3, 5),  # Ninh Bình
    "36": (4, 5),  # Nam Định
    # Central coast and Central Highlands
    "42": (2, 6),  # Hà Tĩnh
    "44": (3, 6),  # Quảng Bình
    "45": (3, 7),  # Quảng Trị
    "46": (4, 7),  # Thừa Thiên Huế
    "49": (4, 8),  # Quảng Nam
    "48": (5, 8),  # Đà Nẵng
    "62": (4, 9),  # Kon Tum
    "51": (5, 9),  # Quảng Ngãi
    "64": (4, 10),  # Gia Lai
    "52": (5, 10),  # Bình Định
    "67": (3, 11),  # Đắk Nông
    "66": (4, 11),  # Đắk Lắk
    "54": (5, 11),  # Phú Yên
    "68": (4, 12),  # Lâm Đồng
    "56": (5, 12),  # Khánh Hòa
    # South-east
    "70": (3, 12),  # Bình Phước
    "72": (2, 13),  # Tây Ninh
    "74": (3, 13),  # Bình Dương
    "75": (4, 13),  # Đồng Nai
    "58": (5, 13),  # Ninh Thuận
    "87": (1, 14),  # Đồng Tháp
    "80": (2, 14),  # Long An
    "79": (3, 14),  # Hồ Chí Minh
    "77": (4, 14),  # Bà Rịa - Vũng Tàu
    "60": (5, 14),  # Bình Thuận
    # Mekong delta
    "89": (0, 15),  # An Giang
    "92": (1, 15),  # Cần Thơ
    "82": (2, 15),  # Tiền Giang
    "83": (3, 15),  # Bến Tre
    "91": (0, 16),  # Kiên Giang
    "93": (1, 16),  # Hậu Giang
    "86": (2, 16),  # Vĩnh Long
    "84": (3, 16),  # Trà Vinh
    "96": (0, 17),  # Cà Mau
    "95": (1, 17),  # Bạc Liêu
    "94": (2, 17),  # Sóc Trăng
}

ABBREVIATIONS: dict[str, str] = {
    "01": "HN",  # Hà Nội
    "02": "HG",  # Hà Giang
    "04": "CB",  # Cao Bằng
    "06": "BK",  # Bắc Kạn
    "08": "TQ",  # Tuyên Quang
    "10": "LCa",  # Lào Cai
    "11": "ĐB",  # Điện Biên
    "12": "LCh",  # Lai Châu
    "14": "SL",  # Sơn La
    "15": "YB",  # Yên Bái
    "17": "HB",  # Hoà Bình
    "19": "TNg",  # Thái Nguyên
    "20": "LS",  # Lạng Sơn
    "22": "QNi",  # Quảng Ninh
    "24": "BG",  # Bắc Giang
    "25": "PT",  # Phú Thọ
    "26": "VP",  # Vĩnh Phúc
    "27": "BN",  # Bắc Ninh
    "30": "HD",  # Hải Dương
    "31": "HP",  # Hải Phòng
    "33": "HY",  # Hưng Yên
    "34": "TB",  # Thái Bình
    "35": "HNa",  # Hà Nam
    "36": "NĐ",  # Nam Định
    "37": "NB",  # Ninh Bình
    "38": "TH",  # Thanh Hóa
    "40": "NA",  # Nghệ An
    "42": "HT",  # Hà Tĩnh
    "44": "QB",  # Quảng Bình
    "45": "QT",  # Quảng Trị
    "46": "TTH",  # Thừa Thiên Huế
    "48": "ĐN",  # Đà Nẵng
    "49": "QNa",  # Quảng Nam
    "51": "QNg",  # Quảng Ngãi
    "52": "BĐ",  # Bình Định
    "54": "PY",  # Phú Yên
    "56": "KH",  # Khánh Hòa
    "58": "NT",  # Ninh Thuận
    "60": "BTh",  # Bình Thuận
    "62": "KT",  # Kon Tum
    "64": "GL",  # Gia Lai
    "66": "ĐL",  # Đắk Lắk
    "67": "ĐNo",  # Đắk Nông
    "68": "LĐ",  # Lâm Đồng
    "70": "BP",  # Bình Phước
    "72": "TNi",  # Tây Ninh
    "74": "BD",  # Bình Dương
    "75": "ĐNa",  # Đồng Nai
    "77": "BRVT",  # Bà Rịa - Vũng Tàu
    "79": "HCM",  # Hồ Chí Minh
    "80": "LA",  # Long An
    "82": "TG",  # Tiền Giang
    "83": "BTr",  # Bến Tre
    "84": "TV",  # Trà Vinh
    "86": "VL",  # Vĩnh Long
    "87": "ĐT",  # Đồng Tháp
    "89": "AG",  # An Giang
    "91": "KG",  # Kiên Giang
    "92": "CT",  # Cần Thơ
    "93": "HGi",  # Hậu Giang
    "94": "ST",  # Sóc Trăng
    "95": "BL",  # Bạc Liêu
    "96": "CM",  # Cà Mau
}
