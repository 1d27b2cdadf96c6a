"""Fictional demo objects and their procedurally drawn images.

Everything here is invented: objects, brands, shops, places. The images are drawn with
Pillow at runtime, so no binary file needs to be committed. ``draw(key)`` is deterministic.

Drawings use a virtual 1600x1200 canvas that is scaled and centred onto the real image;
backgrounds extend to the real edges whatever the aspect ratio.
"""

import hashlib
import math
import random
from contextlib import contextmanager
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

VW, VH = 1600, 1200

DEMO_CATEGORIES: list[dict] = [
    {"slug": "bags", "name": "Bags and luggage", "order": 1},
    {"slug": "clothing", "name": "Clothing and accessories", "order": 2},
    {"slug": "packaging", "name": "Packaging, bottles and labels", "order": 3},
    {"slug": "textiles", "name": "Curtains, bedding and carpets", "order": 4},
    {"slug": "furniture-lighting", "name": "Furniture, lighting and interiors", "order": 5},
    {"slug": "toys", "name": "Toys", "order": 6},
    {"slug": "souvenirs-signs", "name": "Souvenirs and signs", "order": 7},
]

# One block per object, separated by blank lines:
#   key | category | days_ago
#   title
#   question
#   alt text
#   description (one or more lines, joined with spaces)
#   [optional last line "Identified: <public note>" marks the object as identified]
_RECORDS = """
tote-bag-sunmarket | bags | 3
Canvas tote bag with a sun logo
Where is this bag sold?
Cream canvas tote bag with a round orange sun logo and the word SOLMARKT
A cream canvas tote bag with two long handles. The front shows a round orange sun
and the shop name SOLMARKT with the line "fresh from the square".

backpack-trail-patch | bags | 12
Navy backpack with a mountain patch
Where could this backpack have been bought?
Navy blue backpack with a front pocket and a beige patch showing mountains and VELLORA TRAILS
A navy backpack with a zipped front pocket and padded straps. A sewn-on beige patch
shows two mountains, a sun and the words VELLORA TRAILS.

suitcase-travel-stickers | bags | 95
Teal suitcase covered in travel stickers
Have you seen these stickers before, or do you know where they are given out?
Teal hard-shell suitcase with three stickers: PORT ALVERA, LAKE MIRREN and HOTEL KESTRA
A ribbed teal hard-shell suitcase on wheels. Three stickers are visible: a red round
PORT ALVERA sticker, a yellow LAKE MIRREN label and an oval HOTEL KESTRA sticker.

paper-bag-boutique | bags | 310
Mint paper shopping bag from a boutique
Which shop hands out this paper bag?
Mint green paper shopping bag with rope handles, a gold MO monogram and the name MAISON ORVELLE
A mint green paper bag with twisted rope handles. It carries a gold circular MO
monogram and the words MAISON ORVELLE, ACCESSORIES & GIFTS.
Identified: Traced to a small chain of gift boutiques thanks to 9 tips from the public.

tshirt-wave-print | clothing | 1
Blue T-shirt with a surf club print
Where is this T-shirt sold?
Light blue T-shirt with a round sunset and wave print above the words KALMO SURF CLUB
A light blue short-sleeved T-shirt. The chest print is a circle with a sunset over
navy waves, with KALMO SURF CLUB written underneath.

cap-pine-badge | clothing | 40
Brown cap with a pine tree badge
Do you recognise this cap or its badge?
Brown baseball cap with a round cream badge showing a green pine tree and the word ESKERHOLT
A brown six-panel baseball cap. The front has a round embroidered badge with a green
pine tree and the word ESKERHOLT.

football-jersey-17 | clothing | 150
Striped football shirt with number 17
Which club or shop is this shirt from?
Claret and white striped football shirt with a large number 17 and a crest reading FC ARVENTO
A claret and white striped football shirt with a V-neck. It has a white number 17 on
the front and a small shield-shaped crest reading FC ARVENTO.

knit-sweater-snowflakes | clothing | 220
Green knitted sweater with snowflakes
Where could this sweater have been bought?
Dark green knitted sweater with a white zigzag band and white snowflakes across the chest
A dark green hand-knitted sweater with long sleeves and ribbed cuffs. A white zigzag
band and a row of snowflakes run across the chest.

lemonade-bottle-label | packaging | 0
Lemonade bottle with a LIMORELLA label
Where is this drink sold?
Green glass bottle of yellow lemonade with a cream label showing a lemon and the word LIMORELLA
A green glass bottle with a red cap, filled with yellow lemonade. The cream label
shows a lemon with a leaf, the brand LIMORELLA and the words "sparkling lemon".

cereal-box-oat-stars | packaging | 6
Cereal box with oat stars
In which country or shop is this cereal sold?
Red cereal box labelled MORGENKORN OAT STARS with a bowl of star-shaped cereal
A red cereal box standing on a kitchen counter. The front says MORGENKORN in white,
OAT STARS in yellow, and shows a blue bowl full of star-shaped cereal.

tomato-can-label | packaging | 280
Tin of peeled tomatoes
Where is this tin of tomatoes sold?
Metal tin with a red label showing a tomato on a cream oval and the brand ROSSAVELLA
A metal tin with a red paper label. A cream oval shows a ripe tomato; above it is the
brand ROSSAVELLA and below it PEELED TOMATOES 400 g.
Identified: Identified as a supermarket house brand in two countries, thanks to 14 tips.

shampoo-bottle-aquelle | packaging | 33
Lilac shampoo bottle
Do you know where this shampoo is sold?
Lilac shampoo bottle with a white flip cap, a blue water drop and the word AQUELLE
A lilac plastic shampoo bottle with a white flip cap, standing in front of aqua
bathroom tiles. The label shows a blue drop, AQUELLE and "gentle shampoo".

tea-box-nuraya | packaging | 120
Box of mint tea
Where can this tea be bought?
Green tea box with a gold patterned border, mint leaves and the words NURAYA MINT TEA
A green cardboard box of tea with a gold diamond border. In the middle, a cream circle
with mint leaves, the brand NURAYA and the words MINT TEA, 20 BAGS.

curtain-floral-folds | textiles | 365
Floral curtain on a wooden rod
Where could this curtain fabric come from?
Cream curtain with small pink and blue flowers hanging in folds from a wooden rod
A long cream curtain hanging in soft folds from a wooden rod with rings. It is
printed with small five-petal flowers in pink, blue and yellow.
Identified: Fabric traced to a furnishing shop's own collection thanks to 31 tips.

duvet-checked-blue | textiles | 9
Blue checked duvet cover
Have you seen this bedding before?
Bed with a white pillow and a blue and white checked duvet cover below a wooden headboard
A bed with a wooden headboard, a white pillow and a blue and white gingham duvet cover
folded back at the top.

carpet-geometric-border | textiles | 180
Red carpet with a geometric border
Where is this carpet sold?
Red rectangular carpet with navy and cream borders, a diamond centre and fringes on a wood floor
A red rectangular carpet on a wooden floor, seen from above. It has navy and cream
borders, a diamond-patterned centre medallion and cream fringes at both ends.

cushion-diamond-tassels | textiles | 60
Mustard cushion with tassels
Do you recognise this cushion cover?
Square mustard and white cushion with a diamond pattern and a tassel at each corner, on a grey sofa
A square cushion with a mustard and white diamond pattern and a small tassel at each
corner, lying on a grey sofa.

hotel-bedside-lamp | furniture-lighting | 2
Bedside lamp on a walnut nightstand
Which hotel has lamps and nightstands like these?
Lit bedside lamp with a cream shade and teal round base on a walnut nightstand with a notepad
A bedside lamp with a cream shade and a round teal ceramic base, standing on a walnut
nightstand. A notepad on the nightstand is printed with GRAND HOTEL MIREL.

hotel-room-headboard | furniture-lighting | 14
Hotel room with a tufted green headboard
Do you recognise this hotel room?
Hotel bed with a tall tufted sage headboard, white bedding, a grey runner and an abstract painting
A hotel room with a tall tufted sage headboard, white bedding with a grey runner, two
wall lights and an abstract painting of a sun over hills above the bed.

wallpaper-leaves | furniture-lighting | 75
Dark green wallpaper with gold leaves
Where has this wallpaper been seen?
Dark green wallpaper with gold and teal leaves, a white light switch and a white skirting board
A wall covered in dark green wallpaper printed with scattered gold and teal leaves,
with a white light switch and a white skirting board.

armchair-mustard | furniture-lighting | 400
Mustard velvet armchair
Where could this armchair have been bought?
Mustard armchair with rounded arms, wooden legs and a striped cushion
A mustard velvet armchair with rounded arms and tapered wooden legs. A cushion with
blue and white stripes leans against the back.

pendant-lamp-rattan | furniture-lighting | 27
Rattan pendant lamp
Do you know where this lamp is from?
Dome-shaped woven rattan pendant lamp hanging from a black cord and glowing warm light
A dome-shaped pendant lamp made of woven rattan, hanging from a black cord in an
evening-lit room.

teddy-bear-bowtie | toys | 4
Brown teddy bear with a red bow tie
Where is this teddy bear sold?
Brown plush teddy bear sitting upright with a red polka-dot bow tie and a small ear tag
A brown plush teddy bear with light ears and muzzle, sitting upright. It wears a red
bow tie with white dots and has a small POLVO tag on one ear.

wooden-toy-truck | toys | 45
Wooden toy truck with blocks
Which shop or maker sells this wooden truck?
Wooden toy truck with a red cab, the word TIMBERLO on the side and coloured blocks in the back
A wooden toy truck with a red cab, four wheels and a load of coloured wooden blocks.
The side of the truck bed is stamped TIMBERLO.

rubber-duck-captain | toys | 130
Rubber duck with a captain's hat
Have you seen this bath duck before?
Yellow rubber duck wearing a navy captain's hat, floating in blue water with bubbles
A yellow rubber duck with an orange beak and a navy captain's hat with a white band,
floating in blue bath water among bubbles.

toy-blocks-letters | toys | 250
Stack of painted wooden blocks
Where are these wooden blocks sold?
Pyramid of painted wooden blocks showing the letters A, B and C, a star, a circle and a triangle
Six painted wooden blocks stacked in a pyramid. The faces show the letters A, B and C
and simple shapes: a star, a circle and a triangle.

souvenir-mug-skyline | souvenirs-signs | 8
Souvenir mug with a city skyline
Where is this mug sold?
White mug with a blue city skyline and the words PORT ALVERA, on a wooden table
A white souvenir mug on a wooden table, printed with a blue skyline of small buildings
and the words PORT ALVERA.

snow-globe-lighthouse | souvenirs-signs | 340
Snow globe with a lighthouse
Where could this snow globe have been bought?
Snow globe with a red and white lighthouse inside and a wooden base labelled LAKE MIRREN
A snow globe with a red and white striped lighthouse on a snowy hill. The wooden base
has a small brass plate reading LAKE MIRREN.
Identified: Identified as a souvenir sold at a lakeside gift shop, thanks to 22 tips.

street-sign-mirafonte | souvenirs-signs | 18
Blue street name sign
Where is this street?
Blue enamel street sign with a white border reading CALLE MIRAFONTE on a brick wall
A blue enamel street sign with a white border, screwed to a brick wall. It reads
CALLE MIRAFONTE, with DISTRITO VELLANO and the number 14 below.

bakery-hanging-sign | souvenirs-signs | 200
Hanging bakery sign with a bread loaf
Do you know this bakery?
Oval wooden sign with a golden bread loaf and the words QUILLAN BAKERY hanging from an iron bracket
An oval dark wooden sign hanging from a curled iron bracket. It shows a golden loaf of
bread and the words QUILLAN BAKERY.
"""


