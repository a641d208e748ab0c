import re
import unicodedata


def fold_name(*parts: str) -> str:
    """Lower-case ASCII 'first last' for search: accents and punctuation do not stop a match."""
    text = unicodedata.normalize("NFKD", " ".join(part for part in parts if part))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def phone_digits(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")


SOUNDEX_CODES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def soundex(word: str) -> str:
    """American Soundex of one folded word: 'smiht' and 'smith' are both S530."""
    if not word.isalpha():
        return ""
    code, previous = word[0].upper(), SOUNDEX_CODES.get(word[0], "")
    for char in word[1:]:
        if char in "hw":
            # h and w do not separate two letters of the same sound.
            continue
        digit = SOUNDEX_CODES.get(char, "")
        if digit and digit != previous:
            code += digit
        previous = digit
    return code[:4].ljust(4, "0")


def sound_keys(folded: str) -> list[str]:
    """The Soundex codes of a folded name's words; one-letter words (initials) have none."""
    return sorted({soundex(word) for word in folded.split() if len(word) > 1} - {""})


def sounds_column(folded: str) -> str:
    """The stored form of a name's codes, padded so that ' S530 ' matches whole codes only."""
    keys = sound_keys(folded)
    return f" {' '.join(keys)} " if keys else ""
