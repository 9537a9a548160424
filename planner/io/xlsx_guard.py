"""File- and zip-level safety checks of an .xlsx workbook, before openpyxl parses anything.

Each check refuses a file with an :class:`~planner.errors.InputError` holding one
:class:`~planner.errors.Issue` whose message names the problem in words and says
what to do: a missing or oversized file, a legacy/encrypted .xls, a CSV, an
OpenDocument (.ods) or binary (.xlsb) workbook or a Strict Open XML workbook saved
as .xlsx, a damaged zip (bad CRC), parts compressed with a method Python cannot
read (Deflate64, as Windows' "Send to zip" writes), parts that expand beyond the
limits (zip bombs, a runaway shared-strings table), XML entity declarations, and
sheets listed in the workbook whose part is missing from the zip.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ZIP_EXPANSION_LIMIT = 20  # uncompressed parts may be at most this many times max_bytes
SHARED_STRINGS_LIMIT = 200_000_000  # bytes of xl/sharedStrings.xml, uncompressed
_XML_HEAD_BYTES = 65536
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_METHOD_NAMES = {9: "Deflate64", 10: "PKWARE DCL Implode", 93: "Zstandard", 95: "XZ", 98: "PPMd", 99: "AES"}
RESAVE = "open it in Excel (or LibreOffice) and save it again as an Excel Workbook (.xlsx)"


@dataclass(frozen=True)
class ReadLimits:
    """Refuse workbooks larger than these (protects against runaway or hostile files)."""

    max_bytes: int = 50_000_000
    max_rows: int = 200_000


def refuse(
    path: Path, message: str, code: str, sheet: str = "", row: int | None = None, column: str | None = None
) -> InputError:
    """An InputError with one located error Issue (``sheet`` "" = the whole workbook)."""
    return InputError(f"{path.name}: {message}", [Issue("error", sheet, row, column, None, message, code)])


def damaged_zip(path: Path, exc: BaseException) -> InputError:
    """The refusal for a zip that fails to decompress (bad CRC-32, truncated archive)."""
    return refuse(
        path,
        f"the file is damaged (damaged zip: {' '.join(str(exc).split())}); "
        f"{RESAVE}, or restore an undamaged copy",
        "damaged_zip",
    )


def read_bytes(path: Path, limits: ReadLimits) -> bytes:
    """Return the file's bytes after refusing what is not a readable, small-enough file."""
    if not path.exists():
        raise refuse(path, f"file not found: {path}", "file_missing")
    if path.is_dir():
        raise refuse(path, f"{path} is a directory, not a workbook file", "not_a_file")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise refuse(
            path,
            f"the file is {size:,} bytes, above the limit of {limits.max_bytes:,}; "
            "raise the limit (--max-bytes) if the workbook is genuine",
            "too_big",
        )
    with path.open("rb") as fh:
        content = fh.read(size + 1)  # not max_bytes + 1: that allocates the whole limit up front
    if len(content) > limits.max_bytes:
        raise refuse(path, f"the file is above the limit of {limits.max_bytes:,} bytes", "too_big")
    if len(content) == 0:
        raise refuse(path, "the file is empty; save the workbook as .xlsx", "not_xlsx")
    if content.startswith(OLE_MAGIC):
        raise refuse(
            path,
            "this is an encrypted or legacy .xls file; save it as an unencrypted .xlsx workbook",
            "ole_file",
        )
    if not content.startswith(ZIP_MAGIC):
        kind = "a text file (CSV?)" if _looks_like_text(content) else "not an Excel workbook"
        raise refuse(
            path, f"the file is {kind}, not an .xlsx workbook; open it in Excel and save as .xlsx", "not_xlsx"
        )
    return content


def _looks_like_text(content: bytes) -> bool:
    head = content[:4096]
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def declares_entities(head: bytes) -> bool:
    """Does this XML head carry a DOCTYPE or entity declaration?"""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    upper = head.upper()
    return b"<!DOCTYPE" in upper or b"<!ENTITY" in upper


