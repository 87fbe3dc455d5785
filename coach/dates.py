"""Dates and places as resumes write them, normalised to ISO `YYYY-MM` / `YYYY`."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
_DATE = (
    rf"(?:{_MONTH}\s*,?\s*(?:{_YEAR}|'\d{{2}})|{_SEASON}\s+{_YEAR}"
    rf"|(?:0?[1-9]|1[0-2])\s*[/.-]\s*{_YEAR}|{_YEAR}\s*[/.-]\s*(?:0?[1-9]|1[0-2])(?!\d)|{_YEAR})"
)
_OPEN = (
    r"(?:present|current(?:ly)?|now|today|ongoing|to\s+date|date"
    r"|actualidad|actual|presente|hoy|heute|aktuell|jetzt|présent|aujourd'hui|atual)"
)
_SEP = r"\s*(?:-{1,2}|–|—|‒|―|to|until|till|through|thru|→|~)\s*"

RANGE_RE = re.compile(
    rf"(?<![\w/])(?P<start>{_DATE}){_SEP}(?P<end>{_DATE}|{_OPEN})(?![\w/])"
    rf"|(?<!\w)(?:since|from)\s+(?P<since>{_DATE})(?!\w)"
    rf"|(?<![\w/])(?P<dangling>{_DATE})\s*(?:-|–|—)\s*$",
    re.IGNORECASE,
)
DATE_RE = re.compile(rf"(?<![\w/]){_DATE}(?![\w/])", re.IGNORECASE)
_EXPECTED_RE = re.compile(rf"(?:expected|anticipated|graduat\w*)\s*:?\s*({_DATE})", re.IGNORECASE)


@dataclass(frozen=True)
class DateRange:
    """A start/end pair found in a line; `end` is None for an open range (Present)."""

    start: str | None
    end: str | None
    span: tuple[int, int]


def normalize_date(token: str) -> str | None:
    """'Jan. 2020' -> '2020-01', '01/2020' -> '2020-01', 'Summer 2019' -> '2019'."""
    token = token.strip().lower().replace(",", " ")
    year_match = re.search(_YEAR, token)
    month_name = re.match(r"([a-z]{3})", token)
    if month_name and month_name.group(1) in _MONTHS:
        month = _MONTHS[month_name.group(1)]
        if year_match:
            return f"{year_match.group(0)}-{month:02d}"
        short = re.search(r"'(\d{2})", token)
        if short:
            return f"20{short.group(1)}-{month:02d}"
        return None
    numeric = re.match(rf"(\d{{1,2}})\s*[/.-]\s*({_YEAR})$", token)
    if numeric:
        return f"{numeric.group(2)}-{int(numeric.group(1)):02d}"
    iso = re.match(rf"({_YEAR})\s*[/.-]\s*(\d{{1,2}})$", token)
    if iso:
        return f"{iso.group(1)}-{int(iso.group(2)):02d}"
    return year_match.group(0) if year_match else None


def find_date_range(text: str) -> DateRange | None:
    """The first date range in `text` ("Jan 2020 – Present", "2018 to 2021", "Since 2019")."""
    match = RANGE_RE.search(text)
    if not match:
        return None
    if match.group("since"):
        return DateRange(normalize_date(match.group("since")), None, match.span())
    if match.group("dangling"):
        return DateRange(normalize_date(match.group("dangling")), None, match.span())
    end_raw = match.group("end")
    end = None if re.fullmatch(_OPEN, end_raw.strip(), re.IGNORECASE) else normalize_date(end_raw)
    return DateRange(normalize_date(match.group("start")), end, match.span())


def find_single_date(text: str) -> tuple[str, tuple[int, int]] | None:
    """A lone date such as a graduation date ("May 2016", "Expected 2025")."""
    expected = _EXPECTED_RE.search(text)
    match = expected or DATE_RE.search(text)
    if not match:
        return None
    token = expected.group(1) if expected else match.group(0)
    value = normalize_date(token)
    return (value, match.span()) if value else None


# ------------------------------------------------------------------ places

_US_STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM "
    "NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC"
).split()
_CA_PROVINCES = "AB BC MB NB NL NS NT NU ON PE QC SK YT".split()
_AU_STATES = "NSW VIC QLD WA SA TAS ACT NT".split()
STATE_NAMES = {
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut",
    "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas",
    "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota",
    "mississippi", "missouri", "montana", "nebraska", "nevada", "new hampshire", "new jersey",
    "new mexico", "new york", "north carolina", "north dakota", "ohio", "oklahoma", "oregon",
    "pennsylvania", "rhode island", "south carolina", "south dakota", "tennessee", "texas", "utah",
    "vermont", "virginia", "washington", "west virginia", "wisconsin", "wyoming", "ontario",
    "quebec", "british columbia", "alberta", "manitoba", "nova scotia", "bavaria",
    "new south wales", "victoria", "queensland", "maharashtra", "karnataka", "england",
    "scotland", "wales",
}  # fmt: skip
COUNTRIES = {
    "usa": "US", "us": "US", "u.s.": "US", "u.s.a.": "US", "united states": "US",
    "united states of america": "US", "canada": "CA", "uk": "GB", "u.k.": "GB",
    "united kingdom": "GB", "great britain": "GB", "ireland": "IE", "germany": "DE",
    "deutschland": "DE", "france": "FR", "spain": "ES", "españa": "ES", "portugal": "PT",
    "italy": "IT", "netherlands": "NL", "the netherlands": "NL", "belgium": "BE",
    "switzerland": "CH", "austria": "AT", "sweden": "SE", "norway": "NO", "denmark": "DK",
    "finland": "FI", "poland": "PL", "czech republic": "CZ", "czechia": "CZ", "india": "IN",
    "china": "CN", "japan": "JP", "singapore": "SG", "australia": "AU", "new zealand": "NZ",
    "brazil": "BR", "mexico": "MX", "argentina": "AR", "chile": "CL", "colombia": "CO",
    "south africa": "ZA", "nigeria": "NG", "kenya": "KE", "egypt": "EG", "israel": "IL",
    "uae": "AE", "united arab emirates": "AE", "philippines": "PH", "vietnam": "VN",
    "south korea": "KR", "korea": "KR", "taiwan": "TW", "hong kong": "HK", "malaysia": "MY",
    "indonesia": "ID", "thailand": "TH", "pakistan": "PK", "turkey": "TR", "greece": "GR",
}  # fmt: skip
_CODES = _US_STATES + _CA_PROVINCES + _AU_STATES
_REGION_WORDS = {s.lower() for s in _CODES} | STATE_NAMES | set(COUNTRIES)
# Cities people write without a region ("Acme, Sydney"); only used to split such fragments.
WELL_KNOWN_CITIES = {
    "london", "paris", "berlin", "munich", "hamburg", "amsterdam", "dublin", "madrid", "barcelona",
    "lisbon", "rome", "milan", "zurich", "geneva", "vienna", "stockholm", "oslo", "copenhagen",
    "helsinki", "warsaw", "prague", "brussels", "edinburgh", "manchester", "toronto", "vancouver",
    "montreal", "ottawa", "calgary", "sydney", "melbourne", "brisbane", "perth", "auckland",
    "singapore", "tokyo", "seoul", "shanghai", "beijing", "hong kong", "bengaluru", "bangalore",
    "mumbai", "delhi", "new delhi", "hyderabad", "chennai", "pune", "dubai", "tel aviv",
    "cape town", "johannesburg", "lagos", "nairobi", "cairo", "mexico city", "são paulo",
    "sao paulo", "buenos aires", "new york", "new york city", "nyc", "san francisco",
    "los angeles", "chicago", "boston", "seattle", "austin", "denver", "atlanta", "miami",
    "dallas", "houston", "portland", "philadelphia", "washington", "remote",
}  # fmt: skip
_PLACE_WORD = r"[A-ZÀ-Ý][\w.'À-ÿ-]*"
_PLACE_RE = re.compile(
    rf"^(?P<city>{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,3}})\s*,\s*(?P<rest>[\w .,'-]+?)\s*$"
)
_REMOTE_RE = re.compile(r"^\(?(remote|hybrid|on-?site)\b.*$", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """A city with region and/or country, as JSON Resume's location wants it."""

    city: str | None
    region: str | None
    country_code: str | None


