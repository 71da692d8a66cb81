"""Value parsers shared by the adapters: dates to naive UTC, counts, booleans, bracketed lists, languages.

Each raises `RowError(field, reason, detail)` on a value it cannot read, so the row is rejected
with the field named instead of the file failing.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from .readers import RowError

_DATE_FORMATS = (
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%a %b %d %H:%M:%S %z %Y",  # X API v1.1
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d %b %Y %H:%M:%S",
)
_EPOCH_MS = 10**11  # a numeric timestamp above this is in milliseconds

EARLIEST_POST = datetime(1990, 1, 1)
"""Posts dated before this are rejected (`implausible date`): no social-media export is older."""
FUTURE_SLACK = timedelta(days=2)
"""Posts dated after now + this are rejected (`implausible date`): a post cannot be from the future."""
MAX_COUNT = 2**63 - 1
"""Counts (likes, reposts, views...) are stored as BIGINT; a larger or negative one is an `invalid number`."""

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}

LANGUAGES = {
    "english": "en", "russian": "ru", "german": "de", "ukrainian": "uk", "arabic": "ar", "bulgarian": "bg",
    "serbian": "sr", "uzbek": "uz", "french": "fr", "macedonian": "mk", "spanish": "es", "italian": "it",
    "norwegian": "no", "vietnamese": "vi", "dutch": "nl", "romanian": "ro", "farsi (persian)": "fa",
    "farsi": "fa", "persian": "fa", "japanese": "ja", "swedish": "sv", "portuguese": "pt", "albanian": "sq",
    "estonian": "et", "turkish": "tr", "croatian": "hr", "icelandic": "is", "catalan": "ca", "finnish": "fi",
    "lithuanian": "lt", "polish": "pl", "latvian": "lv", "tagalog (filipino)": "tl", "tagalog": "tl",
    "kurdish": "ku", "czech": "cs", "danish": "da", "somali": "so", "slovak": "sk", "indonesian": "id",
    "malay": "ms", "hungarian": "hu", "slovenian": "sl", "hindi": "hi", "hebrew": "he", "pushto": "ps",
    "pashto": "ps", "korean": "ko", "traditional chinese": "zh", "simplified chinese": "zh", "chinese": "zh",
    "thai": "th", "urdu": "ur", "greek": "el", "belarusian": "be", "georgian": "ka", "armenian": "hy",
    "azerbaijani": "az", "kazakh": "kk", "bengali": "bn", "tamil": "ta", "welsh": "cy", "basque": "eu",
    "galician": "gl", "bosnian": "bs", "irish": "ga", "amharic": "am", "swahili": "sw",
    "language undefined": "und", "undefined": "und", "unknown": "und",
}
"""Language names (FiveThirtyEight's `language` column) to ISO 639-1 codes; "und" when undetermined."""


def to_utc(value: datetime) -> datetime:
    """Naive UTC: aware datetimes are converted, naive ones are taken to be UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def _from_epoch(seconds: float) -> datetime:
    if seconds > _EPOCH_MS:
        seconds /= 1000
    return datetime.fromtimestamp(seconds, tz=timezone.utc).replace(tzinfo=None)


@lru_cache(maxsize=1)
def latest_post() -> datetime:
    """The latest plausible post time: now (UTC, naive) plus FUTURE_SLACK; fixed for the process."""
    return datetime.now(timezone.utc).replace(tzinfo=None) + FUTURE_SLACK


def check_date(value: datetime, field: str) -> datetime:
    """`value` if it lies in [EARLIEST_POST, latest_post()], else a RowError `implausible date`.

    Far-off dates (9999-12-31, 1970 from a zero epoch) would make every weekly structure span
    centuries; they are rejected at ingest with the reason, like any other bad value.
    """
    if not EARLIEST_POST <= value <= latest_post():
        raise RowError(field, "implausible date",
                       f"{value.isoformat()} is outside {EARLIEST_POST:%Y-%m-%d} to {latest_post():%Y-%m-%d}")
    return value


def parse_datetime(value: Any, field: str) -> datetime:
    """Like `read_datetime`, and the date must be plausible for a post (`check_date`)."""
    return check_date(read_datetime(value, field), field)


def read_datetime(value: Any, field: str) -> datetime:
    """ISO 8601 (Z or offset), epoch seconds/milliseconds, M/D/YYYY H:MM, the X v1.1 format and a few more."""
    if isinstance(value, datetime):
        return to_utc(value)
    if isinstance(value, date):  # a Parquet DATE column
        return datetime(value.year, value.month, value.day)
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return _from_epoch(float(value))
        if isinstance(value, str):
            text = value.strip()
            if text.replace(".", "", 1).isdigit():
                return _from_epoch(float(text))
            try:
                return to_utc(datetime.fromisoformat(text))
            except ValueError:
                pass
            for fmt in _DATE_FORMATS:
                try:
                    return to_utc(datetime.strptime(text, fmt))
                except ValueError:
                    continue
    except (OverflowError, OSError, ValueError):
        pass
    raise RowError(field, "unparseable date", repr(value)[:200])


def parse_mdy_hm(value: str, field: str) -> datetime:
    """FiveThirtyEight's `M/D/YYYY H:MM` (UTC) without strptime's cost; anything else goes the long way."""
    try:
        day, clock = value.split(" ")
        month, dom, year = day.split("/")
        hour, minute = clock.split(":")
        moment = datetime(int(year), int(month), int(dom), int(hour), int(minute))
    except ValueError:
        return parse_datetime(value, field)
    return check_date(moment, field)


def parse_int(value: Any, field: str) -> int | None:
    """A count in [0, MAX_COUNT]; empty means unknown (None). "12.0" (a float column in pandas exports) is 12."""
    number = _parse_int(value, field)
    if number is not None and not 0 <= number <= MAX_COUNT:
        raise RowError(field, "invalid number", f"{str(value)[:60]} is not a count from 0 to 2^63-1")
    return number


def _parse_int(value: Any, field: str) -> int | None:
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
        raise RowError(field, "invalid number", repr(value))
    text = str(value).strip().replace(",", "")
    if not text:
        return None
    if len(text) > 40:  # no count has 40 digits; int() of a huge string is slow
        raise RowError(field, "invalid number", repr(value)[:200])
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            raise RowError(field, "invalid number", repr(value)[:200]) from None
        if math.isnan(number):
            return None
        if not number.is_integer():
            raise RowError(field, "invalid number", repr(value)[:200])
        return int(number)


def parse_bool(value: Any, field: str) -> bool:
    """True/False, 1/0, yes/no (any case); empty is False."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, (int, float)):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowError(field, "invalid boolean", repr(value)[:200])


def parse_list(value: Any) -> list[str]:
    """`[a, b]`, `['a', 'b']`, `a,b` or a real list, to a list of strings without `#`/`@` or quotes."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value if v is not None]
    else:
        text = str(value).strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        items = text.split(",")
    cleaned = (item.strip().strip("'\"").strip().lstrip("#@") for item in items)
    return [item for item in cleaned if item]


def opt_str(value: Any) -> str | None:
    """A string column value, None when empty; numbers (ids in Parquet or JSON) become their digits."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    text = str(value).strip()
    return text or None


def language_code(value: Any) -> str | None:
    """An ISO 639-1 code: codes pass through lower-cased, names (e.g. "English") are looked up."""
    text = opt_str(value)
    if text is None:
        return None
    lowered = text.lower()
    return LANGUAGES.get(lowered, lowered if len(lowered) <= 3 or "-" in lowered else "und")
