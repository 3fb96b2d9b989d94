"""Read CSV files in blocks of rows, column by column: pyarrow's reader, the csv module's meaning.

The csv module defines what a file means here (records, padding of short rows, errors); pyarrow's
multi-threaded reader is only a faster way to the same rows. It gives way to the csv module, from
the first row of the block it could not read, whenever it might disagree: a row whose width is not
the header's, text that is not UTF-8, a field longer than the csv module's limit, a header that
repeats a name or that the two readers read differently.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from accord.errors import InvalidInput

CSV_BLOCK_ROWS = 5000
ARROW_BLOCK_BYTES = 4 << 20


@dataclass
class Block:
    """Consecutive rows of a file: the first one's number (the header is row 1) and the columns.

    ``columns`` maps a header name to the column's text in each row of the block; when the header
    repeats a name, the last column of that name counts (as in a row read into a dict).
    """

    first: int
    size: int
    columns: dict[str, Sequence[str]]

    def row(self, index: int) -> dict[str, str]:
        """Return one row of the block as a dict of the columns read."""
        return {name: values[index] for name, values in self.columns.items()}


def csv_records(path: Path, required: Sequence[str]) -> Generator[list[str], None, None]:
    """Yield the header, then each record padded or cut to the header's width.

    Raises InvalidInput when required columns are missing (before any record), for text that is
    not UTF-8 and for CSV the csv module cannot read.
    """
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read file: {exc.strerror}") from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, [])
            missing = [c for c in required if c not in header]
            if missing:
                raise InvalidInput(f"{path}: missing required columns: {', '.join(missing)}")
            yield header
            width = len(header)
            for values in reader:
                if len(values) != width:
                    values = (values + [""] * (width - len(values)))[:width]
                yield values
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason})") from exc
        except csv.Error as exc:
            raise InvalidInput(f"{path}: line {reader.line_num}: {exc}") from exc


class _GiveWay(Exception):
    """pyarrow's reader stops; the csv module reads on."""


def read_blocks(
    path: Path, required: Sequence[str], wanted: Sequence[str] = ()
) -> tuple[list[str], Iterator[Block]]:
    """Return the header and the file's blocks of rows, after checking the required columns.

    ``wanted`` names the columns the caller reads (all of them when empty); a block may hold more.
    Errors are the csv module's (see ``csv_records``); rows read before one are yielded first.
    """
    records = csv_records(path, required)
    header = next(records)
    records.close()
    return header, _blocks(path, header, required, wanted)


def _blocks(
    path: Path, header: list[str], required: Sequence[str], wanted: Sequence[str]
) -> Iterator[Block]:
    done = 0
    if len(set(header)) == len(header):
        arrow = _arrow_blocks(path, header, wanted)
        while True:
            try:
                block = next(arrow)
            except StopIteration as stop:
                if stop.value:
                    return
                break
            yield block
            done += block.size
    yield from _csv_blocks(path, header, required, skip=done)


def _arrow_blocks(
    path: Path, header: list[str], wanted: Sequence[str]
) -> Generator[Block, None, bool]:
    """Yield blocks read by pyarrow; return True at the end of the file, False to give way."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pa_csv

    names = [n for n in header if n in wanted] if wanted else header
    limit = csv.field_size_limit()
    first = 2
    try:
        reader = pa_csv.open_csv(
            str(path),
            read_options=pa_csv.ReadOptions(block_size=ARROW_BLOCK_BYTES),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in header}, strings_can_be_null=False
            ),
        )
        if reader.schema.names != header:
            return False
    except (pa.ArrowException, OSError):
        return False
    while True:
        try:
            batch = reader.read_next_batch()
            for column in batch.columns:  # every column: each must be valid, as in the csv module
                longest = pc.max(pc.binary_length(column)).as_py()  # bytes: at least the characters
                if longest is not None and longest > limit:
                    longest = pc.max(pc.utf8_length(column)).as_py()
                    if longest > limit:
                        raise _GiveWay
            columns = {name: batch.column(name).to_pylist() for name in names}
        except StopIteration:
            return True
        except (pa.ArrowException, _GiveWay):
            return False
        yield Block(first, batch.num_rows, columns)
        first += batch.num_rows


def _csv_blocks(
    path: Path, header: list[str], required: Sequence[str], *, skip: int
) -> Iterator[Block]:
    records = csv_records(path, required)
    next(records)
    first = 2 + skip
    rows: list[list[str]] = []
    try:
        for _ in itertools.islice(records, skip):
            pass
        for values in records:
            rows.append(values)
            if len(rows) >= CSV_BLOCK_ROWS:
                yield _block(first, header, rows)
                first += len(rows)
                rows = []
    except InvalidInput:
        if rows:  # the rows before the error count, as when read one by one
            yield _block(first, header, rows)
        raise
    if rows:
        yield _block(first, header, rows)


def _block(first: int, header: list[str], rows: list[list[str]]) -> Block:
    return Block(first, len(rows), dict(zip(header, zip(*rows, strict=True), strict=True)))
