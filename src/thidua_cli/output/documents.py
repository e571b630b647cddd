"""Official documents: one neutral model, written as Markdown, HTML or Word.

The model follows the layout of decree 30/2020/NĐ-CP: a header with the issuing body on the left
and the national title and motto (with a rule under it) on the right, the place and date line,
the kind of document and its title, the body, the signature block and the recipients. The
builders in `reports.py` fill it in; the writers here know the formats, not the rules.
python-docx is imported only when a Word file is written.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from thidua_cli.errors import DiskError, InvalidInput, os_error_text
from thidua_cli.i18n import _
from thidua_cli.output.render import md_text
from thidua_cli.rules.text import xml_safe

# Fixed by the decree, the same in every language of the interface.
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  # columns aligned right


@dataclass
class Chart:
    """A bar chart: one bar per label, in order, each with its value's text beside it."""

    title: str
    labels: list[str]
    values: list[int]  # hundredths of a point
    texts: list[str]  # the values as the reader reads them (96,50)


@dataclass
class Block:
    """A heading, a paragraph, a bulleted list, a table or a chart of the body (a chart is
    drawn in HTML only; Markdown and Word leave it out)."""

    kind: str  # heading | paragraph | list | table | chart
    text: str = ""
    items: list[str] = field(default_factory=list)
    table: Table | None = None
    chart: Chart | None = None


def heading(text: str) -> Block:
    return Block("heading", text)


def paragraph(text: str) -> Block:
    return Block("paragraph", text)


def bullets(items: Sequence[str]) -> Block:
    return Block("list", items=list(items))


def table_block(headers: list[str], rows: list[list[str]], numeric: Sequence[int] = ()) -> Block:
    return Block("table", table=Table(headers, rows, frozenset(numeric)))


def chart_block(title: str, labels: list[str], values: list[int], texts: list[str]) -> Block:
    return Block("chart", chart=Chart(title, labels, values, texts))


@dataclass
class Document:
    issuer: str  # the body that issues it, upper case on paper
    kind: str  # BÁO CÁO, TỜ TRÌNH
    title: str
    place_date: str
    blocks: list[Block]
    superior: str | None = None  # the body above the issuer
    number: str | None = None  # "Số:    /BC-CTĐ", left for the clerk to fill in
    recipient: str | None = None  # "Kính gửi: ..."
    sign_for: str | None = None  # "TM. CỤM THI ĐUA"
    signer_title: str = ""  # "TRƯỞNG CỤM"
    signer: str | None = None  # the unit or person who signs
    # a second signature on the left, where the minutes put the secretary's, above any Nơi nhận
    second_signer_title: str | None = None  # "THƯ KÝ"
    second_signer: str | None = None
    copies_to: list[str] = field(default_factory=list)  # Nơi nhận


# ---------------------------------------------------------------- Markdown


def _md_cell(text: str) -> str:
    return md_text(text, line=False).replace("\n", "<br>")


def to_markdown(doc: Document) -> str:
    """The document in Markdown; every text in it escaped (`md_text`): a name is never markup."""
    m = md_text
    lines: list[str] = []
    if doc.superior:
        lines.append(f"{m(doc.superior.upper())}  ")
    lines.append(f"**{m(doc.issuer.upper(), line=False)}**  ")
    if doc.number:
        lines.append(f"{m(doc.number)}  ")
    lines += [
        "",
        f"**{NATIONAL_TITLE}**  ",
        f"**{MOTTO}**",
        "",
        f"*{m(doc.place_date, line=False)}*",
        "",
    ]
    lines += [f"# {m(doc.kind, line=False)}", "", f"**{m(doc.title, line=False)}**", ""]
    if doc.recipient:
        lines += [m(doc.recipient), ""]
    for block in doc.blocks:
        if block.kind == "heading":
            lines += [f"## {m(block.text, line=False)}", ""]
        elif block.kind == "paragraph":
            lines += [m(block.text), ""]
        elif block.kind == "list":
            lines += [f"- {m(item)}" for item in block.items] + [""]
        elif block.table is not None:
            t = block.table
            lines.append("| " + " | ".join(_md_cell(h) for h in t.headers) + " |")
            lines.append(
                "|"
                + "|".join("---:" if i in t.numeric else "---" for i in range(len(t.headers)))
                + "|"
            )
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in t.rows]
            lines.append("")
    if doc.second_signer_title:
        lines.append(f"**{m(doc.second_signer_title, line=False)}**  ")
        lines += ["", m(doc.second_signer or ""), ""]
    for line in (doc.sign_for, doc.signer_title):
        if line:
            lines.append(f"**{m(line, line=False)}**  ")
    if doc.signer:
        lines += ["", m(doc.signer)]
    if doc.copies_to:
        lines += ["", "*" + _("Copies to:") + "*"] + [f"- {m(c)}" for c in doc.copies_to]
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- HTML

_CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "Times New Roman", Times, serif; font-size: 14pt; line-height: 1.3;
       max-width: 165mm; margin: 0 auto; color: #000; }
table.header { width: 100%; border-collapse: collapse; }
table.header td { vertical-align: top; text-align: center; font-size: 13pt; width: 50%; }
.issuer, .title-line { font-weight: bold; }
.title-line { white-space: nowrap; }
.issuer { display: inline-block; border-bottom: 1px solid #000; padding-bottom: 2px; }
.number { white-space: pre; }
.motto { font-weight: bold; display: inline-block; border-bottom: 1px solid #000;
         padding-bottom: 2px; }
.place-date { font-style: italic; text-align: right; margin: 6pt 0 12pt; }
h1 { font-size: 14pt; text-align: center; margin: 12pt 0 0; }
p.doc-title { text-align: center; font-weight: bold; margin: 0 0 12pt; }
p.recipient { text-align: center; }
h2 { font-size: 14pt; margin: 12pt 0 6pt; }
p { text-align: justify; margin: 6pt 0; }
table.data { width: 100%; border-collapse: collapse; font-size: 13pt; margin: 6pt 0; }
table.data th, table.data td { border: 1px solid #000; padding: 2pt 4pt; }
table.data td.num { text-align: right; }
table.data thead { display: table-header-group; }
table.data tr { page-break-inside: avoid; break-inside: avoid; }
table.data th:first-child { white-space: nowrap; }
table.sign { width: 100%; margin-top: 18pt; }
table.sign td { vertical-align: top; width: 50%; }
td.signature, div.signature { text-align: center; font-weight: bold; }
.copies { font-size: 12pt; }
@media print { body { max-width: none; } }
"""


def to_html(doc: Document) -> str:
    e = html.escape
    left = []
    if doc.superior:
        left.append(f"<div>{e(doc.superior.upper())}</div>")
    left.append(f'<div><span class="issuer">{e(doc.issuer.upper())}</span></div>')
    if doc.number:
        left.append(f'<div class="number">{e(doc.number)}</div>')
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>{e(doc.kind)} - {e(doc.title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        '<table class="header"><tr>',
        f"<td>{''.join(left)}</td>",
        f'<td><div class="title-line">{e(NATIONAL_TITLE)}</div>'
        f'<div class="motto">{e(MOTTO)}</div></td>',
        "</tr></table>",
        f'<p class="place-date">{e(doc.place_date)}</p>',
        f"<h1>{e(doc.kind)}</h1>",
        f'<p class="doc-title">{e(doc.title)}</p>',
    ]
    if doc.recipient:
        parts.append(f'<p class="recipient">{e(doc.recipient)}</p>')
    for block in doc.blocks:
        if block.kind == "heading":
            parts.append(f"<h2>{e(block.text)}</h2>")
        elif block.kind == "paragraph":
            parts.append(f"<p>{e(block.text)}</p>")
        elif block.kind == "list":
            parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in block.items) + "</ul>")
        elif block.table is not None:
            t = block.table
            head = "".join(f"<th>{e(h)}</th>" for h in t.headers)
            body = "".join(
                "<tr>"
                + "".join(
                    f'<td class="num">{e(c)}</td>' if i in t.numeric else f"<td>{e(c)}</td>"
                    for i, c in enumerate(row)
                )
                + "</tr>"
                for row in t.rows
            )
            parts.append(
                f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            )
        elif block.chart is not None and block.chart.labels:
            from thidua_cli.output.charts import svg_bar_chart

            c = block.chart
            parts.append(svg_bar_chart(c.title, c.labels, c.values, c.texts))
    copies = ""
    if doc.copies_to:
        copies = (
            f'<div class="copies"><em>{e(_("Copies to:"))}</em><br>'
            + "<br>".join(f"- {e(c)}" for c in doc.copies_to)
            + "</div>"
        )
    signature = "<br>".join(e(x) for x in (doc.sign_for, doc.signer_title) if x)
    if doc.signer:
        signature += f"<br><br><br><br>{e(doc.signer)}"
    left = copies
    if doc.second_signer_title:
        left = e(doc.second_signer_title) + f"<br><br><br><br>{e(doc.second_signer or '')}"
        left = f'<div class="signature">{left}</div>{copies}'
    parts.append(
        f'<table class="sign"><tr><td>{left}</td>'
        f'<td class="signature">{signature}</td></tr></table>'
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- Word


def to_docx(doc: Document, template: Path | None = None) -> bytes:
    """The document as .docx bytes: A4, Times New Roman 14 pt, the decree's header and margins.

    With a template, its styles, page setup, headers and footers are kept and its body is
    replaced by the document's.
    """
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT

    doc = _xml_safe(doc)
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    if template is not None:
        try:
            word = docx.Document(str(template))
        except OSError as exc:
            raise DiskError(
                _("Cannot read {path}: {error}.").format(path=template, error=os_error_text(exc))
            ) from exc
        except Exception as exc:  # python-docx raises several kinds for a bad file
            raise InvalidInput(
                _("{path} is not a Word (.docx) template: {reason}").format(
                    path=template, reason=exc
                )
            ) from exc
        body = word.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):
                body.remove(child)
    else:
        word = docx.Document()
        section = word.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        for name in ("Normal", "Table Grid"):
            _times(word.styles[name], Pt(14) if name == "Normal" else Pt(13))
        _page_numbers(section)

    def para(container, text="", *, bold=False, italic=False, align=None, size=None, after=None):
        p = container.add_paragraph()
        if align is not None:
            p.alignment = align
        if after is not None:
            p.paragraph_format.space_after = Pt(after)
        if text:
            run = p.add_run(text)
            run.bold, run.italic = bold, italic
            if size:
                run.font.size = Pt(size)
        return p

    center = WD_ALIGN_PARAGRAPH.CENTER
    header = word.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(header, [68, 97])
    left, right = header.rows[0].cells
    _first_paragraph_gone(left)
    _first_paragraph_gone(right)
    if doc.superior:
        para(left, doc.superior.upper(), align=center, size=12, after=0)
    issuer = para(left, doc.issuer.upper(), bold=True, align=center, size=12, after=0)
    issuer.paragraph_format.left_indent = Mm(18)  # the short rule under the issuing body
    issuer.paragraph_format.right_indent = Mm(18)
    _rule_under(issuer)
    if doc.number:
        para(left, doc.number, align=center, size=13, after=0)
    para(right, NATIONAL_TITLE, bold=True, align=center, size=12, after=0)
    motto = para(right, MOTTO, bold=True, align=center, size=13, after=0)
    motto.paragraph_format.left_indent = Mm(11)
    motto.paragraph_format.right_indent = Mm(11)
    _rule_under(motto)

    place = para(word, doc.place_date, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    place.paragraph_format.space_before = Pt(6)
    para(word, doc.kind, bold=True, align=center, after=0)
    para(word, doc.title, bold=True, align=center)
    if doc.recipient:
        para(word, doc.recipient, align=center)
    for block in doc.blocks:
        if block.kind == "heading":
            para(word, block.text, bold=True, after=3)
        elif block.kind == "paragraph":
            p = para(word, block.text, after=3)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Mm(10)
        elif block.kind == "list":
            for item in block.items:
                p = para(word, f"- {item}", after=0)
                p.paragraph_format.first_line_indent = Mm(10)
        elif block.table is not None:
            _word_table(word, block.table)
            para(word, after=0)

    sign = word.add_table(rows=1, cols=2)
    _set_widths(sign, [80, 85])
    copies, signature = sign.rows[0].cells
    _first_paragraph_gone(copies)
    _first_paragraph_gone(signature)
    if doc.second_signer_title:
        para(copies, doc.second_signer_title, bold=True, align=center, after=0)
        for _blank in range(4):
            para(copies, after=0)
        para(copies, doc.second_signer or "", bold=True, align=center, after=0)
    if doc.copies_to:
        para(copies, _("Copies to:"), bold=True, italic=True, size=12, after=0)
        for line in doc.copies_to:
            para(copies, f"- {line}", size=11, after=0)
    for line in (doc.sign_for, doc.signer_title):
        if line:
            para(signature, line, bold=True, align=center, after=0)
    for _blank in range(4):
        para(signature, after=0)
    if doc.signer:
        para(signature, doc.signer, bold=True, align=center, after=0)

    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _xml_safe(value: Any) -> Any:
    """The document (or a part of it) without the characters Word's XML cannot hold, which a
    name stored before thidua refused them may carry."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list):
        return [_xml_safe(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _xml_safe(getattr(value, f.name)) for f in fields(value)})
    return value


def _times(style, size) -> None:
    from docx.oxml.ns import qn

    style.font.name = "Times New Roman"
    style.font.size = size
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), "Times New Roman")


