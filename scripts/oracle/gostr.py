"""Go string quoting for the oracle scripts: reading promtool's `strconv.Quote`d output back
into bytes, and writing strings as ASCII-only Go literals that Rust tests can unquote."""
import re

_SIMPLE = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, '"': 34, "'": 39}

# A Go double-quoted string literal, as promtool prints label and annotation values.
QUOTED = r'"(?:[^"\\]|\\.)*"'


def unquote(lit):
    """The bytes of a Go double-quoted string literal (with its quotes)."""
    body = lit[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8", "surrogateescape")
            i += 1
            continue
        e = body[i + 1]
        if e in _SIMPLE:
            out.append(_SIMPLE[e])
            i += 2
        elif e == "x":
            out.append(int(body[i + 2:i + 4], 16))
            i += 4
        elif e == "u":
            out += chr(int(body[i + 2:i + 6], 16)).encode("utf-8", "surrogatepass")
            i += 6
        elif e == "U":
            out += chr(int(body[i + 2:i + 10], 16)).encode("utf-8", "surrogatepass")
            i += 10
        elif e in "01234567":
            out.append(int(body[i + 1:i + 4], 8))
            i += 4
        else:
            raise ValueError(f"bad escape in {lit!r}")
    return bytes(out)


def quote_ascii(data):
    """A Go double-quoted literal of `data` (bytes or str) using only printable ASCII."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    out = ['"']
    text = data.decode("utf-8", "surrogateescape")
    for ch in text:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:  # an invalid byte kept by surrogateescape
            out.append(f"\\x{o - 0xDC00:02x}")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif o < 0x80:
            out.append(f"\\x{o:02x}")
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


def annotations(text):
    """name -> value bytes of every `name="…"` pair in a promtool `Annotations:{…}` dump."""
    return {m.group(1): unquote(m.group(2)) for m in re.finditer(r"(\w+)=(" + QUOTED + ")", text)}
