"""Text entries typed the way Chinese learners type them (lesson 01's kernel explorer).

A Chinese input method often produces full-width characters: "－1", "1／9",
"０.５", or the ideographic full stop in "0。5". :func:`ascii_number` turns
them into the ASCII text that Python reads; a widget puts the result back
into its entry, so the learner sees how the text was understood.
"""

from __future__ import annotations

import unicodedata

__all__ = ["ascii_number"]

# Characters that NFKC leaves alone but that mean an ASCII sign or point in a number.
_EXTRA = str.maketrans(
    {
        "\u3002": ".",  # 。 ideographic full stop
        "\uff61": ".",  # ｡ half-width ideographic full stop
        "\u2212": "-",  # − minus sign
        "\u2010": "-",  # ‐ hyphen
        "\u2011": "-",  # ‑ non-breaking hyphen
        "\u2012": "-",  # ‒ figure dash
        "\u2013": "-",  # – en dash
    }
)


def ascii_number(text: str) -> str:
    """`text` with full-width digits, signs, slash, point and spaces in ASCII form.

    Full-width forms (U+FF01-U+FF5E) and the ideographic space become ASCII
    (Unicode NFKC); the ideographic full stop becomes ".", the minus sign and
    short dashes "-". Anything else is left as typed, for the parser to judge.

    Examples
    --------
    >>> [ascii_number(s) for s in ["－1", "1／9", "0。5", "１", "　２．５", "−0.25", "abc"]]
    ['-1', '1/9', '0.5', '1', ' 2.5', '-0.25', 'abc']
    """
    if not isinstance(text, str):
        return text
    return unicodedata.normalize("NFKC", text).translate(_EXTRA)
