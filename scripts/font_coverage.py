"""Write hearings/reference/characters.yaml: the characters every face of the reports' PDF font
can draw (Liberation Serif 2, from Debian's fonts-liberation2), as ranges of code points.
Validation refuses a text with any other character (character-not-printable), where the build
would otherwise stop only at the PDF's glyph check, with no file or line.

Run: python scripts/font_coverage.py [--check] [FONT.ttf ...]
(default: the four faces in /usr/share/fonts/truetype/liberation2/)
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

TARGET = Path(__file__).resolve().parent.parent / "hearings" / "reference" / "characters.yaml"
FACES = sorted(Path("/usr/share/fonts/truetype/liberation2").glob("LiberationSerif-*.ttf"))
HEADER = """\
# The characters the reports can print: those every face (regular, bold, italic, bold
# italic) of the PDF's font has a glyph for. Made from {font} by
# scripts/font_coverage.py; do not edit by hand. A text with any other character (an emoji, a
# letter of a script the font lacks, a control character written as a YAML escape, a
# private-use or unassigned code point) is refused by validate (character-not-printable), with
# its place; line breaks and tabs are the YAML file's own and allowed beside these.
font: {font}
ranges:
"""


def ranges(faces: list[Path]) -> list[tuple[int, int]]:
    covered = None
    for face in faces:
        points = set(TTFont(str(face)).getBestCmap())
        covered = points if covered is None else covered & points
    points = sorted(covered or ())
    found, start, previous = [], None, None
    for point in points:
        if start is None:
            start = previous = point
        elif point != previous + 1:
            found.append((start, previous))
            start = previous = point
        else:
            previous = point
    if start is not None:
        found.append((start, previous))
    return found


def text(faces: list[Path]) -> str:
    names = TTFont(str(faces[0]))["name"]
    name, version = names.getDebugName(1), names.getDebugName(5)
    lines = [HEADER.format(font=f"{name} ({version})")]
    lines += [f"  - [0x{start:04X}, 0x{end:04X}]\n" for start, end in ranges(faces)]
    return "".join(lines)


def main(arguments: list[str]) -> int:
    check = "--check" in arguments
    faces = [Path(a) for a in arguments if a != "--check"] or FACES
    if not faces:
        print("no font given and none in /usr/share/fonts/truetype/liberation2", file=sys.stderr)
        return 2
    wanted = text(faces)
    if check:
        same = TARGET.read_text(encoding="utf-8") == wanted
        print(f"{TARGET.name}: {'up to date' if same else 'differs from the font'}")
        return 0 if same else 1
    TARGET.write_text(wanted, encoding="utf-8")
    print(f"{TARGET}: written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
