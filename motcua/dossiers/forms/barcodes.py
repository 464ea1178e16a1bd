"""The dossier code as a Code 128 barcode and the tracking URL as a QR code, both as SVG.

TT 01/2018 Art. 19.2 lets a unit print a barcode and a QR code beside the dossier code; MotCua
prints both on every form. The Code 128 encoder is ours (code set B, ~30 lines) rather than a
dependency: the dossier code is printable ASCII, and a small table is easier to audit than a
package. Pure: no Django, no I/O.
"""

from __future__ import annotations

import base64
from urllib.parse import quote

import segno

# Bar/space widths of the 107 Code 128 symbols (ISO/IEC 15417 Table 1): bar, space, bar, …
_PATTERNS: tuple[str, ...] = (
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
    "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
    "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
    "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
    "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
    "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
    "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
    "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
    "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
    "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
)  # fmt: skip
START_B = 104
STOP = 106
QUIET_ZONE = 10  # modules of white each side, the minimum the standard asks for


def code128_values(text: str) -> list[int]:
    """Symbol values for `text` in code set B: start, data, checksum, stop."""
    if not text:
        raise ValueError("Code 128 needs at least one character")
    data = []
    for ch in text:
        if not 32 <= ord(ch) <= 127:
            raise ValueError(f"{ch!r} is not in Code 128 set B (ASCII 32–127)")
        data.append(ord(ch) - 32)
    return [START_B, *data, code128_checksum(text), STOP]


def code128_checksum(text: str) -> int:
    """(start value + Σ position × value) mod 103, positions counted from 1."""
    total = START_B + sum(i * (ord(ch) - 32) for i, ch in enumerate(text, start=1))
    return total % 103


def code128_modules(text: str) -> str:
    """The symbol as '1' (bar) and '0' (space) modules, without the quiet zones."""
    out = []
    for value in code128_values(text):
        for i, width in enumerate(_PATTERNS[value]):
            out.append(("1" if i % 2 == 0 else "0") * int(width))
    return "".join(out)


def code128_svg(text: str, *, height: int = 40) -> str:
    """A standalone SVG in module units (one module = 1 user unit); size it with CSS."""
    modules = code128_modules(text)
    width = len(modules) + 2 * QUIET_ZONE
    bars = []
    x = QUIET_ZONE
    for run in _runs(modules):
        if run[0] == "1":
            bars.append(f"M{x} 0h{len(run)}v{height}h-{len(run)}z")
        x += len(run)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="none" shape-rendering="crispEdges">'
        f'<rect width="{width}" height="{height}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(bars)}"/></svg>'
    )


def _runs(modules: str) -> list[str]:
    runs: list[str] = []
    for ch in modules:
        if runs and runs[-1][0] == ch:
            runs[-1] += ch
        else:
            runs.append(ch)
    return runs


def tracking_url(base_url: str, code: str) -> str:
    """The public tracking page of a dossier: `{base_url}/tra-cuu/{code}`."""
    return f"{base_url.rstrip('/')}/tra-cuu/{quote(code, safe='')}"


def qr_code(content: str) -> segno.QRCode:
    """A full QR symbol (never a Micro QR, which phone cameras do not read) at level M."""
    return segno.make_qr(content, error="m", boost_error=False)


def qr_svg(content: str, *, border: int = 4) -> str:
    """A standalone SVG of the QR symbol in module units, quiet zone included."""
    matrix = qr_code(content).matrix
    size = len(matrix) + 2 * border
    cells = []
    for y, row in enumerate(matrix, start=border):
        x = border
        for run in _runs("".join("1" if cell else "0" for cell in row)):
            if run[0] == "1":
                cells.append(f"M{x} {y}h{len(run)}v1h-{len(run)}z")
            x += len(run)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(cells)}"/></svg>'
    )


def svg_data_uri(svg: str) -> str:
    """Embed an SVG in an <img src> so the PDF renderer needs no file and no network."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
