"""Nombres et durées écrits à la française : virgule décimale, espace fine insécable entre les milliers."""

THIN_SPACE = "\u202f"  # espace fine insécable : milliers, et avant « ; ? ! % »


def number(value, digits=1):
    """``60.456 -> "60,5"``, ``12345 -> "12 345"`` ; les entiers restent entiers, le reste passe tel quel."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.{digits}f}"
    return text.replace(",", THIN_SPACE).replace(".", ",")


def percent(share, digits=1):
    """Une part entre 0 et 1 en pourcentage : ``0.1384 -> "13,8 %"``."""
    return f"{number(100 * share, digits)}{THIN_SPACE}%"


def duration(seconds):
    """« 48 s », « 3 min 05 s » : une durée lisible."""
    seconds = round(seconds)
    return f"{seconds} s" if seconds < 60 else f"{seconds // 60} min {seconds % 60:02d} s"
