"""narrate's look in Word, as data: fonts, sizes, line pitch, heading styles, page-number footer, comments.

Applied to python-docx's template by :mod:`.styles` and :mod:`.page`; the
module docstring of :mod:`narrate.writers.docx` describes the result.
"""

from __future__ import annotations

BODY_FONT = "仿宋_GB2312"
BODY_SIZE = 16  # 三号
LINE_PT = 28.95  # 579 twips: 22 lines in the 225 mm text block
INDENT_CHARS = "200"  # w:firstLineChars, in 1/100 character


# block level -> (style name, font, size in pt, bold)
HEADINGS = {
    0: ("Heading 1", "黑体", 22, False),
    1: ("Heading 2", "黑体", 16, False),
    2: ("Heading 3", "楷体_GB2312", 16, False),
    3: ("Heading 4", "仿宋_GB2312", 16, True),
}

FOOTER_FONT = "宋体"
FOOTER_SIZE = 14  # 四号
EM_DASH = "\u2014"

# Fonts named by the styles, with the hints Word uses to substitute a missing
# font (altName, GB2312 charset): a machine without 仿宋_GB2312 falls back to 仿宋.
FONT_TABLE = (
    ("仿宋_GB2312", "仿宋", "modern", "fixed"),
    ("楷体_GB2312", "楷体", "modern", "fixed"),
    ("黑体", "SimHei", "modern", "fixed"),
    ("宋体", "SimSun", "auto", "variable"),
)

# Review mode: comment author and the look of the comment text.
COMMENT_AUTHOR = "narrate"
COMMENT_INITIALS = "N"
COMMENT_TEXT_STYLE = "CommentText"
COMMENT_REF_STYLE = "CommentReference"
COMMENT_FONT = "宋体"
COMMENT_SIZE = 21  # half-points: 五号, 10.5 pt