def _page_numbers(section) -> None:
    """The page number at the top centre from the second page, as the decree sets it: the
    first page has a header of its own, left empty."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _row_kept_whole(row, *, header: bool = False) -> None:
    """A table row that never splits across pages; the header row repeats on each page."""
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _first_paragraph_gone(cell) -> None:
    """A new cell holds one empty paragraph; drop it so the cell starts with the text."""
    first = cell.paragraphs[0]
    first._element.getparent().remove(first._element)


def _rule_under(paragraph) -> None:
    """A bottom border on the motto's paragraph: the decree's rule under the motto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _set_widths(grid, widths_mm: Sequence[float]) -> None:
    """Fixed column widths; Word and LibreOffice read them from the grid and from each cell."""
    from docx.shared import Mm

    grid.autofit = False
    for column, width in zip(grid.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def column_widths(table: Table, total_mm: float = 165) -> list[float]:
    """Column widths in mm: short columns (numbers, "STT", roles) at their natural width, never
    narrowed, the long text columns sharing what is left, so that names wrap and neither numbers
    nor headers break ("STT" stays whole)."""
    per_char, padding = 2.6, 4.5  # enough for 13 pt Times New Roman and the cell margins
    natural = []
    for i, header in enumerate(table.headers):
        longest_word = max((len(w) for w in header.split()), default=1)
        longest_cell = max((len(row[i]) for row in table.rows), default=0)
        # a bold header word is wider than plain text
        natural.append(max(longest_word * 1.3, min(longest_cell, 80)) * per_char + padding)
    flexible = [i for i, w in enumerate(natural) if i not in table.numeric and w > 45]
    if not flexible:
        return [w * total_mm / sum(natural) for w in natural]
    fixed = sum(w for i, w in enumerate(natural) if i not in flexible)
    if fixed + 20.0 * len(flexible) > total_mm:  # too many columns: all narrowed alike
        return [w * total_mm / sum(natural) for w in natural]
    share = total_mm - fixed
    wanted = sum(natural[i] for i in flexible)
    least = {i: _longest_word(table, i) * per_char * 1.15 + padding for i in flexible}
    widths = [max(natural[i] * share / wanted, least[i]) if i in flexible else natural[i]
              for i in range(len(natural))]  # fmt: skip
    over = sum(widths) - total_mm
    if over > 0:  # the longest words ask for more: the flexible columns give it back
        room = sum(widths[i] - least[i] for i in flexible) or 1.0
        for i in flexible:
            widths[i] -= over * (widths[i] - least[i]) / room
    return widths


def _longest_word(table: Table, column: int) -> int:
    cells = [table.headers[column], *(row[column] for row in table.rows)]
    return max((len(word) for cell in cells for word in cell.split()), default=1)


def _word_table(word, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    grid = word.add_table(rows=1, cols=len(table.headers))
    if "Table Grid" in word.styles:  # a user's template may not have it
        grid.style = word.styles["Table Grid"]
    for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _row_kept_whole(grid.rows[0], header=True)
    for row in table.rows:
        added = grid.add_row()
        _row_kept_whole(added)
        cells = added.cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if i in table.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_widths(grid, column_widths(table))
