"""The public lottery (공개추첨): a deterministic function of a published seed and the receipt numbers, so that
anyone can recompute the result with a few lines of any language.

Algorithm ``sha256-fisher-yates-v1``:

1. Sort the receipt numbers of the eligible applications as text (``YSH2027-0001`` < ``YSH2027-0002`` …).
2. Draw random numbers from the seed: the k-th draw (k = 0, 1, 2, …) is SHA-256 of the UTF-8 text
   ``"<seed>:<k>"``, read as a 256-bit big-endian integer. To get a number below n without bias, a draw at or
   above the largest multiple of n under 2²⁵⁶ is discarded and the next k is used; otherwise the number is
   the draw modulo n.
3. Shuffle with Fisher–Yates from the end: for i = len−1 down to 1, take j = (next number below i+1) and swap
   the entries at i and j.
4. The shuffled list is the order: the first ``places`` are selected, the next ``reserve_places`` are reserve
   1, 2, … (with scores first, it only breaks ties between equal scores).

The same function is printed on the draw page for anyone to run.
"""

import hashlib

ALGORITHM = "sha256-fisher-yates-v1"
_SPACE = 2**256


class _SeededNumbers:
    def __init__(self, seed):
        self.seed = seed
        self.counter = 0

    def below(self, n):
        limit = _SPACE - (_SPACE % n)
        while True:
            digest = hashlib.sha256(f"{self.seed}:{self.counter}".encode()).digest()
            self.counter += 1
            value = int.from_bytes(digest, "big")
            if value < limit:
                return value % n


def draw_order(seed, receipt_numbers):
    """The order of ``receipt_numbers`` the lottery with ``seed`` gives (see the module's description)."""
    if not seed:
        raise ValueError("a draw needs a seed")
    entries = sorted(receipt_numbers)
    numbers = _SeededNumbers(seed)
    for i in range(len(entries) - 1, 0, -1):
        j = numbers.below(i + 1)
        entries[i], entries[j] = entries[j], entries[i]
    return entries


# What the draw page shows: the whole algorithm as a program anyone can run with Python 3.
REFERENCE_PROGRAM = """import hashlib

def draw_order(seed, receipt_numbers):
    entries = sorted(receipt_numbers)
    counter = 0
    for i in range(len(entries) - 1, 0, -1):
        n = i + 1
        limit = 2**256 - (2**256 % n)
        while True:
            value = int.from_bytes(hashlib.sha256(f"{seed}:{counter}".encode()).digest(), "big")
            counter += 1
            if value < limit:
                break
        j = value % n
        entries[i], entries[j] = entries[j], entries[i]
    return entries
"""
