"""Fonts, Chinese composition rules, line breaking and justification. No PDF in here."""
