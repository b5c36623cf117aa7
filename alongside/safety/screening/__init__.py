"""Crisis screening: `screen(text, language)` -> `Assessment(level, categories, reasons)`.

Pure Python, no Django: rules.py reads the lexicon under lexicon/, classifier.py scores English
text with the committed model, combine.py joins the two (its docstring states the policy).
"""

from alongside.safety.screening.assessment import Assessment, Category, Level, Reason
from alongside.safety.screening.combine import screen

__all__ = ["Assessment", "Category", "Level", "Reason", "screen"]
