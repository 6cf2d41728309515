"""QR codes as PNG bytes, for class and chat invite links."""

from __future__ import annotations

import io
from functools import lru_cache


@lru_cache(maxsize=256)
def qr_png(data: str) -> bytes:
    """A PNG of `data`; cached because every student of a class gets the same link."""
    # Imported on first use: qrcode brings Pillow, and start-up needs neither.
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()