def _parse(text: str) -> list[dict]:
    objects = []
    for block in text.strip().split("\n\n"):
        head, title, question, alt, *rest = block.strip().splitlines()
        note = (
            rest.pop().removeprefix("Identified:").strip()
            if rest[-1].startswith("Identified:")
            else ""
        )
        key, category, days_ago = (part.strip() for part in head.split("|"))
        objects.append(
            {
                "key": key,
                "category": category,
                "title": title,
                "question": question,
                "description": " ".join(rest),
                "alt": alt,
                "days_ago": int(days_ago),
                "identified": bool(note),
                "identification_note": note,
            }
        )
    return objects


DEMO_OBJECTS: list[dict] = _parse(_RECORDS)


# --- Drawing toolkit -----------------------------------------------------------------------


@lru_cache(maxsize=64)
def _font(size):
    return ImageFont.load_default(size=size)


def _shade(color, f):
    return tuple(max(0, min(255, round(v * f))) for v in color)


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


class _Canvas:
    """Shapes in virtual 1600x1200 coordinates, scaled and centred onto the real image."""

    def __init__(self, width, height):
        self.img = self.im = Image.new("RGB", (width, height), (255, 255, 255))
        self.d = ImageDraw.Draw(self.im)
        self.k = min(width / VW, height / VH)
        self.ox, self.oy = (width - VW * self.k) / 2, (height - VH * self.k) / 2
        # Virtual coordinates of the real image's edges, for full-bleed backgrounds.
        k, ox, oy = self.k, self.ox, self.oy
        self.bounds = (-ox / k, -oy / k, (width - ox) / k, (height - oy) / k)

    def _p(self, coords):
        o = (self.ox, self.oy)
        return [o[i % 2] + v * self.k for i, v in enumerate(coords)]

    def _box(self, box):
        return [round(v) for v in self._p(box)]

    def _w(self, width):
        return max(1, round(width * self.k)) if width else 0

    def rect(self, box, fill=None, outline=None, width=0, r=0):
        self.d.rounded_rectangle(self._p(box), r * self.k, fill, outline, self._w(width))

    def ellipse(self, box, fill=None, outline=None, width=0):
        self.d.ellipse(self._p(box), fill, outline, self._w(width))

    def disc(self, cx, cy, r, fill=None, outline=None, width=0):
        self.ellipse((cx - r, cy - r, cx + r, cy + r), fill, outline, width)

    def poly(self, points, fill=None, outline=None, width=0):
        self.d.polygon(self._p([v for pt in points for v in pt]), fill, outline, self._w(width))

    def line(self, points, fill, width=4):
        self.d.line(self._p([v for pt in points for v in pt]), fill, self._w(width), "curve")

    def arc(self, box, start, end, fill, width=4):
        self.d.arc(self._p(box), start, end, fill, self._w(width))

    def pie(self, box, start, end, fill):
        self.d.pieslice(self._p(box), start, end, fill)

    def text(self, xy, s, size, fill, bold=0, anchor="mm", max_w=None):
        """Text with the built-in font; shrunk if needed to fit `max_w` virtual pixels."""
        px, w = max(6, round(size * self.k)), round(bold * self.k)
        while max_w and px > 6 and _font(px).getlength(s) + 2 * w > max_w * self.k:
            px = int(px * 0.92)
        font = _font(px)
        self.d.text(self._p(xy), s, fill, font, anchor, stroke_width=w, stroke_fill=fill)

    def gradient(self, box, c0, c1, horizontal=False):
        x0, y0, x1, y1 = self._box(box)
        size = (max(1, x1 - x0), max(1, y1 - y0))
        mask = Image.linear_gradient("L")
        mask = (mask.rotate(90) if horizontal else mask).resize(size)
        c0, c1 = Image.new("RGB", size, c0), Image.new("RGB", size, c1)
        self.im.paste(Image.composite(c1, c0, mask), (x0, y0))

    def glow(self, cx, cy, r, color, strength=1.0):
        x0, y0, x1, y1 = self._box((cx - r, cy - r, cx + r, cy + r))
        mask = Image.radial_gradient("L").point(
            lambda v: round(255 * strength * max(0.0, 1 - v / 181) ** 2)
        )
        self.im.paste(color, (x0, y0), mask.resize((max(1, x1 - x0), max(1, y1 - y0))))

    def shadow(self, cx, cy, rx, ry, alpha=110):
        x0, y0, x1, y1 = self._box((cx - 1.5 * rx, cy - 2 * ry, cx + 1.5 * rx, cy + 2 * ry))
        small = Image.new("L", (96, 64))
        ImageDraw.Draw(small).ellipse((16, 16, 80, 48), fill=alpha)
        mask = small.filter(ImageFilter.GaussianBlur(7)).resize((max(1, x1 - x0), max(1, y1 - y0)))
        self.im.paste((30, 22, 15), (x0, y0), mask)

    @contextmanager
    def clip(self, shape, geometry, **kwargs):
        """Whatever is drawn inside the block only shows within the given shape."""
        base, layer = self.im, self.im.copy()
        self.im, self.d = layer, ImageDraw.Draw(layer)
        try:
            yield
        finally:
            mask = Image.new("L", base.size)
            self.im, self.d = mask, ImageDraw.Draw(mask)
            getattr(self, shape)(geometry, fill=255, **kwargs)
            base.paste(layer, mask=mask)
            self.im, self.d = base, ImageDraw.Draw(base)


