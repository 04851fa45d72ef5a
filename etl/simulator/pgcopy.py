"""PostgreSQL binary COPY from numpy columns, vectorised: no Python loop over rows.

The binary format (PostgreSQL docs, "COPY ... BINARY"): a header, then per row an int16 field count and
per field an int32 byte length (-1 for NULL) followed by the value in network byte order. Fixed-width
values are laid out with numpy; variable-length text is scattered into place with a byte mask.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
TRAILER = (-1).to_bytes(2, "big", signed=True)
PG_EPOCH_DAY = np.datetime64("2000-01-01", "D")
PG_EPOCH_US = np.datetime64("2000-01-01T00:00:00", "us")

_FIXED = {"int2": ">i2", "int4": ">i4", "int8": ">i8", "float8": ">f8", "bool": "u1",
          "date": ">i4", "timestamptz": ">i8"}


@dataclass(frozen=True)
class Column:
    """One column to encode: kind is a key of _FIXED or 'text'; null is an optional boolean mask."""

    kind: str
    values: np.ndarray
    null: np.ndarray | None = None


# One simulated day's rows: table name -> column name -> column.
Tables = dict[str, dict[str, Column]]


def _fixed_payload(col: Column) -> np.ndarray:
    v = col.values
    if col.kind == "date":
        v = (v.astype("datetime64[D]") - PG_EPOCH_DAY).astype(np.int64)
    elif col.kind == "timestamptz":  # naive datetime64 values are taken as UTC
        v = (v.astype("datetime64[us]") - PG_EPOCH_US).astype(np.int64)
    return np.ascontiguousarray(v.astype(_FIXED[col.kind])).view(np.uint8).reshape(len(v), -1)


def encode(columns: Sequence[Column]) -> bytes:
    """Rows of the given columns in COPY BINARY format (without header and trailer)."""
    n = len(columns[0].values)
    if n == 0:
        return b""
    pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (bytes 2-D, lengths, is_null)
    for col in columns:
        if len(col.values) != n:
            raise ValueError("columns differ in length")
        null = np.zeros(n, bool) if col.null is None else col.null.astype(bool)
        if col.kind == "text":
            b = col.values.astype(np.bytes_) if col.values.dtype.kind != "S" else col.values
            width = max(b.dtype.itemsize, 1)
            raw = np.ascontiguousarray(b).view(np.uint8).reshape(n, width) if b.dtype.itemsize else \
                np.zeros((n, 1), np.uint8)
            lengths = np.char.str_len(b).astype(np.int64) if b.dtype.itemsize else np.zeros(n, np.int64)
        else:
            raw = _fixed_payload(col)
            lengths = np.full(n, raw.shape[1], np.int64)
        lengths = np.where(null, 0, lengths)
        pieces.append((raw, lengths, null))

    nfields = len(columns)
    if all((p[1] == p[0].shape[1]).all() and not p[2].any() for p in pieces):
        return _encode_fixed(nfields, pieces)
    row_len = 2 + sum(4 + p[1] for p in pieces)
    row_start = np.zeros(n, np.int64)
    np.cumsum(row_len[:-1], out=row_start[1:])
    out = np.zeros(int(row_len.sum()), np.uint8)

    # field count
    count = np.array([nfields], ">i2").view(np.uint8)
    out[row_start[:, None] + np.arange(2)] = count
    pos = row_start + 2
    for raw, lengths, null in pieces:
        length_field = np.where(null, -1, lengths).astype(">i4").view(np.uint8).reshape(n, 4)
        out[pos[:, None] + np.arange(4)] = length_field
        pos = pos + 4
        width = raw.shape[1]
        if (lengths == width).all():
            out[pos[:, None] + np.arange(width)] = raw
        else:
            mask = np.arange(width)[None, :] < lengths[:, None]
            out[(pos[:, None] + np.arange(width))[mask]] = raw[mask]
        pos = pos + lengths
    return out.tobytes()


def _encode_fixed(nfields: int, pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> bytes:
    """Fast path when every value of a column has the same width: one structured array, no scatter."""
    n = pieces[0][0].shape[0]
    fields: list[tuple[str, str] | tuple[str, str, tuple[int]]] = [("n", ">i2")]
    for i, (raw, _, _) in enumerate(pieces):
        fields += [(f"l{i}", ">i4"), (f"v{i}", "u1", (raw.shape[1],))]
    rows = np.empty(n, np.dtype(fields))
    rows["n"] = nfields
    for i, (raw, _, _) in enumerate(pieces):
        rows[f"l{i}"] = raw.shape[1]
        rows[f"v{i}"] = raw
    return rows.tobytes()


def copy_rows(cursor, table: str, column_names: Sequence[str], columns: Sequence[Column]) -> int:
    """COPY the columns into `table` over a psycopg2 cursor; returns the number of rows written."""
    n = len(columns[0].values) if columns else 0
    if n == 0:
        return 0
    buf = io.BytesIO()
    buf.write(HEADER)
    buf.write(encode(columns))
    buf.write(TRAILER)
    buf.seek(0)
    cols = ", ".join(column_names)
    cursor.copy_expert(f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT binary)", buf)
    return n
