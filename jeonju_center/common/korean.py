"""Korean particles (조사) that depend on the word before them: 은/는, 이/가, 을/를, 과/와, 으로/로.

Generated text ("{name}은(는)") reads as a machine's; the right particle is chosen by the last syllable's final
consonant (받침). Digits are read as Sino-Korean numbers (1 일, 3 삼, 6 육…); a word that ends in anything else
(Latin letters, symbols) is judged by its last Hangul syllable or digit, and by "no final consonant" when it has
none.
"""

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
RIEUL = 8  # index of ㄹ among the final consonants
# Final consonant of each digit's Sino-Korean reading: 영 일 이 삼 사 오 육 칠 팔 구.
DIGIT_FINALS = {"0": 21, "1": RIEUL, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": RIEUL, "8": RIEUL, "9": 0}
PARTICLES = {
    "은/는": ("은", "는"),
    "이/가": ("이", "가"),
    "을/를": ("을", "를"),
    "과/와": ("과", "와"),
    "이다/다": ("이다", "다"),
    "으로/로": ("으로", "로"),
}


def final_consonant(word):
    """Index (1–27) of the final consonant of ``word``'s last readable syllable, 0 for none."""
    for char in reversed(word.strip()):
        if HANGUL_FIRST <= ord(char) <= HANGUL_LAST:
            return (ord(char) - HANGUL_FIRST) % 28
        if char in DIGIT_FINALS:
            return DIGIT_FINALS[char]
    return 0


def particle(word, pair):
    """The form of ``pair`` ("은/는", "을/를", "으로/로", …) that follows ``word``."""
    with_final, without_final = PARTICLES[pair]
    final = final_consonant(word)
    if pair == "으로/로":
        return with_final if final and final != RIEUL else without_final
    return with_final if final else without_final


def with_particle(word, pair):
    """``word`` followed by the right form of ``pair``: with_particle("두레", "은/는") == "두레는"."""
    return f"{word}{particle(word, pair)}"