def check_zip(path: Path, content: bytes, limits: ReadLimits) -> None:
    """Refuse zips that are not (readable, transitional) workbooks, expand too much, or declare XML entities."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            _check_archive(path, zf, limits)
    except zipfile.BadZipFile as exc:
        raise damaged_zip(path, exc) from None
    except (NotImplementedError, RuntimeError) as exc:  # a compression or encryption zipfile cannot read
        raise refuse(
            path, f"the workbook's zip cannot be read ({' '.join(str(exc).split())}); {RESAVE}", "zip_method"
        ) from None


def _check_archive(path: Path, zf: zipfile.ZipFile, limits: ReadLimits) -> None:
    infos = zf.infolist()
    names = {i.filename for i in infos}
    expanded = sum(i.file_size for i in infos)
    if expanded > ZIP_EXPANSION_LIMIT * limits.max_bytes:
        raise refuse(
            path,
            f"the workbook expands to {expanded:,} bytes, above the limit of "
            f"{ZIP_EXPANSION_LIMIT * limits.max_bytes:,}; raise --max-bytes if it is genuine",
            "too_big",
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise refuse(
                path,
                f"the workbook part {info.filename} is encrypted inside the zip; {RESAVE}",
                "zip_method",
            )
        if info.compress_type not in _READABLE_METHODS:
            method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise refuse(
                path,
                f"the workbook part {info.filename} is compressed with {method}, which cannot be read "
                f"(the file was probably re-zipped by another program, not saved by Excel); {RESAVE}",
                "zip_method",
            )
    _check_format(path, zf, names)
    strings = next((i for i in infos if i.filename.lower().endswith("sharedstrings.xml")), None)
    if strings is not None and strings.file_size > SHARED_STRINGS_LIMIT:
        raise refuse(
            path,
            f"the shared-strings table (xl/sharedStrings.xml) expands to {strings.file_size:,} bytes, "
            f"above the limit of {SHARED_STRINGS_LIMIT:,}; an input workbook never holds that much text: "
            "delete the sheets or text that do not belong to the model and save again",
            "too_big",
        )
    for info in infos:
        if not (info.filename.endswith(".xml") or info.filename.endswith(".rels")):
            continue
        with zf.open(info) as part:
            head = part.read(_XML_HEAD_BYTES)
        if declares_entities(head):
            raise refuse(
                path,
                f"the workbook part {info.filename} declares a DOCTYPE/XML entities "
                "(an entity-expansion or external-entity attack); refusing to read it",
                "xml_entities",
            )
    _check_sheet_parts(path, zf, names)


def _check_format(path: Path, zf: zipfile.ZipFile, names: set[str]) -> None:
    """Name the format of a zip that is not a transitional .xlsx workbook."""
    if "mimetype" in names and b"opendocument" in _head(zf, "mimetype", 200):
        raise refuse(
            path,
            "the file is an OpenDocument spreadsheet (.ods) renamed to .xlsx; open it in LibreOffice "
            "or Excel and save it as an Excel Workbook (.xlsx)",
            "not_xlsx",
        )
    if "xl/workbook.bin" in names:
        raise refuse(
            path,
            "the file is an Excel Binary Workbook (.xlsb) renamed to .xlsx; open it in Excel and "
            "save it as an Excel Workbook (.xlsx)",
            "not_xlsx",
        )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        missing = "xl/workbook.xml" if "xl/workbook.xml" not in names else "[Content_Types].xml"
        raise refuse(
            path,
            f"the file is a zip archive but not an Excel .xlsx workbook (no {missing}); if it came from "
            f"Excel it is damaged: {RESAVE}, or restore an undamaged copy; otherwise export the data "
            "as an Excel Workbook (.xlsx)",
            "not_xlsx",
        )
    if _STRICT_NS.encode() in _head(zf, "xl/workbook.xml", 4096):
        raise refuse(
            path,
            "the workbook is saved as Strict Open XML Spreadsheet, which cannot be read; in Excel use "
            "File > Save As and choose 'Excel Workbook (*.xlsx)'",
            "strict_xlsx",
        )


def _head(zf: zipfile.ZipFile, name: str, size: int) -> bytes:
    with zf.open(name) as part:
        return part.read(size)


def _listed_sheets(workbook: Any, rels: Any) -> list[tuple[str, str]]:
    """(sheet name, zip part) of each sheet the parsed workbook.xml lists, by its relationship."""
    targets = {}
    for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        targets[rel.get("Id")] = full
    out = []
    for sheet in workbook.iter(f"{{{_MAIN_NS}}}sheet"):
        part = targets.get(sheet.get(f"{{{_REL_NS}}}id"))
        if part is not None:
            out.append((sheet.get("name", "?"), part))
    return out


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([^\"]*)\"[^>]*>")


def drop_bad_dimensions(content: bytes) -> tuple[bytes, list[tuple[str, str]]]:
    """The workbook without the ``<dimension>`` elements openpyxl cannot parse (``A0:``), and the
    (sheet, ref) of each dropped one.

    The reader never uses the declared used range (rows are read as written), but openpyxl refuses
    to open a workbook when one is malformed; unchanged ``content`` when none is.
    """
    from defusedxml.ElementTree import fromstring
    from openpyxl.utils.cell import range_boundaries

    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        names = set(zf.namelist())
        try:
            listed = _listed_sheets(
                fromstring(zf.read("xl/workbook.xml")), fromstring(zf.read("xl/_rels/workbook.xml.rels"))
            )
        except Exception:  # malformed or missing: openpyxl's load reports it
            return content, []
        bad: dict[str, tuple[str, str]] = {}
        for name, part in listed:
            if part not in names:
                continue
            match = _DIMENSION.search(_head(zf, part, 4096))
            if match is None:
                continue
            ref = match.group(1).decode("utf-8", "replace")
            try:
                range_boundaries(ref)
            except (ValueError, TypeError):
                bad[part] = (name, ref)
        if not bad:
            return content, []
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
            for info in zf.infolist():
                data = zf.read(info)
                if info.filename in bad:
                    data = _DIMENSION.sub(b"", data, count=1)
                new.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue(), list(bad.values())


def _check_sheet_parts(path: Path, zf: zipfile.ZipFile, names: set[str]) -> None:
    """Refuse a workbook that lists a sheet whose XML part is missing (openpyxl would skip it)."""
    from defusedxml.ElementTree import fromstring

    rels_name = "xl/_rels/workbook.xml.rels"
    if rels_name not in names:
        return  # openpyxl reports this itself when loading
    try:
        workbook = fromstring(zf.read("xl/workbook.xml"))
        rels = fromstring(zf.read(rels_name))
    except Exception:  # malformed XML: openpyxl's load reports it
        return
    for name, part in _listed_sheets(workbook, rels):
        if part not in names:
            raise refuse(
                path,
                f"sheet {name!r} is listed in the workbook but its data ({part}) is missing from the file; "
                f"the file is damaged: {RESAVE}, or restore an undamaged copy",
                "missing_part",
                sheet=name,
            )