def _studio(c, top, bottom):
    c.gradient(c.bounds, top, bottom)


def _room(c, wall, floor, horizon=860):
    x0, y0, x1, y1 = c.bounds
    c.gradient((x0, y0, x1, horizon), _shade(wall, 1.08), _shade(wall, 0.85))
    c.gradient((x0, horizon, x1, y1), floor, _shade(floor, 0.7))


def _cylinder(c, box, color, top=None):
    """A vertical cylinder seen slightly from above: shaded body plus a top ellipse."""
    x0, y0, x1, y1 = box
    e = (x1 - x0) * 0.12
    mid = (x0 + x1) / 2
    with c.clip("rect", (x0, y0, x1, y1 - e)):
        c.gradient((x0, y0, mid, y1), _shade(color, 0.7), _shade(color, 1.1), horizontal=True)
        c.gradient((mid, y0, x1, y1), _shade(color, 1.1), _shade(color, 0.6), horizontal=True)
    with c.clip("ellipse", (x0, y1 - 2 * e, x1, y1)):
        c.gradient((x0, y1 - 2 * e, x1, y1), _shade(color, 0.8), _shade(color, 0.65), True)
    if top:
        c.ellipse((x0, y0 - e, x1, y0 + e), top, _shade(top, 0.8), 3)


def _box3d(c, box, depth, front, face=None):
    """A box seen from the right and above: front, top and right-hand faces."""
    x0, y0, x1, y1 = box
    d = depth
    c.poly([(x0, y0), (x0 + d, y0 - d * 0.6), (x1 + d, y0 - d * 0.6), (x1, y0)], _shade(front, 1.2))
    c.poly([(x1, y0), (x1 + d, y0 - d * 0.6), (x1 + d, y1 - d * 0.6), (x1, y1)], _shade(front, 0.7))
    c.rect(box, face or front)


def _star(c, cx, cy, r, fill, points=5, inner=0.45, turn=0.0):
    pts = []
    for i in range(points * 2):
        a = turn - math.pi / 2 + i * math.pi / points
        rr = r if i % 2 == 0 else r * inner
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    c.poly(pts, fill)


def _leaf(c, cx, cy, length, angle, fill, vein=None):
    ca, sa = math.cos(angle), math.sin(angle)
    side = [(t / 10, math.sin(math.pi * t / 10) * 0.22) for t in range(11)]
    outline = side + [(x, -y) for x, y in reversed(side)]
    pts = [(cx + length * (x * ca - y * sa), cy + length * (x * sa + y * ca)) for x, y in outline]
    c.poly(pts, fill)
    if vein:
        c.line([pts[0], pts[10]], vein, 3)


def _sun(c, cx, cy, r, color, rays=12):
    for i in range(rays):
        a = i * 2 * math.pi / rays
        pts = [
            (cx + r * 1.15 * math.cos(a + s), cy + r * 1.15 * math.sin(a + s))
            for s in (-0.12, 0.12)
        ]
        c.poly(pts + [(cx + r * 1.55 * math.cos(a), cy + r * 1.55 * math.sin(a))], color)
    c.disc(cx, cy, r, color)


def _logo(c, cx, cy, r, bg, fg, text, size, ring=None):
    c.disc(cx, cy, r, bg, ring, 6 if ring else 0)
    c.text((cx, cy), text, size, fg, bold=1)


def _label(c, box, bg, fg, title, sub=None, accent=None, size=60, r=8):
    x0, y0, x1, y1 = box
    c.rect(box, bg, _shade(bg, 0.8), 2, r)
    if accent:
        c.rect((x0, y0 + 10, x1, y0 + 22), accent)
        c.rect((x0, y1 - 22, x1, y1 - 10), accent)
    cy = (y0 + y1) / 2 - (size * 0.35 if sub else 0)
    c.text(((x0 + x1) / 2, cy), title, size, fg, bold=2, max_w=x1 - x0 - 30)
    if sub:
        c.text(((x0 + x1) / 2, cy + size * 0.9), sub, size * 0.45, fg, max_w=x1 - x0 - 30)


