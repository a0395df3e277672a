"""The units the demo sales companies sell: real-sounding resorts of each zone, numbered
building-floor-unit ("A-1203"), handed out so that no unit is sold twice.

Each property has a fixed layout (buildings × floors × 16 units a floor). The k-th unit sold
in a property is ``(k × step) mod capacity`` of its layout, with ``step`` prime to the
capacity: every unit exactly once, in an order that looks scattered, with no set of sold units
kept in memory. When a property is sold out a next phase of it opens ("… Phase 2"), so a demo
of any size finds units (a national ledger of a million investors included).
"""

from collections import defaultdict
from dataclasses import dataclass
from math import gcd

# Per zone: property, facility type, building letters, floors, share of sales.
PROPERTIES_TABLE = """
jeju        | Jeju Shinhwa World Residence      | resort-condominium    | ABCDEFGHJK | 15 | 25
jeju        | Lotte Resort Jeju Art Villas      | resort-condominium    | ABCDEFGHJK |  3 |  8
jeju        | Jeju Haevichi Resort Residence    | resort-condominium    | ABCDEFGH   | 12 | 15
jeju        | Jungmun Sea Breeze Condominium    | resort-condominium    | ABCDEFGHJK | 15 | 15
jeju        | Hamdeok Emerald Bay Resort        | resort-condominium    | ABCDEFGH   | 18 | 12
jeju        | Seogwipo Ocean Suites             | lodging               | ABCDEF     | 20 | 15
jeju        | Aewol Hallasan View Pension       | tourist-pension       | ABCD       |  3 |  5
incheon-fez | Songdo The Sharp Residence        | lodging               | ABCDEF     | 25 | 35
incheon-fez | Yeongjong Paradise City Residence | resort-condominium    | ABCDEFGH   | 20 | 30
incheon-fez | Cheongna Lake Park Golf Villas    | sports-linked-housing | ABCDEFGH   |  5 | 15
incheon-fez | Songdo Central Park Condominium   | resort-condominium    | ABCDEF     | 22 | 20
yeosu-gyeongdo | Gyeongdo Marina Resort Condominium | resort-condominium | ABCDEF  | 12 | 70
yeosu-gyeongdo | Gyeongdo Island Ocean Lodge    | lodging               | ABCD       | 10 | 30
"""
UNITS_A_FLOOR = 16
FIRST_FLOOR = 2  # ground floors hold lobbies and shops


@dataclass(frozen=True)
class Layout:
    name: str
    facility_type: str  # code
    buildings: str
    floors: int
    weight: int

    @property
    def capacity(self):
        return len(self.buildings) * self.floors * UNITS_A_FLOOR


def read_properties(text):
    """``PROPERTIES_TABLE`` → {zone code: [Layout]}."""
    properties = defaultdict(list)
    for line in text.strip().splitlines():
        zone, name, kind, buildings, floors, weight = (cell.strip() for cell in line.split("|"))
        properties[zone].append(Layout(name, kind, buildings, int(floors), int(weight)))
    return dict(properties)


PROPERTIES = read_properties(PROPERTIES_TABLE)


class Property:
    """One property being sold: its phase's name and how many of its units are gone."""

    def __init__(self, layout, phase, rng):
        self.layout, self.sold = layout, 0
        self.name = layout.name if phase == 1 else f"{layout.name} Phase {phase}"
        capacity = layout.capacity
        self.step = rng.randrange(capacity // 3, capacity) | 1
        while gcd(self.step, capacity) != 1:
            self.step += 2
        self.offset = rng.randrange(capacity)

    @property
    def full(self):
        return self.sold == self.layout.capacity

    def next_unit(self):
        """The next unsold unit's number, e.g. ``"C-1207"``."""
        layout = self.layout
        index = (self.offset + self.sold * self.step) % layout.capacity
        self.sold += 1
        building, rest = divmod(index, layout.floors * UNITS_A_FLOOR)
        floor, unit = divmod(rest, UNITS_A_FLOOR)
        return f"{layout.buildings[building]}-{floor + FIRST_FLOOR}{unit + 1:02d}"


class Catalogue:
    """The properties one company sells in one zone (only the facility types the zone's
    reference row allows)."""

    def __init__(self, zone_code, allowed_types, rng):
        self.rng = rng
        layouts = [p for p in PROPERTIES.get(zone_code, []) if p.facility_type in allowed_types]
        if not layouts:
            raise ValueError(f"The demo has no property of an allowed type in {zone_code}.")
        self.selling = [Property(layout, 1, rng) for layout in layouts]
        self.weights = [layout.weight for layout in layouts]
        self.phases = dict.fromkeys(layouts, 1)

    def unit(self):
        """``(property name, facility type code, unit number)`` of a unit nobody has bought."""
        (chosen,) = self.rng.choices(range(len(self.selling)), weights=self.weights)
        selling = self.selling[chosen]
        if selling.full:
            layout = selling.layout
            self.phases[layout] += 1
            selling = self.selling[chosen] = Property(layout, self.phases[layout], self.rng)
        return selling.name, selling.layout.facility_type, selling.next_unit()
