"""Japanese (ja-JP): written without spaces, so every kana and kanji is a token."""

from __future__ import annotations

import re

from .base import LanguagePack, Tokens, format_time

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}  # fmt: skip
# Single-kana readings (に, し, ご, く) are left out: they are also particles and word parts.
_READINGS = {
    "ゼロ": 0, "ぜろ": 0, "れい": 0, "いち": 1, "さん": 3, "よん": 4, "ろく": 6, "なな": 7,
    "しち": 7, "はち": 8, "きゅう": 9, "じゅう": 10,
}  # fmt: skip
_KANJI_NUMBER = re.compile(r"([一二三四五六七八九])?(十)?([一二三四五六七八九〇零])?")


def kanji_number(text: str) -> int | None:
    """ "八" → 8, "十二" → 12, "二十一" → 21, "21" → 21, "はち" → 8 (up to 99)."""
    if text.isdigit():
        return int(text)
    if text in _READINGS:
        return _READINGS[text]
    match = _KANJI_NUMBER.fullmatch(text)
    if not text or not match:
        return None
    tens, ten, unit = match.groups()
    if tens and not ten:
        return None if unit else _DIGITS[tens]
    value = (_DIGITS[tens] if tens else 1) * 10 if ten else 0
    return value + (_DIGITS[unit] if unit else 0)


def parse_number_ja(pack: LanguagePack, tokens: Tokens) -> int | None:
    """The characters of `tokens` read as one number: 八 → 8, 十 二 → 12, 8 → 8."""
    return kanji_number("".join(tokens)) if tokens else None


_NUM = r"(\d{1,2}|[一二三四五六七八九十〇零]{1,3})"
_TIME = re.compile(
    rf"^(毎日|毎晩|毎朝)?(午前|午後|朝|昼|夕方|夜|深夜)?の?{_NUM}(?:時|じ)(?:(半)|{_NUM}分)?(?:に|ごろ|頃|くらい)?$"
)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_PERIODS = {"朝": "MO", "午前中": "MO", "昼": "AF", "午後": "AF", "夕方": "EV", "夜": "NI",
            "今夜": "NI"}  # fmt: skip


def parse_time_ja(pack: LanguagePack, tokens: Tokens) -> str | None:
    """Japanese times as Alexa resolves them: "夜9時" → "21:00", "午後九時半" → "21:30",
    "21時" → "21:00", "朝七時十五分" → "07:15", "21:00" → "21:00", "夜" → "NI"."""
    text = "".join(tokens)
    if clock := _CLOCK.fullmatch(text):
        return format_time(int(clock[1]), int(clock[2]))
    if text in _PERIODS:
        return _PERIODS[text]
    if text in ("正午", "お昼の十二時"):
        return "12:00"
    match = _TIME.match(text)
    if not match:
        return None
    every, period, hour_text, half, minute_text = match.groups()
    period = period or {"毎晩": "夜", "毎朝": "朝"}.get(every or "")
    hour = kanji_number(hour_text)
    minute = 30 if half else (kanji_number(minute_text) if minute_text else 0)
    if hour is None or minute is None:
        return None
    if period in ("午後", "夕方", "夜") and 1 <= hour <= 11:
        hour += 12
    elif period in ("午前", "朝", "深夜") and hour == 12:
        hour = 0
    elif period == "昼" and hour <= 5:
        hour += 12
    return format_time(hour, minute)


_HESITATION = re.compile(r"^(?:えっと|えーと|ええと|えーっと|うーん|あのー)[、。,\s]*")


def _fold_japanese(text: str) -> str:
    """Drop a hesitation the utterance starts with ("えっと、"): as characters, it would
    count against every sample."""
    return _HESITATION.sub("", text)


JAPANESE = LanguagePack(
    code="ja",
    builtin_phrases={
        "AMAZON.YesIntent": (
            "はい",
            "うん",
            "ええ",
            "お願いします",
            "お願い",
            "そうです",
            "そう",
            "そうだね",
            "もちろん",
            "いいよ",
            "いいですよ",
            "オッケー",
            "はいお願いします",
            "はいそう",
            "そうそう",
            "うんそう",
            "うんそうだよ",
            "そうして",
            "はいそうして",
            "うんお願い",
            "はいいいです",
            "はいそれで",
            "はいそれでお願いします",
            "ええそうです",
            "その通り",
            "はいその通りです",
            "うんいいよ",
            "ぜひ",
            "ぜひお願いします",
            "はいはい",
            "はい大丈夫ですよ",
            "はいそうですね",
            "うんそうしてね",
        ),
        "AMAZON.NoIntent": (
            "いいえ",
            "いや",
            "ううん",
            "結構です",
            "違います",
            "いらない",
            "大丈夫です",
            "やめておく",
            "やめとく",
            "今はいい",
            "今はいいです",
            "違う",
            "違うよ",
            "いいえ違う",
            "ううん違う",
            "いや違う",
            "いいえいいです",
            "いやいい",
            "いらないです",
            "結構",
            "いいえ結構",
            "そうじゃない",
            "そうじゃないよ",
            "ううん大丈夫",
            "いや大丈夫です",
            "ノー",
            "いいえ違いますよ",
            "ううんいらないよ",
            "いや大丈夫よ",
            "いいえ結構ですよ",
        ),
        "AMAZON.HelpIntent": (
            "ヘルプ",
            "使い方を教えて",
            "何ができるの",
            "何て言えばいい",
            "何て言えばいいの",
            "何を言えばいい",
            "どう言えばいい",
            "どうすればいい",
            "どうやって使えばいい",
            "使い方がわからない",
            "このスキルの使い方",
            "何ができるか教えて",
            "何ができる",
            "助けて",
            "ヘルプお願い",
            "ヘルプして",
            "どうやって使う",
            "何て言えばいいか教えて",
            "このスキルは何ができるの",
        ),
        "AMAZON.StopIntent": (
            "ストップ",
            "止めて",
            "終了",
            "終わり",
            "おしまい",
            "さようなら",
            "バイバイ",
            "もう終わり",
            "終わりにする",
            "終わりにしよう",
            "もう終わりにしよう",
            "終わって",
            "終了します",
            "終了する",
            "ストップする",
            "ストップお願い",
            "じゃあまた",
            "またね",
            "じゃね",
            "終了してね",
            "ストップしてね",
            "終わりにしましょう",
            "終わりにしますね",
        ),
        "AMAZON.CancelIntent": (
            "キャンセル",
            "やめて",
            "取り消し",
            "なんでもない",
            "キャンセルする",
            "キャンセルお願い",
            "やっぱりやめて",
            "やっぱりいい",
            "やっぱりやめとく",
            "取り消す",
            "取り消しで",
            "今のなし",
            "やめる",
            "キャンセルしといて",
        ),
        "AMAZON.NavigateHomeIntent": ("ホーム", "ホームに戻って", "ホーム画面"),
    },
    wake_words=("アレクサ", "alexa"),
    launch_suffixes=(
        "を開いて",
        "を開く",
        "開いて",
        "をひらいて",
        "を起動して",
        "起動して",
        "をスタートして",
        "を始めて",
        "を呼んで",
        "につないで",
    ),
    one_shot_particles=("で", "を使って", "に", "に頼んで", "に聞いて", "を開いて", "を起動して"),
    number_parser=parse_number_ja,
    time_parser=parse_time_ja,
    text_normalizer=_fold_japanese,
    unspaced=True,
    max_slot_tokens=20,
    max_unmatched_tokens=12,
)