def _steps(start, stop, step):
    return [start + k * step for k in range(int((stop - start) // step) + 2)]


def _pattern(c, box, kind, bg, colors, step, rng):
    """Fill `box` (and only `box`) with a repeating motif; nest in ``c.clip`` for shapes.

    Kinds: stripes, checks (gingham), dots, flowers, diamonds, leaves, bricks, tiles, planks.
    """
    x0, y0, x1, y1 = box
    with c.clip("rect", box):
        c.rect(box, bg)
        if kind in ("stripes", "checks"):
            for i, x in enumerate(_steps(x0, x1, step)):
                c.rect(
                    (x, y0, x + step / 2, y1), colors[0 if kind == "checks" else i % len(colors)]
                )
        if kind == "checks":
            for y in _steps(y0, y1, step):
                c.rect((x0, y, x1, y + step / 2), colors[0])
                for x in _steps(x0, x1, step):
                    c.rect((x, y, x + step / 2, y + step / 2), colors[1])
            return
        h = step / 2 if kind == "bricks" else step
        w = step * 4 if kind == "planks" else step
        for j, y in enumerate(_steps(y0, y1, h) if kind != "stripes" else []):
            shift = 0 if kind in ("tiles", "diamonds") else w / 2 * (j % 2)
            for i, x in enumerate(_steps(x0 - w + shift, x1, w)):
                col = colors[(i + j) % len(colors)]
                if kind == "dots":
                    c.disc(x, y, step / 6, col)
                elif kind == "flowers":
                    for a in [p * 2 * math.pi / 5 + rng.random() for p in range(5)]:
                        c.disc(
                            x + step * 0.14 * math.cos(a),
                            y + step * 0.14 * math.sin(a),
                            step * 0.11,
                            col,
                        )
                    c.disc(x, y, step * 0.07, colors[-1])
                elif kind == "diamonds" and (i + j) % 2:
                    c.poly([(x, y - h / 2), (x + w / 2, y), (x, y + h / 2), (x - w / 2, y)], col)
                elif kind == "leaves":
                    dx, dy = (rng.uniform(-0.3, 0.3) * step for _ in "xy")
                    _leaf(c, x + dx, y + dy, step * 0.6, rng.uniform(0, 2 * math.pi), col)
                elif kind in ("bricks", "tiles", "planks"):
                    tint = col if kind == "tiles" else _shade(col, rng.uniform(0.88, 1.08))
                    c.rect((x + 3, y + 3, x + w - 3, y + h - 3), tint, r=3)


def _garment(c, color, long_sleeves=False):
    """T-shirt or sweater outline; returns the polygon for clipping prints."""
    if long_sleeves:
        sleeves = [(400, 960), (500, 990), (590, 520)]
    else:
        sleeves = [(410, 520), (500, 600), (590, 520)]
    left = [(690, 250), (560, 290)] + sleeves + [(580, 1060)]
    pts = left + [(VW - x, y) for x, y in reversed(left)]
    c.shadow(800, 1070, 330, 30, 70)
    c.poly(pts, color)
    c.ellipse((700, 215, 900, 330), _shade(color, 0.75), _shade(color, 0.9), 14)
    return pts


# --- The 30 drawings -----------------------------------------------------------------------

_DRAWERS = {}


def _art(key):
    def register(fn):
        _DRAWERS[key] = fn
        return fn

    return register


@_art("tote-bag-sunmarket")
def _tote(c, rng):
    _studio(c, (246, 236, 220), (214, 196, 170))
    cream = (238, 228, 204)
    c.shadow(800, 975, 300, 28)
    for bx in (610, 810):
        c.arc((bx, 200, bx + 180, 640), 180, 360, _shade(cream, 0.85), 28)
    c.rect((560, 420, 1040, 980), cream, r=6)
    for y in range(432, 975, 10):
        c.line([(566, y), (1034, y)], _shade(cream, rng.uniform(0.95, 0.99)), 2)
    _sun(c, 800, 610, 95, (238, 130, 40))
    c.text((800, 810), "SOLMARKT", 78, (110, 60, 30), bold=2)
    c.text((800, 880), "fresh from the square", 30, (140, 90, 50))


@_art("backpack-trail-patch")
def _backpack(c, rng):
    _studio(c, (214, 224, 214), (150, 168, 156))
    navy = (40, 66, 110)
    c.shadow(800, 1010, 300, 30)
    c.arc((720, 200, 880, 360), 180, 360, _shade(navy, 0.7), 24)
    for x in (520, 1030):
        c.rect((x, 380, x + 50, 900), _shade(navy, 0.7), r=20)
    c.rect((560, 280, 1040, 1010), navy, r=130)
    c.rect((610, 640, 990, 980), _shade(navy, 0.85), _shade(navy, 0.6), 4, r=60)
    c.line([(640, 680), (960, 680)], (190, 190, 190), 6)
    c.rect((930, 670, 950, 730), (200, 200, 200), r=6)
    c.rect((680, 400, 920, 590), (226, 210, 170), (150, 120, 80), 6, r=22)
    _sun(c, 860, 450, 18, (230, 150, 50), 8)
    c.poly([(700, 545), (770, 440), (840, 545)], (70, 110, 80))
    c.poly([(780, 545), (840, 475), (900, 545)], (50, 90, 70))
    c.text((800, 568), "VELLORA TRAILS", 26, (90, 60, 30), bold=1)


@_art("suitcase-travel-stickers")
def _suitcase(c, rng):
    _room(c, (200, 210, 220), (170, 160, 150), 900)
    teal = (30, 122, 132)
    c.shadow(800, 1060, 320, 26)
    c.rect((720, 230, 880, 320), None, (40, 40, 40), 22, r=20)
    for x in (560, 1000):
        c.ellipse((x, 1010, x + 50, 1070), (30, 30, 30))
    c.rect((520, 300, 1080, 1030), teal, r=50)
    for x in range(600, 1020, 80):
        c.line([(x, 330), (x, 1000)], _shade(teal, 1.15), 8)
    dx, dy = rng.uniform(-20, 20), rng.uniform(-20, 20)
    _logo(c, 680 + dx, 480 + dy, 105, (200, 50, 50), (255, 255, 255), "PORT ALVERA", 28, "white")
    _label(c, (780, 600, 1030, 720), (250, 210, 60), (60, 50, 20), "LAKE MIRREN", size=36)
    c.ellipse((600 - dx, 780, 900 - dx, 930), (250, 250, 240), (40, 110, 70), 8)
    c.text((750 - dx, 855), "HOTEL KESTRA", 34, (40, 110, 70), bold=1)


@_art("paper-bag-boutique")
def _paper_bag(c, rng):
    _studio(c, (248, 226, 222), (220, 180, 176))
    mint = (186, 224, 206)
    c.shadow(840, 1000, 300, 24)
    for bx in (650, 830):
        c.arc((bx, 250, bx + 120, 560), 180, 360, (160, 120, 70), 10)
    c.poly([(1020, 420), (1100, 450), (1100, 980), (1020, 1000)], _shade(mint, 0.75))
    c.rect((580, 420, 1020, 1000), mint)
    c.line([(580, 480), (1020, 480)], _shade(mint, 0.9), 3)
    _logo(c, 800, 640, 90, None, (170, 130, 50), "MO", 80, (170, 130, 50))
    c.text((800, 800), "MAISON ORVELLE", 46, (120, 90, 40), bold=1)
    c.text((800, 860), "ACCESSORIES & GIFTS", 24, (120, 90, 40))


@_art("tshirt-wave-print")
def _tshirt(c, rng):
    _studio(c, (236, 236, 232), (196, 196, 190))
    _garment(c, (130, 182, 220))
    with c.clip("ellipse", (660, 400, 940, 680)):
        c.gradient((660, 400, 940, 600), (250, 200, 90), (240, 110, 80))
        c.ellipse((740, 500, 860, 620), (255, 230, 140))
        for k in range(5):
            y = 580 + k * 24
            pts = [(x, y + 12 * math.sin(x / 30 + k)) for x in range(650, 960, 10)]
            c.poly(pts + [(950, 700), (650, 700)], _mix((30, 60, 110), (60, 110, 170), k / 5))
    c.text((800, 740), "KALMO SURF CLUB", 46, (30, 50, 90), bold=2)


@_art("cap-pine-badge")
def _cap(c, rng):
    """Side view: a dome-shaped crown with the peak pointing right."""
    _studio(c, (236, 222, 196), (190, 170, 140))
    brown = (120, 80, 50)
    c.shadow(860, 820, 420, 36)
    peak = [(960 + 370 * t / 10, 700 + 20 * t / 10 + 70 * (t / 10) ** 2) for t in range(11)]
    peak += [(960 + 370 * t / 10, 780 + 10 * t / 10) for t in range(10, -1, -1)]
    c.poly(peak, _shade(brown, 0.75))
    c.pie((480, 420, 1080, 1080), 180, 360, brown)
    for bx in (560, 660):
        c.arc((bx, 420, 2 * 780 - bx, 1080), 180, 360, _shade(brown, 0.8), 3)
    c.line([(480, 742), (1080, 742)], _shade(brown, 0.65), 14)
    c.disc(780, 420, 16, _shade(brown, 0.8))
    c.disc(870, 590, 105, (240, 228, 200), (60, 110, 60), 8)
    for k in range(3):
        tip, base, half = 505 + k * 30, 570 + k * 30, 40 + k * 8
        c.poly([(870, tip), (870 - half, base), (870 + half, base)], (50, 120, 70))
    c.rect((862, 630, 878, 645), (100, 70, 40))
    c.text((870, 662), "ESKERHOLT", 18, (50, 90, 50), bold=1)


@_art("football-jersey-17")
def _jersey(c, rng):
    _studio(c, (226, 232, 236), (150, 160, 170))
    claret = (130, 30, 50)
    pts = _garment(c, claret)
    with c.clip("poly", pts):
        _pattern(c, (380, 240, 1220, 1070), "stripes", claret, [claret, (245, 245, 245)], 100, rng)
    c.poly([(720, 250), (880, 250), (800, 360)], (40, 40, 50))
    c.rect((880, 420, 980, 460), claret, r=4)
    c.poly([(890, 440), (970, 440), (970, 500), (930, 540), (890, 500)], (250, 210, 80), claret, 3)
    c.text((930, 480), "FC", 22, claret, bold=1)
    c.text((930, 415), "FC ARVENTO", 20, (245, 245, 245), anchor="mb")
    c.text((800, 740), "17", 300, (250, 250, 250), bold=8)
    c.text((800, 740), "17", 280, claret)


@_art("knit-sweater-snowflakes")
def _sweater(c, rng):
    _studio(c, (232, 226, 218), (180, 170, 160))
    green = (36, 90, 60)
    pts = _garment(c, green, long_sleeves=True)
    with c.clip("poly", pts):
        for y in range(250, 1070, 22):
            for x in range(380, 1220, 22):
                c.line([(x, y), (x + 11, y + 12), (x + 22, y)], _shade(green, 0.85), 3)
        for x in range(380, 1220, 60):
            c.poly([(x, 470), (x + 30, 430), (x + 60, 470), (x + 30, 510)], (240, 240, 235))
        for x in range(620, 1000, 120):
            for a in range(3):
                ang = a * math.pi / 3
                dx, dy = 34 * math.cos(ang), 34 * math.sin(ang)
                c.line([(x - dx, 600 - dy), (x + dx, 600 + dy)], (240, 240, 235), 6)
        for x in range(560, 1040, 16):
            c.line([(x, 1010), (x, 1060)], _shade(green, 0.7), 4)


def _bottle(c, cx, top, bottom, body_w, neck_w, color, cap):
    """A bottle with rounded shoulders; returns the outline for clipping."""
    sh_top, sh_bot = top + 120, top + 120 + body_w * 0.45
    right = [(cx + neck_w / 2, top)]
    for k in range(11):
        t = k / 10
        right.append(
            (
                cx + neck_w / 2 + (body_w - neck_w) / 2 * (1 - math.cos(math.pi * t)) / 2,
                sh_top + (sh_bot - sh_top) * t,
            )
        )
    right += [(cx + body_w / 2, bottom - 30), (cx + body_w / 2 - 30, bottom)]
    pts = right + [(2 * cx - x, y) for x, y in reversed(right)]
    c.shadow(cx, bottom, body_w * 0.6, 24)
    c.poly(pts, color)
    c.rect((cx - neck_w / 2 - 8, top - 50, cx + neck_w / 2 + 8, top + 10), cap, r=8)
    return pts


@_art("lemonade-bottle-label")
def _lemonade(c, rng):
    _studio(c, (255, 246, 200), (236, 200, 110))
    pts = _bottle(c, 800, 220, 1040, 300, 90, (150, 190, 140), (200, 40, 40))
    with c.clip("poly", pts):
        c.gradient((640, 400, 960, 1040), (246, 226, 110), (226, 190, 60))
        c.rect((690, 420, 715, 1000), (255, 255, 240), r=10)
    cream, green = (252, 246, 226), (60, 110, 50)
    _label(c, (650, 620, 950, 900), cream, green, "LIMORELLA", "sparkling lemon", green, size=58)
    c.ellipse((765, 652, 835, 704), (250, 210, 40))
    _leaf(c, 828, 664, 44, -0.5, (80, 150, 60))


@_art("cereal-box-oat-stars")
def _cereal(c, rng):
    _room(c, (236, 232, 220), (200, 180, 150), 1040)
    c.shadow(850, 1040, 320, 20)
    red = (210, 50, 40)
    _box3d(c, (560, 180, 1020, 1040), 110, red)
    c.text((790, 290), "MORGENKORN", 70, (255, 255, 255), bold=3, max_w=420)
    c.text((790, 400), "OAT STARS", 84, (255, 210, 50), bold=3)
    for _ in range(22):
        _star(
            c,
            rng.uniform(640, 940),
            rng.uniform(600, 700),
            rng.uniform(22, 34),
            (230, 170, 70),
            turn=rng.random(),
        )
    c.pie((620, 520, 960, 860), 0, 180, (40, 90, 170))
    c.ellipse((620, 660, 960, 720), None, (30, 70, 140), 6)
    _logo(c, 930, 940, 62, (255, 210, 50), red, "NEW", 34)


@_art("tomato-can-label")
def _tomato_can(c, rng):
    _room(c, (200, 190, 170), (140, 100, 70), 960)
    c.shadow(800, 975, 250, 20)
    _cylinder(c, (600, 320, 1000, 1000), (190, 190, 195), top=(215, 215, 220))
    with c.clip("rect", (600, 400, 1000, 900)):
        _cylinder(c, (600, 400, 1000, 960), (200, 40, 35))
    c.ellipse((680, 530, 920, 800), (250, 236, 200))
    c.ellipse((730, 580, 870, 740), (220, 50, 40))
    _star(c, 800, 590, 36, (60, 130, 50), 5, 0.35)
    c.text((800, 470), "ROSSAVELLA", 52, (255, 240, 200), bold=2)
    c.text((800, 850), "PEELED TOMATOES 400 g", 26, (255, 240, 200))


@_art("shampoo-bottle-aquelle")
def _shampoo(c, rng):
    x0, y0, x1, y1 = c.bounds
    _pattern(c, (x0, y0, x1, 900), "tiles", (236, 246, 246), [(170, 220, 220)], 120, rng)
    c.gradient((x0, 900, x1, y1), (240, 240, 240), (200, 200, 205))
    c.shadow(800, 1010, 220, 20)
    lilac = (190, 160, 220)
    c.rect((640, 320, 960, 1020), lilac, r=60)
    c.gradient((660, 360, 700, 980), _shade(lilac, 1.2), lilac, True)
    c.rect((700, 200, 900, 330), (250, 250, 250), _shade(lilac, 0.8), 3, r=20)
    c.rect((690, 300, 910, 340), (235, 235, 235), r=8)
    c.ellipse((750, 500, 850, 600), (60, 140, 220))
    c.poly([(760, 530), (800, 420), (840, 530)], (60, 140, 220))
    c.text((800, 690), "AQUELLE", 66, (80, 50, 120), bold=2)
    c.text((800, 760), "gentle shampoo", 32, (80, 50, 120))


@_art("tea-box-nuraya")
def _tea(c, rng):
    _studio(c, (60, 50, 45), (25, 20, 18))
    green = (40, 110, 80)
    _box3d(c, (480, 360, 1060, 940), 120, green)
    with c.clip("rect", (500, 380, 1040, 920)):
        _pattern(c, (500, 380, 1040, 920), "diamonds", (210, 170, 80), [green], 40, rng)
    c.rect((540, 420, 1000, 880), green)
    c.ellipse((640, 440, 900, 700), (244, 236, 210))
    for a in (-2.3, -1.6, -0.9):
        _leaf(c, 770, 640, 120, a, (70, 150, 90), (40, 100, 60))
    c.text((770, 760), "NURAYA", 70, (240, 210, 120), bold=2)
    c.text((770, 830), "MINT TEA  -  20 BAGS", 28, (240, 230, 200))


@_art("curtain-floral-folds")
def _curtain(c, rng):
    x0, y0, x1, y1 = c.bounds
    c.gradient((x0, y0, x1, y1), (230, 225, 215), (180, 170, 160))
    box = (x0, 120, x1, 1120)
    _pattern(
        c,
        box,
        "flowers",
        (246, 238, 222),
        [(230, 140, 160), (120, 160, 210), (240, 200, 80)],
        90,
        rng,
    )
    xs = c._box(box)
    w, h = max(1, xs[2] - xs[0]), max(1, xs[3] - xs[1])
    folds = Image.new("L", (w, 1))
    folds.putdata([round(60 + 60 * math.sin(x / w * 2 * math.pi * 9)) for x in range(w)])
    c.im.paste((60, 40, 30), (xs[0], xs[1]), folds.resize((w, h)))
    c.rect((x0, 60, x1, 100), (120, 80, 50), r=20)
    for x in range(40, 1600, 178):
        c.ellipse((x, 70, x + 50, 140), None, (150, 110, 60), 8)


@_art("duvet-checked-blue")
def _duvet(c, rng):
    _room(c, (226, 220, 210), (170, 140, 110), 560)
    c.rect((200, 120, 1400, 560), (150, 100, 60), r=30)
    c.rect((240, 160, 1360, 520), (170, 118, 72), r=20)
    y1 = c.bounds[3]
    c.rect((150, 500, 1450, y1), (240, 240, 242))
    c.rect((420, 380, 1180, 660), (252, 252, 250), (220, 220, 225), 3, r=70)
    blues = [(150, 180, 225), (60, 100, 170)]
    _pattern(c, (150, 640, 1450, y1), "checks", (246, 248, 252), blues, 80, rng)
    c.gradient((150, 620, 1450, 700), (252, 252, 252), (220, 222, 230))


@_art("carpet-geometric-border")
def _carpet(c, rng):
    _pattern(c, c.bounds, "planks", (110, 75, 50), [(170, 120, 80)], 100, rng)
    c.shadow(800, 620, 620, 250, 80)
    for y in range(190, 1020, 12):
        c.line([(180, y), (220, y)], (240, 232, 210), 4)
        c.line([(1380, y), (1420, y)], (240, 232, 210), 4)
    c.rect((220, 160, 1380, 1040), (40, 50, 100))
    c.rect((260, 200, 1340, 1000), (240, 230, 205))
    c.rect((290, 230, 1310, 970), (170, 40, 40))
    for x in range(330, 1290, 60):
        _star(c, x + 15, 255, 14, (240, 200, 90), 4)
        _star(c, x + 15, 945, 14, (240, 200, 90), 4)
    diamond = [(800, 320), (1150, 600), (800, 880), (450, 600)]
    with c.clip("poly", diamond):
        _pattern(c, (450, 320, 1150, 880), "diamonds", (40, 50, 100), [(240, 200, 90)], 70, rng)
    c.poly([(800, 480), (950, 600), (800, 720), (650, 600)], (170, 40, 40), (240, 230, 205), 8)


@_art("cushion-diamond-tassels")
def _cushion(c, rng):
    _room(c, (210, 214, 220), (110, 120, 130), 700)
    c.rect((c.bounds[0], 620, c.bounds[2], 1200), (120, 130, 142), r=40)
    c.shadow(800, 900, 340, 30)
    box = (500, 320, 1100, 900)
    with c.clip("rect", box, r=80):
        _pattern(c, box, "diamonds", (250, 246, 236), [(220, 170, 40)], 100, rng)
        c.glow(700, 480, 420, (255, 255, 255), 0.35)
    for x, y in ((500, 320), (1100, 320), (500, 900), (1100, 900)):
        for k in range(-3, 4):
            c.line(
                [(x, y), (x + k * 6 + (20 if x > 800 else -20), y + (50 if y > 600 else -50))],
                (200, 150, 40),
                5,
            )
        c.disc(x, y, 14, (200, 150, 40))


@_art("hotel-bedside-lamp")
def _bedside_lamp(c, rng):
    _room(c, (214, 196, 170), (110, 80, 60), 880)
    c.glow(800, 420, 700, (255, 220, 150), 0.5)
    c.shadow(800, 1100, 320, 20)
    walnut = (110, 70, 45)
    _box3d(c, (520, 760, 1040, 1100), 60, walnut)
    c.line([(540, 900), (1020, 900)], _shade(walnut, 0.7), 4)
    c.ellipse((765, 815, 795, 845), (210, 180, 110))
    c.poly([(860, 770), (1010, 770), (990, 740), (880, 740)], (248, 246, 240))
    c.text((935, 756), "GRAND HOTEL MIREL", 12, (90, 70, 60))
    c.rect((786, 500, 814, 600), (200, 170, 100))
    c.ellipse((690, 570, 910, 770), (40, 130, 130))
    c.gradient((720, 600, 760, 720), (120, 200, 200), (40, 130, 130))
    c.poly([(620, 250), (980, 250), (1060, 520), (540, 520)], (250, 236, 206))
    c.glow(800, 440, 260, (255, 250, 220), 0.7)
    c.line([(620, 250), (980, 250)], (230, 210, 170), 6)


@_art("hotel-room-headboard")
def _hotel_room(c, rng):
    _room(c, (196, 210, 196), (120, 110, 100), 900)
    sage = (120, 150, 120)
    c.rect((340, 250, 1260, 760), sage, _shade(sage, 0.8), 6, r=30)
    for j, y in enumerate(range(320, 720, 80)):
        for x in range(400 + (40 if j % 2 else 0), 1240, 80):
            c.disc(x, y, 6, _shade(sage, 0.7))
    c.rect((600, 40, 1000, 210), (240, 236, 226), (80, 70, 60), 10)
    with c.clip("rect", (625, 65, 975, 185)):
        c.gradient((625, 65, 975, 185), (250, 200, 140), (240, 160, 120))
        c.ellipse((820, 80, 900, 160), (250, 240, 200))
        c.pie((560, 130, 900, 300), 180, 360, (90, 130, 100))
        c.pie((760, 140, 1100, 300), 180, 360, (70, 110, 90))
    for x in (220, 1380):
        c.glow(x, 360, 160, (255, 230, 170), 0.8)
        c.rect((x - 30, 320, x + 30, 400), (240, 230, 200), r=10)
    c.shadow(800, 1130, 560, 40)
    c.rect((320, 660, 780, 820), (250, 250, 250), (225, 225, 230), 3, r=50)
    c.rect((820, 660, 1280, 820), (250, 250, 250), (225, 225, 230), 3, r=50)
    c.rect((280, 760, 1320, 1140), (246, 246, 246), r=20)
    c.rect((280, 940, 1320, 1040), (110, 110, 120))


@_art("wallpaper-leaves")
def _wallpaper(c, rng):
    x0, y0, x1, y1 = c.bounds
    _pattern(
        c, (x0, y0, x1, 1060), "leaves", (24, 70, 60), [(210, 170, 80), (60, 150, 140)], 110, rng
    )
    c.rect((x0, 1060, x1, 1120), (246, 246, 242))
    c.rect((x0, 1120, x1, y1), (130, 100, 70))
    c.shadow(1280, 520, 60, 60, 60)
    c.rect((1200, 440, 1340, 580), (250, 250, 248), (210, 210, 205), 3, r=10)
    c.rect((1250, 480, 1290, 540), (235, 235, 232), (200, 200, 196), 2, r=6)


@_art("armchair-mustard")
def _armchair(c, rng):
    _room(c, (226, 224, 216), (160, 130, 100), 900)
    mustard = (210, 160, 50)
    c.shadow(800, 1080, 420, 30)
    for x, dx in ((470, -20), (1110, 20), (580, -10), (1010, 10)):
        c.poly([(x, 950), (x + 20, 950), (x + 20 + dx, 1080), (x + 8 + dx, 1080)], (110, 70, 40))
    c.rect((500, 260, 1100, 800), _shade(mustard, 0.9), r=120)
    c.rect((420, 560, 560, 960), mustard, r=70)
    c.rect((1040, 560, 1180, 960), mustard, r=70)
    c.rect((540, 700, 1060, 960), _shade(mustard, 1.08), r=40)
    with c.clip("rect", (620, 420, 980, 720), r=50):
        _pattern(
            c,
            (620, 420, 980, 720),
            "stripes",
            (250, 250, 250),
            [(50, 80, 140), (250, 250, 250)],
            60,
            rng,
        )
    c.glow(650, 400, 300, (255, 240, 200), 0.25)


@_art("pendant-lamp-rattan")
def _pendant(c, rng):
    x0, y0, x1, y1 = c.bounds
    c.gradient((x0, y0, x1, y1), (70, 60, 70), (40, 34, 40))
    c.glow(800, 800, 700, (255, 200, 120), 0.6)
    c.line([(800, y0), (800, 340)], (20, 20, 20), 8)
    c.rect((780, 320, 820, 360), (40, 40, 40), r=6)
    dome = (440, 340, 1160, 1060)
    with c.clip("pie", dome, start=180, end=360):
        c.rect((440, 340, 1160, 700), (200, 160, 100))
        for k in range(-20, 22):
            x = 800 + k * 36
            c.line([(x - 360, 700), (x, 340)], (150, 110, 60), 6)
            c.line([(x + 360, 700), (x, 340)], (170, 130, 75), 6)
    c.ellipse((440, 670, 1160, 730), (255, 230, 170), (150, 110, 60), 10)
    c.glow(800, 720, 220, (255, 250, 230), 0.9)


@_art("teddy-bear-bowtie")
def _teddy(c, rng):
    _studio(c, (220, 232, 246), (170, 190, 220))
    fur, light = (150, 100, 60), (220, 180, 130)
    c.shadow(800, 1050, 330, 36)
    for x in (600, 1000):  # legs and paw pads
        c.ellipse((x - 110, 860, x + 110, 1060), fur)
        c.ellipse((x - 60, 920, x + 60, 1030), light)
    c.ellipse((560, 520, 1040, 1000), fur)
    c.ellipse((660, 640, 940, 960), light)
    for x in (540, 1060):  # arms
        c.ellipse((x - 80, 560, x + 80, 860), _shade(fur, 0.9))
    for x in (600, 1000):  # ears
        c.ellipse((x - 85, 140, x + 85, 310), fur)
        c.ellipse((x - 50, 175, x + 50, 275), light)
    c.ellipse((580, 180, 1020, 600), fur)
    with c.clip("ellipse", (580, 180, 1020, 600)):
        for _ in range(400):
            x, y = rng.uniform(580, 1020), rng.uniform(180, 600)
            c.line([(x, y), (x + rng.uniform(-8, 8), y + 12)], _shade(fur, 0.85), 3)
    c.ellipse((720, 420, 880, 550), light)
    c.ellipse((770, 420, 830, 465), (40, 25, 20))
    c.arc((740, 440, 800, 510), 20, 160, (40, 25, 20), 5)
    c.arc((800, 440, 860, 510), 20, 160, (40, 25, 20), 5)
    for x in (700, 900):
        c.ellipse((x - 22, 340, x + 22, 384), (30, 20, 20))
        c.ellipse((x - 6, 348, x + 6, 360), (255, 255, 255))
    c.rect((1010, 240, 1060, 290), (250, 250, 245), r=4)
    c.text((1035, 265), "POLVO", 12, (150, 40, 40))
    red = (200, 40, 50)
    c.poly([(800, 620), (690, 570), (690, 670)], red)
    c.poly([(800, 620), (910, 570), (910, 670)], red)
    for x, y in ((720, 600), (720, 645), (880, 600), (880, 645), (750, 620), (850, 620)):
        c.disc(x, y, 7, (255, 255, 255))
    c.ellipse((770, 590, 830, 650), _shade(red, 0.85))


@_art("wooden-toy-truck")
def _truck(c, rng):
    _room(c, (236, 230, 214), (200, 170, 130), 820)
    wood = (220, 180, 120)
    c.shadow(800, 960, 520, 30)
    c.rect((300, 500, 600, 860), (200, 50, 40), r=30)
    c.rect((350, 550, 550, 680), (200, 230, 240), (120, 30, 20), 8, r=16)
    c.rect((620, 620, 1340, 860), wood, r=16)
    for y in range(640, 850, 24):
        c.line(
            [(640, y + rng.uniform(-4, 4)), (1320, y + rng.uniform(-4, 4))], _shade(wood, 0.9), 2
        )
    blocks = [(660, 470, (60, 120, 200)), (840, 500, (240, 190, 40)), (1000, 460, (60, 150, 80))]
    for x, top, col in blocks + [(1160, 490, (220, 90, 50))]:
        c.rect((x, top, x + 150, 620), col, _shade(col, 0.7), 4, r=6)
    c.text((980, 750), "TIMBERLO", 70, _shade(wood, 0.55), bold=2)
    for x in (420, 760, 1200):
        c.ellipse((x - 90, 790, x + 90, 970), (60, 45, 35))
        c.ellipse((x - 40, 840, x + 40, 920), wood)


@_art("rubber-duck-captain")
def _duck(c, rng):
    x0, y0, x1, y1 = c.bounds
    c.gradient((x0, y0, x1, y1), (150, 210, 240), (40, 120, 190))
    for _ in range(40):
        x, y, r = rng.uniform(x0, x1), rng.uniform(y0, y1), rng.uniform(10, 40)
        c.disc(x, y, r, None, (235, 248, 255), 3)
    yellow = (250, 210, 50)
    c.ellipse((420, 900, 1180, 1010), (30, 100, 160))
    c.ellipse((460, 560, 1140, 980), yellow)
    c.ellipse((560, 300, 900, 640), yellow)
    c.arc((720, 640, 1040, 880), 200, 340, _shade(yellow, 0.8), 14)
    c.ellipse((440, 450, 640, 540), (240, 130, 40))
    c.ellipse((650, 410, 700, 460), (20, 20, 30))
    c.ellipse((662, 418, 676, 432), (255, 255, 255))
    c.pie((560, 200, 900, 460), 180, 360, (30, 40, 80))
    c.rect((560, 300, 900, 340), (250, 250, 250))
    c.rect((530, 320, 700, 350), (20, 25, 50), r=12)
    _star(c, 740, 265, 22, (240, 200, 60))


@_art("toy-blocks-letters")
def _blocks(c, rng):
    _room(c, (240, 236, 228), (200, 190, 170), 900)
    c.shadow(800, 1030, 460, 30)
    colors = [
        (220, 70, 60),
        (60, 120, 200),
        (240, 190, 40),
        (60, 150, 80),
        (150, 90, 180),
        (240, 130, 50),
    ]
    faces = ["A", "star", "B", "circle", "C", "triangle"]
    spots = [(440, 760), (700, 760), (960, 760), (570, 500), (830, 500), (700, 240)]
    for (x, y), col, face in zip(spots, colors, faces, strict=True):
        _box3d(c, (x, y, x + 240, y + 240), 60, col, _shade(col, 1.05))
        c.rect((x + 20, y + 20, x + 220, y + 220), None, (250, 250, 245), 6, r=10)
        cx, cy = x + 120, y + 120
        if face == "star":
            _star(c, cx, cy, 80, (250, 250, 245))
        elif face == "circle":
            c.disc(cx, cy, 70, (250, 250, 245))
        elif face == "triangle":
            c.poly([(cx, cy - 75), (cx + 80, cy + 65), (cx - 80, cy + 65)], (250, 250, 245))
        else:
            c.text((cx, cy), face, 170, (250, 250, 245), bold=4)


@_art("souvenir-mug-skyline")
def _mug(c, rng):
    _room(c, (200, 220, 230), (150, 100, 70), 780)
    c.shadow(800, 1000, 300, 30)
    c.arc((930, 480, 1170, 860), 270, 90, (235, 235, 238), 50)
    _cylinder(c, (560, 400, 1040, 1000), (245, 245, 248))
    c.ellipse((560, 340, 1040, 460), (235, 235, 238), (210, 210, 215), 6)
    c.ellipse((590, 360, 1010, 445), (110, 70, 50))
    blue = (40, 80, 160)
    x = 600
    while x < 1000:
        w, h = rng.uniform(40, 80), rng.uniform(120, 300)
        c.rect((x, 820 - h, min(x + w, 1000), 820), blue)
        for wy in range(int(830 - h), 800, 40):
            c.rect((x + 10, wy, x + 20, wy + 16), (245, 245, 248))
        x += w + 4
    c.rect((600, 820, 1000, 830), blue)
    c.text((800, 900), "PORT ALVERA", 48, blue, bold=2)


@_art("snow-globe-lighthouse")
def _snow_globe(c, rng):
    x0, y0, x1, y1 = c.bounds
    c.gradient((x0, y0, x1, y1), (30, 40, 80), (10, 15, 30))
    c.shadow(800, 1060, 320, 30, 160)
    c.poly([(540, 880), (1060, 880), (1120, 1060), (480, 1060)], (120, 80, 50))
    c.rect((660, 940, 940, 1010), (210, 180, 100), (150, 120, 60), 4, r=8)
    c.text((800, 975), "LAKE MIRREN", 32, (80, 60, 30), bold=1)
    globe = (480, 240, 1120, 880)
    with c.clip("ellipse", globe):
        c.gradient(globe, (160, 200, 240), (80, 130, 200))
        c.ellipse((400, 720, 1200, 1000), (250, 250, 255))
        tower = [(750, 420), (850, 420), (880, 760), (720, 760)]
        with c.clip("poly", tower):
            for k, y in enumerate(range(420, 760, 60)):
                c.rect((700, y, 900, y + 60), (220, 40, 40) if k % 2 == 0 else (250, 250, 250))
        c.rect((760, 360, 840, 420), (255, 230, 120))
        c.poly([(740, 360), (860, 360), (800, 310)], (40, 40, 50))
        for _ in range(120):
            x, y, r = rng.uniform(480, 1120), rng.uniform(240, 880), rng.uniform(3, 8)
            c.disc(x, y, r, (255, 255, 255))
    c.arc((540, 300, 1060, 820), 200, 250, (255, 255, 255), 12)
    c.ellipse(globe, None, (200, 220, 240), 4)


@_art("street-sign-mirafonte")
def _street_sign(c, rng):
    _pattern(c, c.bounds, "bricks", (196, 190, 178), [(170, 80, 60)], 120, rng)
    c.shadow(820, 640, 560, 200, 120)
    blue = (30, 70, 150)
    c.rect((260, 380, 1340, 820), (250, 250, 250), r=40)
    c.rect((285, 405, 1315, 795), blue, r=30)
    c.rect((305, 425, 1295, 775), None, (250, 250, 250), 6, r=24)
    c.text((800, 560), "CALLE MIRAFONTE", 110, (250, 250, 250), bold=3, max_w=920)
    c.text((800, 700), "DISTRITO VELLANO  -  14", 48, (250, 250, 250))
    for x, y in ((290, 410), (1310, 410), (290, 790), (1310, 790)):
        c.disc(x, y, 14, (160, 160, 170), (90, 90, 100), 3)


@_art("bakery-hanging-sign")
def _bakery_sign(c, rng):
    x0, y0, x1, y1 = c.bounds
    c.gradient((x0, y0, x1, y1), (170, 210, 240), (235, 240, 245))
    c.rect((x0, y0, 260, y1), (220, 200, 170))
    iron = (30, 30, 35)
    c.line([(260, 220), (1280, 220)], iron, 16)
    c.line([(260, 420), (560, 220)], iron, 10)
    c.arc((360, 220, 560, 420), 180, 360, iron, 8)
    for x in (540, 1060):
        c.line([(x, 220), (x, 360)], iron, 6)
    c.ellipse((380, 340, 1220, 980), (80, 50, 35), (200, 160, 70), 14)
    c.ellipse((620, 420, 980, 620), (220, 160, 80))
    c.ellipse((650, 440, 950, 580), (236, 184, 100))
    for x in (700, 780, 860):
        c.arc((x - 20, 450, x + 60, 570), 240, 300, (190, 130, 60), 10)
    c.text((800, 730), "QUILLAN", 110, (230, 190, 90), bold=3)
    c.text((800, 850), "BAKERY", 60, (230, 190, 90), bold=2)


def draw(key: str, *, width: int = 1600, height: int = 1200) -> Image.Image:
    """Return the RGB image for the DEMO_OBJECTS entry ``key``; KeyError if unknown.

    Deterministic: the same key and size always give the same pixels.
    """
    drawer = _DRAWERS[key]
    seed = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    canvas = _Canvas(width, height)
    drawer(canvas, random.Random(seed))
    return canvas.img