def parse_place(text: str) -> Place | None:
    """'Austin, TX' / 'Toronto, ON, Canada' / 'Berlin, Germany'; None when it is not a place."""
    text = text.strip().strip("()").strip()
    match = _PLACE_RE.match(text)
    if not match:
        return None
    city = match.group("city").strip()
    parts = [p.strip() for p in match.group("rest").split(",") if p.strip()]
    if not parts or len(parts) > 2:
        return None
    if len(parts) == 2 and parts[-1].lower() not in COUNTRIES:
        return None  # "Acme, New York, NY" is an employer before a place, not a place
    # "Sydney, NSW, Australia": with a country last, the middle part may be any region.
    last_is_country = parts[-1].lower() in COUNTRIES
    known = [p.lower() in _REGION_WORDS for p in parts]
    if not all(known) and not (len(parts) == 2 and last_is_country and parts[0][:1].isupper()):
        return None
    if city.lower() in _REGION_WORDS and city.lower() not in {"washington", "new york"}:
        return None
    region, country = None, None
    for part in parts:
        code = COUNTRIES.get(part.lower())
        is_state = part.upper() in _CODES or part.lower() in STATE_NAMES
        if code and not (is_state and region is None and len(parts) == 2):
            country = code
        elif region is None:
            region = part
    if region is None and country is None:
        return None
    return Place(city, region, country)


def is_remote(text: str) -> bool:
    """'Remote', 'Hybrid (Denver)', 'Remote - US'."""
    return bool(_REMOTE_RE.match(text.strip()))


def looks_like_date_or_place(text: str) -> bool:
    """A short fragment that is only a date range, a single date or a location."""
    text = text.strip()
    if not text:
        return False
    date_range = find_date_range(text)
    rest = text
    if date_range:
        rest = text[: date_range.span[0]] + text[date_range.span[1] :]
    elif DATE_RE.fullmatch(text.strip(" ()|")):
        return True
    rest = rest.strip(" |,·•-–—()")
    return not rest or parse_place(rest) is not None or is_remote(rest)
