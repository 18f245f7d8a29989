"""The font of every PDF Värna makes (the IVO notification, the statistics chapter, ...).

Bitstream Vera ships inside the reportlab package, so å, ä, ö and "–" print without any
system font and the same on every server. Registered once per process, on first use.
"""

import os

FONT, FONT_BOLD = "VarnaVera", "VarnaVera-Bold"


def register() -> None:
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, os.path.join(folder, "VeraBd.ttf")))
    # <b> inside a paragraph picks the bold face.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
